#pragma once

// Sources that make records rather than read them: a collection (Flink's
// fromElements), a number sequence (fromSequence) and a data generator
// (DataGeneratorSource: a function of the record index, a count, an optional
// rate limit).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Emits a fixed list of records; runs with parallelism 1. Its position is
/// operator state, so a restored job goes on where it stopped.
template <class T>
class collection_source final : public source<T> {
public:
  explicit collection_source(std::shared_ptr<const std::vector<T>> elements)
    : elements_(std::move(elements)) {}

  spi::poll_result poll(std::size_t max_records) override {
    auto end = std::min(elements_->size(), next_ + max_records);
    for (; next_ < end; ++next_)
      this->output().collect(static_cast<const T&>((*elements_)[next_]));
    if (next_ == elements_->size())
      return {spi::input_status::end_of_input};
    return {spi::input_status::more_available};
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    snapshot.lists["position"] = {spi::redistribution::split,
                                  {to_bytes(static_cast<std::uint64_t>(next_))}};
  }

  void restore_state(const spi::operator_restore& state) override {
    const auto& entries = state.list("position");
    next_ = entries.empty() ? elements_->size()
                            : static_cast<std::size_t>(from_bytes<std::uint64_t>(entries[0]));
  }

private:
  std::shared_ptr<const std::vector<T>> elements_;
  std::size_t next_ = 0;
};

/// A range [begin, end) of record indexes.
struct index_range {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;

  /// The part of 0..count-1 that subtask `index` of `parallelism` produces:
  /// contiguous, sizes differing by at most one.
  static index_range of_subtask(std::uint64_t count, int index, int parallelism) {
    auto p = static_cast<std::uint64_t>(parallelism);
    auto i = static_cast<std::uint64_t>(index);
    auto share = count / p;
    auto extra = count % p; // the first `extra` subtasks take one more
    auto begin = i * share + std::min(i, extra);
    return {begin, begin + share + (i < extra ? 1 : 0)};
  }
};

template <class Inspector>
auto inspect(Inspector& f, index_range& x) {
  return f(x.begin, x.end);
}

/// The indexes a generating source still has to emit: ranges worked off in
/// order. Its state is the remaining ranges (operator state `ranges`), cut
/// into pieces and split over the subtasks of a restored job, so that each
/// index is emitted once in all and a job restored at a higher parallelism
/// spreads the remaining work over all its subtasks.
class index_ranges {
public:
  explicit index_ranges(index_range initial) : ranges_{initial} { skip_empty(); }

  bool empty() const { return current_ == ranges_.size(); }
  /// The next index; requires !empty().
  std::uint64_t next() const { return ranges_[current_].begin; }
  void advance() {
    if (++ranges_[current_].begin == ranges_[current_].end) {
      ++current_;
      skip_empty();
    }
  }

  void snapshot(spi::operator_snapshot& snapshot) const {
    auto& list = snapshot.lists["ranges"];
    list.mode = spi::redistribution::split;
    for (std::size_t i = current_; i < ranges_.size(); ++i) {
      auto [begin, end] = ranges_[i];
      auto size = end - begin; // rounded up without overflow: unbounded ends at 2^64 - 1
      auto piece = std::max<std::uint64_t>(1, size / pieces + (size % pieces != 0 ? 1 : 0));
      for (auto b = begin; b < end;) {
        auto e = b + std::min(piece, end - b);
        list.entries.push_back(to_bytes(index_range{b, e}));
        b = e;
      }
    }
  }

  void restore(const spi::operator_restore& state) {
    ranges_.clear();
    current_ = 0;
    for (const auto& e : state.list("ranges"))
      ranges_.push_back(from_bytes<index_range>(e));
    skip_empty();
  }

private:
  static constexpr std::uint64_t pieces = 32; ///< per range in a snapshot

  void skip_empty() {
    while (current_ < ranges_.size() && ranges_[current_].begin >= ranges_[current_].end)
      ++current_;
  }

  std::vector<index_range> ranges_;
  std::size_t current_ = 0;
};

/// Emits generator(i) for its share of the indexes 0..count-1, optionally at
/// most `rows_per_second` across all subtasks. With count = max it never ends.
template <class T, class F>
class datagen_source final : public source<T> {
public:
  datagen_source(F generator, std::uint64_t count, double rows_per_second,
                 const spi::operator_context& context)
    : generator_(std::move(generator)),
      indexes_(index_range::of_subtask(count, context.subtask_index, context.parallelism)),
      rate_(rows_per_second / context.parallelism) {}

  void open() override { started_ = std::chrono::steady_clock::now(); }

  spi::poll_result poll(std::size_t max_records) override {
    std::uint64_t n = max_records;
    if (rate_ > 0) {
      auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
      auto allowed = static_cast<std::uint64_t>(elapsed.count() * rate_) + 1;
      auto budget = allowed > produced_ ? allowed - produced_ : 0;
      n = std::min(n, budget);
      if (n == 0 && !indexes_.empty()) {
        auto due = std::chrono::duration<double>(static_cast<double>(produced_) / rate_);
        auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(due - elapsed);
        return {spi::input_status::nothing_available,
                std::max(wait, std::chrono::nanoseconds{std::chrono::milliseconds{1}})};
      }
    }
    for (std::uint64_t i = 0; i < n && !indexes_.empty(); ++i, ++produced_) {
      this->output().collect(std::invoke(generator_, static_cast<std::int64_t>(indexes_.next())));
      indexes_.advance();
    }
    return {indexes_.empty() ? spi::input_status::end_of_input : spi::input_status::more_available};
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    indexes_.snapshot(snapshot);
  }

  void restore_state(const spi::operator_restore& state) override { indexes_.restore(state); }

private:
  F generator_;
  index_ranges indexes_;
  double rate_;
  std::uint64_t produced_ = 0; ///< since open(), for the rate limit
  std::chrono::steady_clock::time_point started_;
};

/// The numbers from..to (inclusive), spread over the subtasks in contiguous
/// ranges.
class sequence_source final : public source<std::int64_t> {
public:
  sequence_source(std::int64_t from, std::int64_t to, const spi::operator_context& context)
    : from_(from),
      indexes_(index_range::of_subtask(static_cast<std::uint64_t>(to) -
                                         static_cast<std::uint64_t>(from) + 1,
                                       context.subtask_index, context.parallelism)) {}

  spi::poll_result poll(std::size_t max_records) override {
    for (std::size_t i = 0; i < max_records && !indexes_.empty(); ++i) {
      output().collect(
        static_cast<std::int64_t>(static_cast<std::uint64_t>(from_) + indexes_.next()));
      indexes_.advance();
    }
    return {indexes_.empty() ? spi::input_status::end_of_input : spi::input_status::more_available};
  }

  void snapshot_state(checkpoint_id, spi::operator_snapshot& snapshot) override {
    indexes_.snapshot(snapshot);
  }

  void restore_state(const spi::operator_restore& state) override { indexes_.restore(state); }

private:
  std::int64_t from_;
  index_ranges indexes_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END
