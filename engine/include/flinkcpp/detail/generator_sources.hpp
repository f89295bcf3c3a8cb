#pragma once

// Sources that make records rather than read them: a collection (Flink's
// fromElements), a number sequence (fromSequence) and a data generator
// (DataGeneratorSource: a function of the record index, a count, an optional
// rate limit).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "flinkcpp/detail/stream_operator.hpp"

namespace flinkcpp::detail {

/// Emits a fixed list of records; runs with parallelism 1.
template <class T>
class collection_source final : public source<T> {
public:
  explicit collection_source(std::shared_ptr<const std::vector<T>> elements)
    : elements_(std::move(elements)) {}

  poll_result poll(std::size_t max_records) override {
    auto end = std::min(elements_->size(), next_ + max_records);
    for (; next_ < end; ++next_)
      this->output().collect(static_cast<const T&>((*elements_)[next_]));
    if (next_ == elements_->size())
      return {input_status::end_of_input};
    return {input_status::more_available};
  }

private:
  std::shared_ptr<const std::vector<T>> elements_;
  std::size_t next_ = 0;
};

/// The part [begin, end) of the indexes 0..count-1 that subtask `index` of
/// `parallelism` produces: contiguous, sizes differing by at most one.
struct index_range {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  static index_range of_subtask(std::uint64_t count, int index, int parallelism) {
    auto p = static_cast<std::uint64_t>(parallelism);
    auto i = static_cast<std::uint64_t>(index);
    auto share = count / p;
    auto extra = count % p; // the first `extra` subtasks take one more
    auto begin = i * share + std::min(i, extra);
    return {begin, begin + share + (i < extra ? 1 : 0)};
  }
};

/// Emits generator(i) for its share of the indexes 0..count-1, optionally at
/// most `rows_per_second` across all subtasks. With count = max it never ends.
template <class T, class F>
class datagen_source final : public source<T> {
public:
  datagen_source(F generator, std::uint64_t count, double rows_per_second,
                 const operator_context& context)
    : generator_(std::move(generator)),
      range_(index_range::of_subtask(count, context.subtask_index, context.parallelism)),
      next_(range_.begin),
      unbounded_(count == std::numeric_limits<std::uint64_t>::max()),
      rate_(rows_per_second / context.parallelism) {}

  void open() override { started_ = std::chrono::steady_clock::now(); }

  poll_result poll(std::size_t max_records) override {
    std::uint64_t n = max_records;
    if (!unbounded_)
      n = std::min<std::uint64_t>(n, range_.end - next_);
    if (rate_ > 0) {
      auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
      auto allowed = static_cast<std::uint64_t>(elapsed.count() * rate_) + 1;
      auto produced = next_ - range_.begin;
      auto budget = allowed > produced ? allowed - produced : 0;
      n = std::min(n, budget);
      if (n == 0) {
        auto due = std::chrono::duration<double>(static_cast<double>(produced) / rate_);
        auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(due - elapsed);
        return {input_status::nothing_available,
                std::max(wait, std::chrono::nanoseconds{std::chrono::milliseconds{1}})};
      }
    }
    for (std::uint64_t i = 0; i < n; ++i, ++next_)
      this->output().collect(std::invoke(generator_, static_cast<std::int64_t>(next_)));
    if (!unbounded_ && next_ == range_.end)
      return {input_status::end_of_input};
    return {input_status::more_available};
  }

private:
  F generator_;
  index_range range_;
  std::uint64_t next_;
  bool unbounded_;
  double rate_;
  std::chrono::steady_clock::time_point started_;
};

/// The numbers from..to (inclusive), spread over the subtasks in contiguous
/// ranges.
class sequence_source final : public source<std::int64_t> {
public:
  sequence_source(std::int64_t from, std::int64_t to, const operator_context& context)
    : from_(from) {
    auto count = static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from) + 1;
    range_ = index_range::of_subtask(count, context.subtask_index, context.parallelism);
    next_ = range_.begin;
  }

  poll_result poll(std::size_t max_records) override {
    auto end = std::min<std::uint64_t>(range_.end, next_ + max_records);
    for (; next_ < end; ++next_)
      output().collect(static_cast<std::int64_t>(static_cast<std::uint64_t>(from_) + next_));
    if (next_ == range_.end)
      return {input_status::end_of_input};
    return {input_status::more_available};
  }

private:
  std::int64_t from_;
  index_range range_;
  std::uint64_t next_ = 0;
};

} // namespace flinkcpp::detail
