#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "flinkcpp/metric_group.hpp"
#include "metrics/metric_sample.hpp"
#include "metrics/task_metrics.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// One operator of a task's chain (Flink's operator scope variables).
struct operator_scope {
  std::string id;
  std::string name;
  /// The chain position of the operator feeding it; -1 for the chain's
  /// head, whose input is the task's.
  int fed_by = -1;
  /// A source: its input is what it emitted (Flink counts a source's
  /// records in its numRecordsIn, FLIP-33).
  bool source = false;
};

/// Where one subtask's metrics belong (Flink's task scope variables), with
/// its operators in chain order.
struct task_scope {
  job_id job;
  std::string job_name;
  vertex_id vertex;
  std::string task_name;
  int subtask_index = 0;
  int attempt_number = 0; ///< Flink's task_attempt_num: 0 for the first attempt
  std::string attempt_id; ///< Flink's task_attempt_id: unique per deployment
  std::vector<operator_scope> operators;
};

/// The process the metrics come from (Flink's jobmanager or taskmanager
/// scope variables).
struct process_scope {
  bool taskmanager = false;
  std::string host;
  std::string tm_id; ///< taskmanagers only
};

/// The process-wide registry of live metrics, which the Prometheus
/// reporter, heartbeats to the jobmanager and the REST API read: subtasks'
/// measurements, sources of other metrics (the jobmanager's), and the
/// process's own (Status.Process.*). Rates ("PerSecond") come from samples
/// update() takes, over 60 s for counts and 5 s for times, as Flink's
/// meters and time gauges. Thread-safe. A registration lasts as long as the
/// handle it returns.
class metric_registry {
public:
  /// Unregisters what it registered when destroyed.
  class registration {
  public:
    registration() = default;
    registration(registration&& other) noexcept;
    registration& operator=(registration&& other) noexcept;
    ~registration();

  private:
    friend class metric_registry;
    explicit registration(std::uint64_t id) : id_(id) {}
    std::uint64_t id_ = 0;
  };

  /// Adds the samples of one source (called by collect(), on its thread).
  using source = std::function<void(std::vector<metric_sample>&)>;

  static metric_registry& instance();

  void set_process(process_scope scope);
  registration add_task(task_scope scope, std::shared_ptr<task_metrics> metrics);
  registration add_source(source s);

  /// Samples every counter for the rates; metric_updater calls it every
  /// second. `now_ns`: steady-clock nanoseconds.
  void update(std::int64_t now_ns);

  /// Every metric of this process now.
  std::vector<metric_sample> collect(std::int64_t now_ns) const;

  /// Steady-clock nanoseconds now, as the task metrics use them.
  static std::int64_t now_ns();

private:
  struct counts {
    std::int64_t at = 0;
    std::int64_t records_in = 0, records_out = 0, bytes_in = 0, bytes_out = 0, busy = 0,
                 back_pressured = 0;
    std::vector<std::int64_t> operator_records_out;
  };
  struct task_entry {
    std::uint64_t id;
    task_scope scope;
    std::shared_ptr<const task_metrics> metrics;
    std::deque<counts> history; ///< oldest first; the first at registration
  };
  struct cpu_sample {
    std::int64_t at = 0;
    double cpu_seconds = 0;
  };

  static counts read(const task_metrics& m, std::int64_t now);
  void add_task_samples(const task_entry& t, std::int64_t now,
                        std::vector<metric_sample>& out) const;
  using sample_labels = std::vector<std::pair<std::string, std::string>>;
  static void add_operator_samples(const task_entry& t, const sample_labels& task_labels,
                                   const counts& now, const counts& base,
                                   std::vector<metric_sample>& out);
  /// The samples of a metric of a user function (or an operator's own).
  static void add_user_metric(const metric_reading& r, const sample_labels& labels,
                              std::vector<metric_sample>& out);
  void add_process_samples(std::int64_t now, std::vector<metric_sample>& out) const;
  void remove(std::uint64_t id);

  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 0;
  process_scope process_;
  std::vector<task_entry> tasks_;
  std::vector<std::pair<std::uint64_t, source>> sources_;
  std::deque<cpu_sample> cpu_;
};

/// Calls metric_registry::update() every second from a thread of its own
/// while it lives (each process holds one).
class metric_updater {
public:
  metric_updater();
  ~metric_updater();

  metric_updater(const metric_updater&) = delete;
  metric_updater& operator=(const metric_updater&) = delete;

private:
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false; ///< guarded by mutex_
  std::thread thread_;
};

} // namespace flinkcpp
