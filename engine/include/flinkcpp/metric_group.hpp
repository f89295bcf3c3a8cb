#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

/// Events and their rate (Flink's MeterView with its default time span of
/// 60 s): the subtask marks events; the rate is the events per second over
/// the last 60 s, from the counts the reporter saw at its earlier readings
/// (over less while the meter is younger). mark_event from the owning
/// subtask's thread only; count and rate from any.
class meter {
public:
  static constexpr std::int64_t time_span_ns = 60'000'000'000;

  void mark_event(std::int64_t n = 1) noexcept { events_.inc(n); }
  std::int64_t count() const noexcept { return events_.count(); }

  /// Events per second as of `now_ns` (a steady clock's nanoseconds).
  double rate(std::int64_t now_ns) const {
    std::lock_guard<std::mutex> guard{mutex_};
    auto now_count = count();
    if (history_.empty() || history_.back().first < now_ns)
      history_.emplace_back(now_ns, now_count);
    while (history_.size() > 2 && history_[1].first <= now_ns - time_span_ns)
      history_.pop_front();
    auto [then, then_count] = history_.front();
    if (now_ns <= then)
      return 0.0;
    return static_cast<double>(now_count - then_count) * 1e9 / static_cast<double>(now_ns - then);
  }

  /// rate() as of the steady clock's now.
  double rate() const {
    return rate(std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::steady_clock::now().time_since_epoch())
                  .count());
  }

private:
  counter events_;
  mutable std::mutex mutex_;
  mutable std::deque<std::pair<std::int64_t, std::int64_t>> history_; ///< (time, count)
};

/// A histogram's statistics over the values it holds (Flink's
/// HistogramStatistics).
struct histogram_statistics {
  std::size_t size = 0; ///< values held (at most the window)
  double min = 0;
  double max = 0;
  double mean = 0;
  double stddev = 0; ///< sample standard deviation
  std::vector<std::int64_t> sorted_values;

  /// The value at quantile q in [0, 1] of those held, interpolated
  /// between neighbours (0 for none).
  double quantile(double q) const {
    if (sorted_values.empty())
      return 0.0;
    auto position = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted_values.size() - 1);
    auto below = static_cast<std::size_t>(std::floor(position));
    auto above = std::min(below + 1, sorted_values.size() - 1);
    auto fraction = position - static_cast<double>(below);
    return static_cast<double>(sorted_values[below]) +
           fraction * static_cast<double>(sorted_values[above] - sorted_values[below]);
  }
};

/// The distribution of the last `window` values (Flink's
/// DescriptiveStatisticsHistogram). update from the owning subtask's
/// thread; count and statistics from any (a mutex guards the values).
class histogram {
public:
  explicit histogram(std::size_t window) : window_(std::max<std::size_t>(window, 1)) {}

  void update(std::int64_t value) {
    std::lock_guard<std::mutex> guard{mutex_};
    if (values_.size() < window_) {
      values_.push_back(value);
    } else {
      values_[next_] = value;
      next_ = (next_ + 1) % window_;
    }
    ++count_;
  }

  /// Values given to update() so far (Flink's getCount).
  std::int64_t count() const {
    std::lock_guard<std::mutex> guard{mutex_};
    return count_;
  }

  histogram_statistics statistics() const {
    histogram_statistics s;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      s.sorted_values = values_;
    }
    std::sort(s.sorted_values.begin(), s.sorted_values.end());
    s.size = s.sorted_values.size();
    if (s.size == 0)
      return s;
    s.min = static_cast<double>(s.sorted_values.front());
    s.max = static_cast<double>(s.sorted_values.back());
    double sum = 0;
    for (auto v : s.sorted_values)
      sum += static_cast<double>(v);
    s.mean = sum / static_cast<double>(s.size);
    if (s.size > 1) {
      double squares = 0;
      for (auto v : s.sorted_values)
        squares += (static_cast<double>(v) - s.mean) * (static_cast<double>(v) - s.mean);
      s.stddev = std::sqrt(squares / static_cast<double>(s.size - 1));
    }
    return s;
  }

private:
  std::size_t window_;
  mutable std::mutex mutex_;
  std::vector<std::int64_t> values_;
  std::size_t next_ = 0; ///< the oldest value, once the window is full
  std::int64_t count_ = 0;
};

/// What a metric is (Flink's Counter, Gauge, Meter, Histogram).
enum class metric_kind { counter, gauge, meter, histogram };

/// A metric as a reporter reads it (metric_group::read).
struct metric_reading {
  std::string name; ///< within the operator, with its groups: "g.c"
  metric_kind kind = metric_kind::counter;
  double value = 0;       ///< the count, the gauge's value or the meter's rate
  std::int64_t count = 0; ///< for a histogram: values given to it
  std::optional<histogram_statistics> statistics; ///< for a histogram
};

/// The metrics of one operator instance (Flink's operator MetricGroup):
/// counters, gauges, meters and histograms by name, in nested groups. They
/// appear where Flink's do: the Prometheus reporter names a metric "c" of
/// group "g" of an operator flink_taskmanager_job_task_operator_g_c, with
/// the operator's labels (a histogram as its quantiles, label "quantile",
/// and g_c_count), and the REST API lists it as "<operator>.g.c" in its
/// subtask's metrics. A name is taken by the first metric registered under
/// it; a later one of the same name is not reported (as Flink). A cheap
/// handle: copies share the metrics. Thread-safe.
class metric_group {
public:
  metric_group() : store_(std::make_shared<store>()) {}

  /// The counter `name` of this group, created on first use; the same one
  /// on later calls (a stable reference, valid as long as any handle).
  class counter& counter(const std::string& name) const {
    return slot(name, store_->counters, metric_kind::counter);
  }

  /// Reports fn() as the gauge `name` (Flink's gauge()): fn is called on
  /// the reporters' threads, so it must be thread-safe (read atomics) and
  /// quick; it lives as long as the group.
  void gauge(const std::string& name, std::function<double()> fn) const {
    std::lock_guard<std::mutex> guard{store_->mutex};
    if (claim(prefix_ + name, metric_kind::gauge))
      store_->gauges.emplace(prefix_ + name, std::move(fn));
  }

  /// The meter `name` of this group, created on first use (Flink's meter()
  /// with a MeterView).
  class meter& meter(const std::string& name) const {
    return slot(name, store_->meters, metric_kind::meter);
  }

  /// The histogram `name` of this group over the last `window` values,
  /// created on first use (the window of the first call stays).
  class histogram& histogram(const std::string& name, std::size_t window = 1024) const {
    std::lock_guard<std::mutex> guard{store_->mutex};
    auto full = prefix_ + name;
    auto& s = store_->histograms[full];
    if (!s) {
      s = std::make_unique<class histogram>(window);
      claim(full, metric_kind::histogram);
    }
    return *s;
  }

  /// The group `name` within this one (Flink's addGroup).
  metric_group add_group(const std::string& name) const {
    metric_group child = *this;
    child.prefix_ += name + ".";
    return child;
  }

  /// Every metric of the operator by its full name ("g.c"), as of now_ns
  /// (a steady clock's nanoseconds, for the meters' rates).
  std::vector<metric_reading> read(std::int64_t now_ns) const {
    std::lock_guard<std::mutex> guard{store_->mutex};
    std::vector<metric_reading> out;
    out.reserve(store_->names.size());
    for (const auto& [name, kind] : store_->names) {
      metric_reading r;
      r.name = name;
      r.kind = kind;
      switch (kind) {
        case metric_kind::counter:
          r.value = static_cast<double>(store_->counters.at(name)->count());
          break;
        case metric_kind::gauge:
          r.value = store_->gauges.at(name)();
          break;
        case metric_kind::meter:
          r.value = store_->meters.at(name)->rate(now_ns);
          break;
        case metric_kind::histogram:
          r.count = store_->histograms.at(name)->count();
          r.statistics = store_->histograms.at(name)->statistics();
          break;
      }
      out.push_back(std::move(r));
    }
    return out;
  }

private:
  struct store {
    std::mutex mutex;
    /// The metrics reported, in registration order.
    std::vector<std::pair<std::string, metric_kind>> names;
    std::map<std::string, std::unique_ptr<class counter>> counters;
    std::map<std::string, std::function<double()>> gauges;
    std::map<std::string, std::unique_ptr<class meter>> meters;
    std::map<std::string, std::unique_ptr<class histogram>> histograms;
  };

  /// Takes `full` for a new metric of `kind`; false if another has it.
  bool claim(const std::string& full, metric_kind kind) const {
    for (const auto& taken : store_->names)
      if (taken.first == full)
        return false;
    store_->names.emplace_back(full, kind);
    return true;
  }

  template <class M>
  M& slot(const std::string& name, std::map<std::string, std::unique_ptr<M>>& metrics,
          metric_kind kind) const {
    std::lock_guard<std::mutex> guard{store_->mutex};
    auto full = prefix_ + name;
    auto& s = metrics[full];
    if (!s) {
      s = std::make_unique<M>();
      claim(full, kind);
    }
    return *s;
  }

  std::shared_ptr<store> store_;
  std::string prefix_;
};

} // namespace flinkcpp
FLINKCPP_API_END
