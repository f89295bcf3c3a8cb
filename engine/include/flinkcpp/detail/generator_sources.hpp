#pragma once

// Sources that make records rather than read them: a collection (Flink's
// fromElements) and a data generator (DataGeneratorSource: a function of the
// record index, a count, an optional rate limit; a source of the source API,
// which from_sequence, Flink's NumberSequenceSource, uses too).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/source.hpp"

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

/// A split of a generator source: the indexes [next, end) (Flink's
/// NumberSequenceSplit).
struct index_split {
  std::string id;
  std::uint64_t next = 0;
  std::uint64_t end = 0;
  std::string split_id() const { return id; }
};

template <class Inspector>
auto inspect(Inspector& f, index_split& x) {
  return f(x.id, x.next, x.end);
}

/// A generator source's enumerator state: the splits it has not handed out.
struct index_splits {
  std::vector<index_split> pending;
};

template <class Inspector>
auto inspect(Inspector& f, index_splits& x) {
  return f(x.pending);
}

/// Hands out its splits one per request, then no more (Flink's
/// IteratorSourceEnumerator); splits given back go out again.
class index_split_enumerator final : public split_enumerator<index_split, index_splits> {
public:
  index_split_enumerator(split_enumerator_context<index_split>& context,
                         std::vector<index_split> splits)
    : context_(&context),
      splits_(std::move(splits)) {}

  void start() override {}
  void handle_split_request(int subtask, const std::string&) override {
    if (splits_.empty()) {
      context_->signal_no_more_splits(subtask);
      return;
    }
    context_->assign_split(std::move(splits_.back()), subtask);
    splits_.pop_back();
  }
  void add_splits_back(std::vector<index_split> splits, int) override {
    splits_.insert(splits_.end(), splits.begin(), splits.end());
  }
  void add_reader(int) override {}
  index_splits snapshot_state(checkpoint_id) override { return {splits_}; }

private:
  split_enumerator_context<index_split>* context_;
  std::vector<index_split> splits_; ///< handed out from the back
};

/// Reads generator(i) for the indexes of its splits, one split after the
/// other in the order of their indexes, at most `rows_per_second` (0: unlimited). Its state cuts what is
/// left of each split into pieces, so that a job restored at a higher
/// parallelism spreads the remaining work over all its readers.
template <class T, class F>
class generator_reader final : public source_reader<T, index_split> {
public:
  generator_reader(source_reader_context& context, F generator, double rows_per_second)
    : context_(&context),
      generator_(std::move(generator)),
      rate_(rows_per_second) {}

  void start() override { started_ = std::chrono::steady_clock::now(); }

  input_status poll_next(reader_output<T>& output, std::size_t max_records) override {
    while (!splits_.empty() && splits_.front().next >= splits_.front().end)
      splits_.erase(splits_.begin());
    if (splits_.empty())
      return requests_.none_left(*context_);
    std::uint64_t n = std::min<std::uint64_t>(max_records, budget());
    if (n == 0)
      return input_status::nothing_available;
    auto& split = splits_.front();
    n = std::min(n, split.end - split.next);
    for (std::uint64_t i = 0; i < n; ++i, ++split.next)
      output.collect(std::invoke(generator_, static_cast<std::int64_t>(split.next)));
    produced_ += n;
    return input_status::more_available;
  }

  std::chrono::nanoseconds retry_after() const override { return wait_; }

  std::vector<index_split> snapshot_state(checkpoint_id) override {
    std::vector<index_split> out;
    for (const auto& s : splits_) {
      auto size = s.end - s.next; // rounded up without overflow: unbounded ends at 2^64 - 1
      auto piece = std::max<std::uint64_t>(1, size / pieces + (size % pieces != 0 ? 1 : 0));
      int k = 0;
      for (auto b = s.next; b < s.end; ++k) {
        auto e = b + std::min(piece, s.end - b);
        out.push_back({s.id + "." + std::to_string(k), b, e});
        b = e;
      }
    }
    return out;
  }

  /// Reads the splits in the order of their indexes: pieces of a job
  /// restored at another parallelism come dealt out across the subtasks in
  /// the order of the old ones, and a reader emitting a later range before
  /// an earlier one would run its watermark past the earlier one's records.
  void add_splits(std::vector<index_split> splits) override {
    requests_.splits_came();
    splits_.insert(splits_.end(), splits.begin(), splits.end());
    std::stable_sort(splits_.begin(), splits_.end(),
                     [](const index_split& a, const index_split& b) { return a.next < b.next; });
  }

  void notify_no_more_splits() override { requests_.no_more(); }

private:
  static constexpr std::uint64_t pieces = 32; ///< per split in a snapshot
  static constexpr std::chrono::milliseconds min_wait{5};

  /// How many records the rate allows now; with none, sets wait_ to when
  /// the next one is due.
  std::uint64_t budget() {
    wait_ = std::chrono::nanoseconds{0};
    if (rate_ <= 0)
      return std::numeric_limits<std::uint64_t>::max();
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
    auto allowed = static_cast<std::uint64_t>(elapsed.count() * rate_) + 1;
    if (allowed > produced_)
      return allowed - produced_;
    // Wait for the next record, but at least min_wait: a fast rate then
    // wakes the reader for a few records at a time, not for each one.
    auto due = std::chrono::duration<double>(static_cast<double>(produced_) / rate_);
    wait_ = std::max(std::chrono::duration_cast<std::chrono::nanoseconds>(due - elapsed),
                     std::chrono::nanoseconds{min_wait});
    return 0;
  }

  source_reader_context* context_;
  F generator_;
  double rate_;
  std::vector<index_split> splits_;
  split_requests requests_;
  std::uint64_t produced_ = 0; ///< since start(), for the rate limit
  std::chrono::steady_clock::time_point started_;
  std::chrono::nanoseconds wait_{0};
};

/// Flink's DataGeneratorSource: generator(i) for every index i in
/// 0..count-1 (count = max: never ends), cut into a split per reader, at
/// most `rows_per_second` in all (each reader its share).
template <class T, class F>
class generator_source final : public flinkcpp::source<T, index_split, index_splits> {
public:
  generator_source(F generator, std::uint64_t count, double rows_per_second)
    : generator_(std::move(generator)),
      count_(count),
      rate_(rows_per_second) {}

  boundedness get_boundedness() const override {
    return count_ == std::numeric_limits<std::uint64_t>::max() ? boundedness::continuous_unbounded
                                                               : boundedness::bounded;
  }
  std::unique_ptr<source_reader<T, index_split>>
  create_reader(source_reader_context& context) const override {
    return std::make_unique<generator_reader<T, F>>(context, generator_,
                                                    rate_ / context.parallelism());
  }
  std::unique_ptr<split_enumerator<index_split, index_splits>>
  create_enumerator(split_enumerator_context<index_split>& context) const override {
    std::vector<index_split> splits;
    int parallelism = context.current_parallelism();
    for (int i = parallelism - 1; i >= 0; --i) { // handed out from the back
      auto r = index_range::of_subtask(count_, i, parallelism);
      if (r.begin < r.end)
        splits.push_back({"indexes-" + std::to_string(i), r.begin, r.end});
    }
    return std::make_unique<index_split_enumerator>(context, std::move(splits));
  }
  std::unique_ptr<split_enumerator<index_split, index_splits>>
  restore_enumerator(split_enumerator_context<index_split>& context,
                     index_splits checkpoint) const override {
    return std::make_unique<index_split_enumerator>(context, std::move(checkpoint.pending));
  }

private:
  F generator_;
  std::uint64_t count_;
  double rate_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END
