#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A count (Flink's Counter). Changed only by the thread of the subtask
/// that owns it; metric reporters read it from other threads.
class counter {
public:
  void inc(std::int64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void dec(std::int64_t n = 1) noexcept { inc(-n); }
  std::int64_t count() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
  std::atomic<std::int64_t> value_{0};
};

/// The metrics of one operator instance (Flink's operator MetricGroup): its
/// counters by name, in nested groups. They appear where Flink's do: the
/// Prometheus reporter names a counter "c" of group "g" of an operator
/// flink_taskmanager_job_task_operator_g_c, with the operator's labels, and
/// the REST API lists it as "g.c". A cheap handle: copies share the metrics.
/// Thread-safe.
class metric_group {
public:
  metric_group() : store_(std::make_shared<store>()) {}

  /// The counter `name` of this group, created on first use; the same one
  /// on later calls (a stable reference, valid as long as any handle).
  class counter& counter(const std::string& name) const {
    std::lock_guard<std::mutex> guard{store_->mutex};
    auto& slot = store_->counters[prefix_ + name];
    if (!slot)
      slot = std::make_unique<class counter>();
    return *slot;
  }

  /// The group `name` within this one (Flink's addGroup).
  metric_group add_group(const std::string& name) const {
    metric_group child = *this;
    child.prefix_ += name + ".";
    return child;
  }

  /// Every counter of the operator, by its full name ("g.c"), now.
  std::vector<std::pair<std::string, std::int64_t>> counts() const {
    std::lock_guard<std::mutex> guard{store_->mutex};
    std::vector<std::pair<std::string, std::int64_t>> out;
    out.reserve(store_->counters.size());
    for (const auto& [name, c] : store_->counters)
      out.emplace_back(name, c->count());
    return out;
  }

private:
  struct store {
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<class counter>> counters;
  };

  std::shared_ptr<store> store_;
  std::string prefix_;
};

} // namespace flinkcpp
FLINKCPP_API_END
