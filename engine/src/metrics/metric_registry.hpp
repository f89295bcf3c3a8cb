#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/task_metrics.hpp"
#include "util/id.hpp"

namespace flinkcpp {

/// Where one subtask's metrics belong (Flink's task scope variables).
struct task_scope {
  job_id job;
  std::string job_name;
  vertex_id vertex;
  std::string task_name;
  int subtask_index = 0;
};

/// The process-wide registry of live task metrics, which reporters and the
/// REST API read. Thread-safe. A registration lasts as long as the handle it
/// returns.
class metric_registry {
public:
  /// Unregisters its task when destroyed.
  class registration {
  public:
    registration() = default;
    registration(registration&&) noexcept;
    registration& operator=(registration&&) noexcept;
    ~registration();

  private:
    friend class metric_registry;
    explicit registration(std::shared_ptr<task_metrics> m) : metrics_(std::move(m)) {}
    std::shared_ptr<task_metrics> metrics_;
  };

  struct entry {
    task_scope scope;
    std::shared_ptr<const task_metrics> metrics;
  };

  static metric_registry& instance();

  registration add_task(task_scope scope, std::shared_ptr<task_metrics> metrics);

  /// The tasks registered now.
  std::vector<entry> tasks() const;

private:
  void remove(const task_metrics* metrics);

  mutable std::mutex mutex_;
  std::vector<entry> tasks_;
};

} // namespace flinkcpp
