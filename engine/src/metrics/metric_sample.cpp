#include "metrics/metric_sample.hpp"

namespace flinkcpp {

std::string_view metric_sample::label(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key)
      return v;
  return {};
}

std::string prometheus_name(const metric_sample& sample) {
  static constexpr std::string_view prefixes[] = {"flink_jobmanager_", "flink_jobmanager_job_",
                                                  "flink_taskmanager_",
                                                  "flink_taskmanager_job_task_",
                                                  "flink_taskmanager_job_task_operator_"};
  std::string out{prefixes[sample.scope]};
  for (char c : sample.name) {
    bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == ':';
    out.push_back(valid ? c : '_');
  }
  return out;
}

} // namespace flinkcpp
