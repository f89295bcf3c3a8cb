#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "checkpoint/checkpoint_settings.hpp"
#include "cluster/job_status.hpp"
#include "graph/job_builder.hpp"
#include "graph/job_graph.hpp"
#include "metrics/process_usage.hpp"
#include "metrics/task_metrics.hpp"
#include "runtime/execution_state.hpp"
#include "runtime/task_settings.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// Milliseconds since the epoch (the timestamps Flink's REST API shows).
std::int64_t epoch_millis();

/// Where one subtask of the current attempt stands.
struct subtask_info {
  execution_state state = execution_state::created;
  std::string task_manager; ///< the taskmanager's id; empty before deployment
  std::string host;         ///< the taskmanager's host:port
  std::int64_t start_time = -1;
  std::int64_t end_time = -1;
  /// Its I/O when it ended (final); while it runs, its taskmanager reports it.
  task_io_totals io;
  bool io_final = false;
};

/// One failure of a job (an entry of Flink's exception history).
struct exception_info {
  std::string exception; ///< what failed and why
  std::string task_name; ///< "<vertex> (i/p)", or empty for job-level failures
  std::string location;  ///< the taskmanager's host:port, if any
  std::int64_t timestamp = 0;
  /// Failures that followed this root cause within the same attempt.
  std::vector<exception_info> concurrent;
};

/// A job's checkpoints as the REST API shows them.
struct checkpoint_info {
  checkpoint_settings settings;
  int completed = 0;
  int failed = 0;
  int in_progress = 0;
  int restored = 0;
  std::vector<checkpoint_record> records; ///< newest first
  /// The snapshot the current attempt restored from (id 0: none).
  checkpoint_id restored_id;
  std::int64_t restore_timestamp = 0;
  std::string restored_path;
  bool restored_savepoint = false;
};

/// Everything the REST API shows of one job. A snapshot: copied freely.
struct job_info {
  job_id id;
  std::string name;
  job_status status = job_status::created;
  std::int64_t start_time = -1;
  std::int64_t end_time = -1;
  /// Time each status was entered, by its name ("RUNNING" -> ms).
  std::vector<std::pair<std::string, std::int64_t>> timestamps;
  std::shared_ptr<const job_graph> graph;
  std::vector<std::vector<subtask_info>> subtasks; ///< [vertex][subtask]
  std::vector<exception_info> exceptions;          ///< oldest first
  int restarts = 0;
  /// The current attempt of its subtasks: 0 for the first, one more with each
  /// restart or rescale (Flink's attempt number).
  int attempt = 0;
  std::string restart_strategy;
  /// The job's spec (its configuration), as the current attempt runs it.
  std::shared_ptr<const job_spec> spec;
  /// Whether the job's parallelism follows its slots (adaptive scheduler or
  /// reactive mode), and the most slots it may use (0: no bound but the
  /// max parallelism).
  bool adaptive = false;
  std::int32_t parallelism_bound = 0;
  checkpoint_info checkpoints;
};

/// A job handed to the dispatcher, its graph already built and checked.
struct job_submission {
  job_id id;
  job_spec spec;
  std::shared_ptr<const job_graph> graph;
  task_settings settings;
  /// The savepoint (or retained checkpoint) the job starts from, checked
  /// against the graph; null for a fresh start.
  std::shared_ptr<const restore_point> savepoint;
};

/// A taskmanager as the REST API shows it.
struct task_manager_status {
  std::string id;
  std::string host;
  std::uint16_t data_port = 0;
  std::int32_t slots = 0;
  std::int32_t free_slots = 0;
  std::int64_t last_heartbeat = 0; ///< epoch ms
  std::int64_t registered = 0;     ///< epoch ms
  hardware_description hardware;   ///< as it registered
  std::vector<job_id> slot_jobs;   ///< the job of each allocated slot
};

template <class Inspector>
auto inspect(Inspector& f, task_manager_status& x) {
  return f(x.id, x.host, x.data_port, x.slots, x.free_slots, x.last_heartbeat, x.registered,
           x.hardware, x.slot_jobs);
}

} // namespace flinkcpp
