#pragma once

#include <memory>
#include <string>
#include <utility>

#include "util/result.hpp"

namespace flinkcpp {

/// Flink's PrometheusReporter: serves every metric of the process's
/// metric_registry at http://HOST:PORT/metrics, read when scraped (nothing
/// on the hot path), each as a gauge named as Flink's reporter names it,
/// its labels the scope's variables. Thread-safe; serving stops when it is
/// destroyed.
class prometheus_reporter {
public:
  /// Serves on `host` at the first free port of `ports`; with
  /// `filter_label_values` label values as Flink's reporter filters them
  /// (prometheus_label_value). Fails naming the ports tried and why the last
  /// one failed.
  static result<std::unique_ptr<prometheus_reporter>>
  start(const std::string& host, std::pair<int, int> ports, bool filter_label_values);
  ~prometheus_reporter();

  prometheus_reporter(const prometheus_reporter&) = delete;
  prometheus_reporter& operator=(const prometheus_reporter&) = delete;

  int port() const { return port_; }

private:
  struct impl;
  explicit prometheus_reporter(std::unique_ptr<impl> i, int port);

  std::unique_ptr<impl> impl_;
  int port_;
};

} // namespace flinkcpp
