#pragma once

// A source of the source API for tests: splits are ranges of numbers, each
// record's timestamp 10 x the number; readers ask for a split whenever they
// have none; the enumerator hands out the splits it was given.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/generator_sources.hpp"
#include "flinkcpp/detail/source_reader_operator.hpp"
#include "flinkcpp/source.hpp"

namespace flinkcpp::testing {

/// Numbers [next, end) of one split (a generator source's split); each
/// record's timestamp is 10 x it.
using range_split = detail::index_split;

/// A range enumerator's state: the splits it has not assigned.
using range_checkpoint = detail::index_splits;

/// How a range_source reads and hands out its splits.
struct range_source_options {
  std::int64_t step = 1;           ///< numbers of each split a poll reads
  std::vector<range_split> splits; ///< what the enumerator hands out
  bool failing = false;            ///< the enumerator throws at every request
  double per_second = 0;           ///< > 0: at most this many numbers per reader and second
};

/// Asks for a split whenever it has none; reads `step` numbers of each of
/// its splits per poll (within its rate), through the split's own output.
class range_reader final : public source_reader<std::int64_t, range_split> {
public:
  /// Reports pendingRecords: the numbers left in its splits.
  range_reader(source_reader_context& context, const range_source_options& options)
    : context_(&context),
      step_(options.step),
      per_second_(options.per_second) {
    context.metrics().gauge("pendingRecords",
                            [pending = pending_] { return static_cast<double>(pending->load()); });
  }

  input_status poll_next(reader_output<std::int64_t>& output, std::size_t) override {
    auto budget = allowed();
    if (budget == 0 && !splits_.empty())
      return input_status::nothing_available;
    for (auto& s : splits_) {
      auto& out = output.output_for_split(s.id);
      for (std::int64_t i = 0; i < step_ && s.next < s.end && budget > 0; ++i, ++s.next) {
        auto number = static_cast<std::int64_t>(s.next);
        out.collect(number, number * 10);
        --budget;
        ++emitted_;
      }
    }
    for (auto s = splits_.begin(); s != splits_.end();)
      if (s->next == s->end) {
        output.release_output_for_split(s->id);
        s = splits_.erase(s);
      } else {
        ++s;
      }
    count_pending();
    if (!splits_.empty())
      return input_status::more_available;
    return requests_.none_left(*context_);
  }
  std::chrono::nanoseconds retry_after() const override {
    return splits_.empty() ? std::chrono::nanoseconds{0} : std::chrono::milliseconds{5};
  }
  std::vector<range_split> snapshot_state(checkpoint_id) override { return splits_; }
  void add_splits(std::vector<range_split> splits) override {
    requests_.splits_came();
    splits_.insert(splits_.end(), splits.begin(), splits.end());
    count_pending();
  }
  void notify_no_more_splits() override { requests_.no_more(); }

private:
  void count_pending() {
    std::int64_t n = 0;
    for (const auto& s : splits_)
      n += static_cast<std::int64_t>(s.end - s.next);
    pending_->store(n);
  }

  /// How many numbers the rate allows now (unlimited without one).
  std::int64_t allowed() {
    if (per_second_ <= 0)
      return std::numeric_limits<std::int64_t>::max();
    auto now = context_->clock().now_ms();
    if (started_ < 0)
      started_ = now;
    auto due =
      static_cast<std::int64_t>(static_cast<double>(now - started_) * per_second_ / 1000) + 1;
    return due > emitted_ ? due - emitted_ : 0;
  }

  source_reader_context* context_;
  std::int64_t step_;
  double per_second_;
  std::int64_t started_ = -1;
  std::int64_t emitted_ = 0;
  std::shared_ptr<std::atomic<std::int64_t>> pending_ =
    std::make_shared<std::atomic<std::int64_t>>(0);
  std::vector<range_split> splits_;
  split_requests requests_;
};

/// Hands out its splits, found asynchronously when it starts (on an I/O
/// thread, as a real enumerator lists files or partitions), one per
/// request, and no more splits once they are gone; requests before they
/// are found wait. Throws at every request with `failing`.
class range_enumerator final : public split_enumerator<range_split, range_checkpoint> {
public:
  range_enumerator(split_enumerator_context<range_split>& context, std::vector<range_split> splits,
                   bool found, bool failing)
    : context_(&context),
      splits_(std::move(splits)),
      found_(found),
      failing_(failing) {}

  void start() override {
    if (found_)
      return;
    context_->call_async([this, listed = std::exchange(splits_, {})]() -> std::function<void()> {
      return [this, listed] { // back on the coordinator's thread
        splits_ = listed;
        found_ = true;
        for (auto subtask : std::exchange(waiting_, {}))
          handle_split_request(subtask, "");
      };
    });
  }
  void handle_split_request(int subtask, const std::string&) override {
    if (failing_)
      throw std::runtime_error("no split for subtask " + std::to_string(subtask));
    if (!found_) {
      waiting_.push_back(subtask);
    } else if (splits_.empty()) {
      context_->signal_no_more_splits(subtask);
    } else {
      context_->assign_split(splits_.front(), subtask);
      splits_.erase(splits_.begin());
    }
  }
  void add_splits_back(std::vector<range_split> splits, int) override {
    splits_.insert(splits_.begin(), splits.begin(), splits.end());
  }
  void add_reader(int) override {}
  range_checkpoint snapshot_state(checkpoint_id) override { return {splits_}; }

private:
  split_enumerator_context<range_split>* context_;
  std::vector<range_split> splits_;
  bool found_;
  bool failing_;
  std::vector<int> waiting_;
};

/// Reads and hands out ranges as `options` say; enumerated by a
/// range_enumerator.
class range_source final : public source<std::int64_t, range_split, range_checkpoint> {
public:
  explicit range_source(range_source_options options) : options_(std::move(options)) {}
  /// Reads `step` numbers per poll of `splits`, without a rate.
  explicit range_source(std::int64_t step, std::vector<range_split> splits = {})
    : range_source(options(step, std::move(splits))) {}
  boundedness get_boundedness() const override { return boundedness::bounded; }
  std::unique_ptr<source_reader<std::int64_t, range_split>>
  create_reader(source_reader_context& context) const override {
    return std::make_unique<range_reader>(context, options_);
  }
  std::unique_ptr<split_enumerator<range_split, range_checkpoint>>
  create_enumerator(split_enumerator_context<range_split>& context) const override {
    return std::make_unique<range_enumerator>(context, options_.splits, false, options_.failing);
  }
  std::unique_ptr<split_enumerator<range_split, range_checkpoint>>
  restore_enumerator(split_enumerator_context<range_split>& context,
                     range_checkpoint checkpoint) const override {
    return std::make_unique<range_enumerator>(context, std::move(checkpoint.pending), true,
                                              options_.failing);
  }

private:
  static range_source_options options(std::int64_t step, std::vector<range_split> splits) {
    range_source_options o;
    o.step = step;
    o.splits = std::move(splits);
    return o;
  }

  range_source_options options_;
};

/// The bytes of a coordinator's event handing a reader `splits`.
inline std::string add_splits_event(const std::vector<range_split>& splits) {
  detail::source_event e;
  e.what = detail::source_event::add_splits;
  for (const auto& split : splits)
    e.splits.push_back({split.id, detail::to_bytes(split)});
  return detail::to_bytes(e);
}

/// The bytes of a coordinator's event telling a reader no more splits come.
inline std::string no_more_splits_event() {
  detail::source_event e;
  e.what = detail::source_event::no_more_splits;
  return detail::to_bytes(e);
}

/// `n` splits of `size` numbers each, numbered on from 0.
inline std::vector<range_split> range_splits(int n, std::int64_t size) {
  std::vector<range_split> out;
  for (int i = 0; i < n; ++i)
    out.push_back({"split-" + std::to_string(i), static_cast<std::uint64_t>(i * size),
                   static_cast<std::uint64_t>((i + 1) * size)});
  return out;
}

} // namespace flinkcpp::testing
