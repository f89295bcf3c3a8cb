#include "metrics/metric_registry.hpp"

#include <algorithm>

namespace flinkcpp {

metric_registry::registration::registration(registration&& other) noexcept
  : metrics_(std::move(other.metrics_)) {}

metric_registry::registration&
metric_registry::registration::operator=(registration&& other) noexcept {
  if (this != &other) {
    if (metrics_)
      metric_registry::instance().remove(metrics_.get());
    metrics_ = std::move(other.metrics_);
  }
  return *this;
}

metric_registry::registration::~registration() {
  if (metrics_)
    metric_registry::instance().remove(metrics_.get());
}

metric_registry& metric_registry::instance() {
  static metric_registry registry;
  return registry;
}

metric_registry::registration metric_registry::add_task(task_scope scope,
                                                        std::shared_ptr<task_metrics> metrics) {
  std::lock_guard<std::mutex> guard{mutex_};
  tasks_.push_back({std::move(scope), metrics});
  return registration{std::move(metrics)};
}

std::vector<metric_registry::entry> metric_registry::tasks() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return tasks_;
}

void metric_registry::remove(const task_metrics* metrics) {
  std::lock_guard<std::mutex> guard{mutex_};
  tasks_.erase(std::remove_if(tasks_.begin(), tasks_.end(),
                              [metrics](const entry& e) { return e.metrics.get() == metrics; }),
               tasks_.end());
}

} // namespace flinkcpp
