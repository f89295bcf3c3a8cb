#pragma once

// Template bases for operators of a record type: typed inputs and outputs
// over the spi::stream_operator interface, fan-outs and operator factories
// made from a callable. Job code instantiates them through the DataStream API.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/record_batch.hpp"
#include "flinkcpp/spi/stream_operator.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Calls fn(record, index) for each record of `batch` (known to hold T),
/// with `now` set to the record's timestamp when the batch carries them.
template <class T, class F>
void for_each_record(spi::record_batch& batch, spi::record_timestamp& now, F&& fn) {
  auto& records = spi::records_of<T>(batch);
  if (batch.timestamps.size() != records.size()) {
    now.value = min_watermark; // a stream without event time
    for (std::size_t i = 0; i < records.size(); ++i)
      fn(records[i], i);
    return;
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    now.value = batch.timestamps[i];
    fn(records[i], i);
  }
}

/// Passes records on to another collector, counting them: a plain
/// increment per record, read by the runtime between steps on the same
/// thread.
template <class T>
class counting_collector final : public collector<T> {
public:
  using collector<T>::collect;

  void collect(T&& record) override {
    ++count_;
    target_->collect(std::move(record));
  }

  void set_target(collector<T>* target) noexcept { target_ = target; }
  std::int64_t count() const noexcept { return count_; }

private:
  collector<T>* target_ = nullptr;
  std::int64_t count_ = 0;
};

/// Adds a typed, counted output to an operator base.
template <class Out, class Base = spi::stream_operator>
class output_operator : public Base {
public:
  void set_output(spi::collector_ref out) override { out_.set_target(out.as<Out>()); }
  std::int64_t records_emitted() const noexcept override { return out_.count(); }

protected:
  collector<Out>& output() { return out_; }

private:
  counting_collector<Out> out_;
};

/// Adds a typed input to an operator base: records arrive through collect(),
/// batches through process_batch().
template <class In, class Base>
class input_operator : public Base, public collector<In> {
public:
  using collector<In>::collect;

  spi::collector_ref input() override { return spi::collector_ref::of<In>(this); }

  void process_batch(spi::record_batch& batch) override {
    for_each_record<In>(batch, this->timestamp(),
                        [this](In& record, std::size_t) { this->collect(std::move(record)); });
  }
};

/// A transformation from In to Out.
template <class In, class Out>
class one_input_operator : public input_operator<In, output_operator<Out>> {};

/// A sink consuming In.
template <class In>
class sink_operator : public input_operator<In, spi::stream_operator> {};

/// A source producing Out.
template <class Out>
class source : public output_operator<Out, spi::source_operator> {};

/// Copies each record to several collectors (an operator whose output feeds
/// more than one consumer).
template <class T>
class fanout final : public collector<T> {
public:
  explicit fanout(std::vector<collector<T>*> targets) : targets_(std::move(targets)) {}

  void collect(T&& record) override {
    for (std::size_t i = 0; i + 1 < targets_.size(); ++i)
      targets_[i]->collect(static_cast<const T&>(record));
    targets_.back()->collect(std::move(record));
  }

private:
  std::vector<collector<T>*> targets_;
};

/// A collector of T copying to all `targets`, kept alive by `holder`.
template <class T>
spi::collector_ref make_typed_fanout(const std::vector<spi::collector_ref>& targets,
                                     spi::fanout_holder& holder) {
  std::vector<collector<T>*> typed;
  typed.reserve(targets.size());
  for (const auto& t : targets)
    typed.push_back(t.as<T>());
  auto f = std::make_shared<fanout<T>>(std::move(typed));
  holder = f;
  return spi::collector_ref::of<T>(f.get());
}

/// The factory of a node whose operators emit Out (void for sinks), built from
/// a callable `Make(const operator_context&) -> std::unique_ptr<stream_operator>`.
template <class Out, class Make>
class callable_operator_factory final : public spi::operator_factory {
public:
  explicit callable_operator_factory(Make make) : make_(std::move(make)) {}

  std::unique_ptr<spi::stream_operator>
  create(const spi::operator_context& context) const override {
    return make_(context);
  }

  spi::collector_ref make_fanout(const std::vector<spi::collector_ref>& targets,
                                 spi::fanout_holder& holder) const override {
    if constexpr (std::is_void_v<Out>) {
      (void)targets;
      (void)holder;
      throw std::logic_error("flink-cpp: a sink has no output to fan out");
    } else {
      return make_typed_fanout<Out>(targets, holder);
    }
  }

private:
  Make make_;
};

template <class Out, class Make>
std::shared_ptr<const spi::operator_factory> make_operator_factory(Make make) {
  return std::make_shared<callable_operator_factory<Out, Make>>(std::move(make));
}

} // namespace flinkcpp::detail
FLINKCPP_API_END
