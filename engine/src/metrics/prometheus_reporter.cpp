#include "metrics/prometheus_reporter.hpp"

#include <exception>
#include <map>

#include <prometheus/collectable.h>
#include <prometheus/exposer.h>
#include <prometheus/metric_family.h>

#include "metrics/metric_registry.hpp"

namespace flinkcpp {

namespace {

/// The registry as prometheus-cpp collects it: one gauge family per name.
class registry_collectable final : public prometheus::Collectable {
public:
  explicit registry_collectable(bool filter_label_values) : filter_(filter_label_values) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::map<std::string, prometheus::MetricFamily> families;
    for (auto& s : metric_registry::instance().collect(metric_registry::now_ns())) {
      auto name = prometheus_name(s);
      auto& family = families[name];
      if (family.name.empty()) {
        family.name = name;
        family.help = s.name + " (flink-cpp)";
        family.type = prometheus::MetricType::Gauge;
      }
      prometheus::ClientMetric m;
      for (auto& [k, v] : s.labels)
        m.label.push_back({k, filter_ ? prometheus_label_value(v) : v});
      m.gauge.value = s.value;
      family.metric.push_back(std::move(m));
    }
    std::vector<prometheus::MetricFamily> out;
    out.reserve(families.size());
    for (auto& [name, family] : families)
      out.push_back(std::move(family));
    return out;
  }

private:
  bool filter_;
};

} // namespace

struct prometheus_reporter::impl {
  std::shared_ptr<registry_collectable> collectable;
  std::unique_ptr<prometheus::Exposer> exposer;
};

prometheus_reporter::prometheus_reporter(std::unique_ptr<impl> i, int port)
  : impl_(std::move(i)),
    port_(port) {}

prometheus_reporter::~prometheus_reporter() = default;

result<std::unique_ptr<prometheus_reporter>> prometheus_reporter::start(const std::string& host,
                                                                        std::pair<int, int> ports,
                                                                        bool filter_label_values) {
  auto i = std::make_unique<impl>();
  i->collectable = std::make_shared<registry_collectable>(filter_label_values);
  std::string why;
  for (int port = ports.first; port <= ports.second; ++port) {
    try {
      i->exposer = std::make_unique<prometheus::Exposer>(host + ":" + std::to_string(port), 1);
    } catch (const std::exception& e) {
      why = e.what();
      continue;
    }
    i->exposer->RegisterCollectable(i->collectable);
    return std::unique_ptr<prometheus_reporter>{new prometheus_reporter{std::move(i), port}};
  }
  return failure{"the Prometheus reporter could not listen on " + host + " at port " +
                 std::to_string(ports.first) +
                 (ports.second > ports.first ? "-" + std::to_string(ports.second) : "") +
                 " (metrics.reporter.prom.port): " + why};
}

} // namespace flinkcpp
