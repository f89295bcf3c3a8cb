#include "metrics/metric_sample.hpp"

namespace flinkcpp {

std::string_view metric_sample::label(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key)
      return v;
  return {};
}

namespace {

/// Appends `text` with every character outside [a-zA-Z0-9:_] as '_'.
void append_filtered(std::string& out, std::string_view text) {
  for (char c : text) {
    bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == ':';
    out.push_back(valid ? c : '_');
  }
}

} // namespace

std::string prometheus_name(const metric_sample& sample) {
  static constexpr std::string_view prefixes[] = {
    "flink_jobmanager_", "flink_jobmanager_job_", "flink_taskmanager_",
    "flink_taskmanager_job_task_", "flink_taskmanager_job_task_operator_"};
  std::string out{prefixes[sample.scope]};
  append_filtered(out, sample.name);
  return out;
}

std::string prometheus_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  append_filtered(out, value);
  return out;
}

} // namespace flinkcpp
