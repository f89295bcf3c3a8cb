#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/none.hpp>

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

/// The value crosses processes as its IEEE 754 bits, exactly: CAF 0.17.6
/// packs a double with a loop that never ends for an infinite one (a gauge
/// may report one; the sending thread hung), and changes a NaN's bits.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metric_sample& x) {
  auto bits = std::bit_cast<std::uint64_t>(x.value);
  return f(x.scope, x.name, x.labels, bits, caf::meta::load_callback([&]() -> caf::error {
             x.value = std::bit_cast<double>(bits);
             return caf::none;
           }));
}

/// The quantiles a histogram reports, as Flink's Prometheus reporter does
/// (each a sample labelled quantile="0.5"), with their label values.
inline constexpr std::pair<double, const char*> histogram_quantiles[] = {
  {0.5, "0.5"}, {0.75, "0.75"}, {0.95, "0.95"}, {0.98, "0.98"}, {0.99, "0.99"}, {0.999, "0.999"}};

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
