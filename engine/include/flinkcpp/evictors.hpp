#pragma once

// Flink's built-in evictors, for windows of records of any type T. Each
// evicts either before the window function (the default) or after it.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/evictor.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

namespace detail {

/// The common part of the built-in evictors: evict() runs before or after
/// the window function, as chosen.
template <class T>
class evict_once : public evictor<T> {
public:
  using elements = std::vector<timestamped_value<T>>;
  using context = typename evictor<T>::context;

  void evict_before(elements& e, const time_window&, const context&) const final {
    if (!after_)
      evict(e);
  }
  void evict_after(elements& e, const time_window&, const context&) const final {
    if (after_)
      evict(e);
  }

protected:
  explicit evict_once(bool after) : after_(after) {}
  virtual void evict(elements& e) const = 0;

private:
  bool after_;
};

} // namespace detail

/// Keeps the last `max_count` records of a window (Flink's CountEvictor),
/// evicting the earliest arrivals.
template <class T>
class count_evictor final : public detail::evict_once<T> {
public:
  using elements = typename detail::evict_once<T>::elements;

  /// Throws std::invalid_argument unless max_count > 0.
  static std::shared_ptr<count_evictor> of(std::int64_t max_count, bool evict_after = false) {
    if (max_count <= 0)
      throw std::invalid_argument("count_evictor: the count must be positive");
    return std::shared_ptr<count_evictor>(new count_evictor(max_count, evict_after));
  }

  std::string describe() const override { return "CountEvictor"; }

private:
  count_evictor(std::int64_t max_count, bool after)
    : detail::evict_once<T>(after),
      max_count_(max_count) {}

  void evict(elements& e) const override {
    if (static_cast<std::int64_t>(e.size()) > max_count_)
      e.erase(e.begin(), e.end() - max_count_);
  }

  std::int64_t max_count_;
};

/// Keeps the records of a window whose timestamps lie within `keep` of the
/// latest one's (Flink's TimeEvictor): a record of timestamp t goes when
/// t <= latest - keep. Does nothing to records without timestamps.
template <class T>
class time_evictor final : public detail::evict_once<T> {
public:
  using elements = typename detail::evict_once<T>::elements;

  /// Throws std::invalid_argument for a negative `keep`.
  static std::shared_ptr<time_evictor> of(std::chrono::milliseconds keep,
                                          bool evict_after = false) {
    if (keep.count() < 0)
      throw std::invalid_argument("time_evictor: the time kept must not be negative");
    return std::shared_ptr<time_evictor>(new time_evictor(keep.count(), evict_after));
  }

  std::string describe() const override { return "TimeEvictor"; }

private:
  time_evictor(std::int64_t keep, bool after) : detail::evict_once<T>(after), keep_(keep) {}

  void evict(elements& e) const override {
    auto timed = [](const timestamped_value<T>& v) { return v.has_timestamp(); };
    if (std::none_of(e.begin(), e.end(), timed))
      return;
    std::int64_t latest = min_watermark;
    for (const auto& v : e)
      latest = std::max(latest, v.timestamp);
    if (latest < min_watermark + keep_)
      return; // nothing is that early
    auto cutoff = latest - keep_;
    std::erase_if(
      e, [&](const timestamped_value<T>& v) { return v.has_timestamp() && v.timestamp <= cutoff; });
  }

  std::int64_t keep_;
};

/// Evicts the records of a window whose delta to the last one is at least
/// `threshold` (Flink's DeltaEvictor); delta(record, last) is the user's
/// distance between two records.
template <class T>
class delta_evictor final : public detail::evict_once<T> {
public:
  using elements = typename detail::evict_once<T>::elements;
  using delta_function = std::function<double(const T&, const T&)>;

  /// Throws std::invalid_argument for an empty delta function.
  static std::shared_ptr<delta_evictor> of(double threshold, delta_function delta,
                                           bool evict_after = false) {
    if (!delta)
      throw std::invalid_argument("delta_evictor: the delta function is empty");
    return std::shared_ptr<delta_evictor>(
      new delta_evictor(threshold, std::move(delta), evict_after));
  }

  std::string describe() const override { return "DeltaEvictor"; }

private:
  delta_evictor(double threshold, delta_function delta, bool after)
    : detail::evict_once<T>(after),
      threshold_(threshold),
      delta_(std::move(delta)) {}

  void evict(elements& e) const override {
    if (e.empty())
      return;
    auto last = e.back().value;
    std::erase_if(
      e, [&](const timestamped_value<T>& v) { return delta_(v.value, last) >= threshold_; });
  }

  double threshold_;
  delta_function delta_;
};

} // namespace flinkcpp
FLINKCPP_API_END
