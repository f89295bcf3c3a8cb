#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flinkcpp {

/// Flink's metric scopes, as its Prometheus reporter names them.
enum class metric_scope : std::uint8_t {
  jobmanager,     ///< flink_jobmanager_*: labels host
  jobmanager_job, ///< flink_jobmanager_job_*: host, job_id, job_name
  taskmanager,    ///< flink_taskmanager_*: host, tm_id
  task,           ///< flink_taskmanager_job_task_*: and job_*, task_id, task_name, subtask_index
  task_operator,  ///< flink_taskmanager_job_task_operator_*: and operator_id, operator_name
};

/// One measured value as Flink names it: its scope, its name within the
/// scope (with dots: "Status.Process.CPU.Load"), the scope's variables as
/// labels, and the value.
struct metric_sample {
  std::uint8_t scope = 0; ///< a metric_scope
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;

  metric_scope scope_kind() const { return static_cast<metric_scope>(scope); }
  /// The value of label `key`; empty when it has none.
  std::string_view label(std::string_view key) const;
};

template <class Inspector>
auto inspect(Inspector& f, metric_sample& x) {
  return f(x.scope, x.name, x.labels, x.value);
}

/// The name Flink's Prometheus reporter gives `sample`: "flink_", the
/// scope, then the name with every character outside [a-zA-Z0-9_:] as '_'
/// ("flink_taskmanager_Status_Process_CPU_Load").
std::string prometheus_name(const metric_sample& sample);

/// A label value as Flink's Prometheus reporter writes it (with
/// metrics.reporter.prom.filterLabelValueCharacters, its default): every
/// character outside [a-zA-Z0-9:_] as '_' ("Source: words -> split" becomes
/// "Source:_words____split", "127.0.0.1" "127_0_0_1").
std::string prometheus_label_value(std::string_view value);

} // namespace flinkcpp
