#include "metrics/reported_metrics.hpp"

namespace flinkcpp {

reported_metrics& reported_metrics::instance() {
  static reported_metrics store;
  return store;
}

void reported_metrics::update(const std::string& tm_id, std::vector<metric_sample> samples) {
  std::lock_guard<std::mutex> guard{mutex_};
  by_taskmanager_[tm_id] = std::move(samples);
}

void reported_metrics::remove(const std::string& tm_id) {
  std::lock_guard<std::mutex> guard{mutex_};
  by_taskmanager_.erase(tm_id);
}

std::vector<metric_sample> reported_metrics::of(const std::string& tm_id) const {
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = by_taskmanager_.find(tm_id);
  return i == by_taskmanager_.end() ? std::vector<metric_sample>{} : i->second;
}

std::vector<metric_sample> reported_metrics::all() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::vector<metric_sample> out;
  for (const auto& [id, samples] : by_taskmanager_)
    out.insert(out.end(), samples.begin(), samples.end());
  return out;
}

} // namespace flinkcpp
