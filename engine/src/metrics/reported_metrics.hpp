#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/metric_sample.hpp"

namespace flinkcpp {

/// The latest metrics each taskmanager reported with its heartbeats (Flink's
/// metric fetcher), kept in the jobmanager for the REST API. Thread-safe.
class reported_metrics {
public:
  static reported_metrics& instance();

  /// Replaces what taskmanager `tm_id` reported before.
  void update(const std::string& tm_id, std::vector<metric_sample> samples);
  /// The taskmanager left the cluster.
  void remove(const std::string& tm_id);
  /// What `tm_id` reported last (empty if nothing).
  std::vector<metric_sample> of(const std::string& tm_id) const;
  /// What every taskmanager reported last.
  std::vector<metric_sample> all() const;

private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<metric_sample>> by_taskmanager_;
};

} // namespace flinkcpp
