#pragma once

// A source of the source API for tests: splits are ranges of numbers, each
// record's timestamp 10 x the number; readers ask for a split whenever they
// have none. It has no enumerator: tests play the coordinator.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/source.hpp"

namespace flinkcpp::testing {

/// Numbers [next, end) of one split; each record's timestamp is 10 x it.
struct range_split {
  std::string name;
  std::int64_t next = 0;
  std::int64_t end = 0;
  std::string split_id() const { return name; }
};

template <class Inspector>
auto inspect(Inspector& f, range_split& x) {
  return f(x.name, x.next, x.end);
}

struct no_checkpoint {};

template <class Inspector>
auto inspect(Inspector& f, no_checkpoint&) {
  return f();
}

/// Asks for a split whenever it has none; reads `step` numbers of each of
/// its splits per poll, through the split's own output.
class range_reader final : public source_reader<std::int64_t, range_split> {
public:
  range_reader(source_reader_context& context, std::int64_t step)
    : context_(&context),
      step_(step) {}

  input_status poll_next(reader_output<std::int64_t>& output, std::size_t) override {
    for (auto& s : splits_) {
      auto& out = output.output_for_split(s.name);
      for (std::int64_t i = 0; i < step_ && s.next < s.end; ++i, ++s.next)
        out.collect(s.next, s.next * 10);
    }
    for (auto s = splits_.begin(); s != splits_.end();)
      if (s->next == s->end) {
        output.release_output_for_split(s->name);
        s = splits_.erase(s);
      } else {
        ++s;
      }
    if (!splits_.empty())
      return input_status::more_available;
    if (no_more_)
      return input_status::end_of_input;
    if (!asked_) {
      asked_ = true;
      context_->send_split_request();
    }
    return input_status::nothing_available;
  }
  std::vector<range_split> snapshot_state(checkpoint_id) override { return splits_; }
  void add_splits(std::vector<range_split> splits) override {
    asked_ = false;
    splits_.insert(splits_.end(), splits.begin(), splits.end());
  }
  void notify_no_more_splits() override { no_more_ = true; }

private:
  source_reader_context* context_;
  std::int64_t step_;
  std::vector<range_split> splits_;
  bool asked_ = false;
  bool no_more_ = false;
};

class range_source final : public source<std::int64_t, range_split, no_checkpoint> {
public:
  explicit range_source(std::int64_t step) : step_(step) {}
  boundedness get_boundedness() const override { return boundedness::bounded; }
  std::unique_ptr<source_reader<std::int64_t, range_split>>
  create_reader(source_reader_context& context) const override {
    return std::make_unique<range_reader>(context, step_);
  }
  std::unique_ptr<split_enumerator<range_split, no_checkpoint>>
  create_enumerator(split_enumerator_context<range_split>&) const override {
    return nullptr;
  }
  std::unique_ptr<split_enumerator<range_split, no_checkpoint>>
  restore_enumerator(split_enumerator_context<range_split>&, no_checkpoint) const override {
    return nullptr;
  }

private:
  std::int64_t step_;
};

} // namespace flinkcpp::testing
