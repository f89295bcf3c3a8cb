#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/source_bridge.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/detail/watermark_multiplexer.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/source.hpp"
#include "flinkcpp/watermark_strategy.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// What goes between a source's readers and its coordinator in the job
/// master (Flink's operator events of sources), as bytes both ways.
struct source_event {
  enum kind : std::uint8_t {
    reader_registration, ///< reader -> coordinator, with the reader's host
    split_request,       ///< reader -> coordinator
    add_splits,          ///< coordinator -> reader, with the splits
    no_more_splits,      ///< coordinator -> reader
  };
  std::uint8_t what = reader_registration;
  std::string host;
  std::vector<split_bytes> splits;
};

template <class Inspector>
auto inspect(Inspector& f, source_event& x) {
  return f(x.what, x.host, x.splits);
}

/// The operator running a source's reader in one subtask (Flink's
/// SourceOperator): registers the reader with the coordinator on open, hands
/// it the splits the coordinator sends (and those restored), polls it, and
/// snapshots its splits into the operator state list "splits" (dealt out
/// round robin on restore). Records get their timestamps from the watermark
/// strategy's assigner, else from the reader; watermarks come from a
/// generator of the strategy per split output (and one for the reader's own
/// output), combined by a watermark_multiplexer into the subtask's.
///
/// Events to the coordinator go through the context's send_to_coordinator
/// (bytes of a source_event; the reader registers with the context's
/// location); the coordinator's come in through handle_coordinator_event.
/// Subtask thread only.
template <class T, class Split, class Checkpoint>
class source_reader_operator final : public source<T>, private source_reader_context {
public:
  /// Throws std::logic_error when `context` offers no way to the coordinator.
  source_reader_operator(const flinkcpp::source<T, Split, Checkpoint>& typed,
                         watermark_strategy<T> strategy, const spi::operator_context& context)
    : context_(context),
      strategy_(std::move(strategy)),
      output_(*this),
      multiplexer_(generated_),
      metrics_(source_metrics::of(context)),
      reader_(typed.create_reader(*this)) {
    if (!context_.send_to_coordinator)
      throw std::logic_error("flink-cpp: a source reader runs without its coordinator");
  }

  void open() override {
    if (!restored_.empty())
      reader_->add_splits(std::exchange(restored_, {}));
    source_event registration;
    registration.what = source_event::reader_registration;
    registration.host = context_.location;
    context_.send_to_coordinator(to_bytes(registration));
    reader_->start();
  }

  void close() override { reader_->close(); }

  spi::poll_result poll(std::size_t max_records) override {
    auto now = context_.clock->now_ms(); // the emit time of this poll's records
    emitted_ = 0;
    auto status = reader_->poll_next(output_, max_records);
    if (emitted_ > 0) {
      metrics_->last_emit_ms.store(now, std::memory_order_relaxed);
      if (last_event_time_ != min_watermark)
        metrics_->emit_lag_ms.store(now - last_event_time_, std::memory_order_relaxed);
    }
    return spi::poll_result{status, status == input_status::nothing_available
                                      ? reader_->retry_after()
                                      : std::chrono::nanoseconds{0}};
  }

  /// An event of the coordinator: splits to read, or no more splits.
  /// Throws serialization_error on bytes that are no source_event.
  void handle_coordinator_event(std::string_view bytes) override {
    auto event = from_bytes<source_event>(bytes);
    if (event.what == source_event::no_more_splits) {
      reader_->notify_no_more_splits();
      return;
    }
    std::vector<Split> splits;
    splits.reserve(event.splits.size());
    for (const auto& s : event.splits)
      splits.push_back(from_bytes<Split>(s.bytes));
    reader_->add_splits(std::move(splits));
  }

  bool generates_watermarks() const override { return true; }

  void emit_periodic_watermark() override {
    for (auto& [id, out] : split_outputs_)
      out->generator->on_periodic_emit(*out->watermarks);
  }

  spi::generated_watermark generated() const override { return generated_.state; }

  void snapshot_state(checkpoint_id checkpoint, spi::operator_snapshot& snapshot) override {
    auto& list = snapshot.lists[splits_list];
    list.mode = spi::redistribution::split;
    for (const auto& split : reader_->snapshot_state(checkpoint))
      list.entries.push_back(to_bytes(split));
  }

  void restore_state(const spi::operator_restore& state) override {
    for (const auto& entry : state.list(splits_list))
      restored_.push_back(from_bytes<Split>(entry));
  }

  void notify_checkpoint_complete(checkpoint_id checkpoint) override {
    reader_->notify_checkpoint_complete(checkpoint);
  }

  static constexpr const char* splits_list = "splits";

private:
  /// Flink's source metrics (FLIP-33) of the operator:
  /// currentEmitEventTimeLag (ms from the event time of the last record
  /// emitted to its emission; NaN before one with an event time) and
  /// sourceIdleTime (ms since a record was last emitted, or since the
  /// reader was made); numRecordsIn is the runtime's (a source's counts
  /// what it emitted). Readers report pendingRecords themselves, through
  /// their context's metrics(). Shared with the gauges, which reporters
  /// may read after the operator is gone.
  struct source_metrics {
    std::atomic<std::int64_t> last_emit_ms{0};
    std::atomic<std::int64_t> emit_lag_ms{min_watermark}; ///< min_watermark: none yet

    static std::shared_ptr<source_metrics> of(const spi::operator_context& context) {
      auto m = std::make_shared<source_metrics>();
      m->last_emit_ms.store(context.clock->now_ms(), std::memory_order_relaxed);
      context.metrics.gauge("currentEmitEventTimeLag", [m] {
        auto lag = m->emit_lag_ms.load(std::memory_order_relaxed);
        return lag == min_watermark ? std::numeric_limits<double>::quiet_NaN()
                                    : static_cast<double>(lag);
      });
      context.metrics.gauge("sourceIdleTime", [m, clock = context.clock] {
        return static_cast<double>(clock->now_ms() -
                                   m->last_emit_ms.load(std::memory_order_relaxed));
      });
      return m;
    }
  };

  /// The subtask's watermark as the multiplexer combined it.
  struct combined_watermark final : watermark_output {
    spi::generated_watermark state;
    void emit_watermark(std::int64_t watermark) override {
      if (watermark > state.watermark)
        state.watermark = watermark;
      state.idle = false;
    }
    void mark_idle() override { state.idle = true; }
    void mark_active() override { state.idle = false; }
  };

  /// One split's output (or the reader's own, id ""): its generator and
  /// its output in the multiplexer.
  struct split_output {
    std::unique_ptr<watermark_generator<T>> generator;
    watermark_output* watermarks = nullptr;
  };

  /// Stamps records and sends them on; a split's records through that
  /// split's watermark generator.
  class stamping_output final : public source_output<T> {
  public:
    stamping_output(source_reader_operator& op, split_output* split) : op_(&op), split_(split) {}

    void collect(T record) override { emit(std::move(record), min_watermark); }
    void collect(T record, std::int64_t timestamp) override { emit(std::move(record), timestamp); }
    void emit_watermark(std::int64_t watermark) override {
      split()->watermarks->emit_watermark(watermark);
    }
    void mark_idle() override { split()->watermarks->mark_idle(); }
    void mark_active() override { split()->watermarks->mark_active(); }

    /// The reader's own output lost its split output: made again on use.
    void forget_split() { split_ = nullptr; }

  private:
    /// The reader's own (made on first use, then kept: no lookup per record).
    split_output* split() {
      if (split_ == nullptr)
        split_ = &op_->split("");
      return split_;
    }

    void emit(T record, std::int64_t timestamp) {
      const auto& assign = op_->strategy_.assigner();
      if (assign)
        timestamp = assign(static_cast<const T&>(record));
      auto* s = split();
      s->watermarks->mark_active();
      s->generator->on_event(static_cast<const T&>(record), timestamp, *s->watermarks);
      op_->timestamp().value = timestamp;
      op_->last_event_time_ = timestamp; // operators chained after it may restamp the slot
      ++op_->emitted_;
      op_->output().collect(std::move(record));
    }

    source_reader_operator* op_;
    split_output* split_;
  };

  /// The reader's output, and those of its splits.
  class operator_output final : public reader_output<T> {
  public:
    explicit operator_output(source_reader_operator& op) : op_(&op), own_(op, nullptr) {}

    void collect(T record) override { own_.collect(std::move(record)); }
    void collect(T record, std::int64_t timestamp) override {
      own_.collect(std::move(record), timestamp);
    }
    void emit_watermark(std::int64_t watermark) override { own_.emit_watermark(watermark); }
    void mark_idle() override { own_.mark_idle(); }
    void mark_active() override { own_.mark_active(); }

    source_output<T>& output_for_split(const std::string& split_id) override {
      auto& out = outputs_[split_id];
      if (!out)
        out = std::make_unique<stamping_output>(*op_, &op_->split(split_id));
      return *out;
    }
    void release_output_for_split(const std::string& split_id) override {
      if (split_id.empty())
        own_.forget_split();
      outputs_.erase(split_id);
      op_->split_outputs_.erase(split_id);
      op_->multiplexer_.unregister(split_id);
    }

  private:
    source_reader_operator* op_;
    stamping_output own_;
    std::map<std::string, std::unique_ptr<stamping_output>> outputs_;
  };

  /// The generator and watermark output of split `id`, made on first use.
  split_output& split(const std::string& id) {
    auto& out = split_outputs_[id];
    if (!out) {
      out = std::make_unique<split_output>();
      out->generator = strategy_.create_generator(*context_.clock);
      out->watermarks = &multiplexer_.output(id);
    }
    return *out;
  }

  // source_reader_context
  int subtask_index() const override { return context_.subtask_index; }
  int parallelism() const override { return context_.parallelism; }
  void send_split_request() override {
    source_event request;
    request.what = source_event::split_request;
    context_.send_to_coordinator(to_bytes(request));
  }
  std::function<void()> waker() const override { return context_.wake; }
  spi::io_executor& io() override { return *context_.io; }
  const spi::processing_clock& clock() const override { return *context_.clock; }
  metric_group& metrics() override { return context_.metrics; }

  spi::operator_context context_;
  watermark_strategy<T> strategy_;
  combined_watermark generated_;
  std::map<std::string, std::unique_ptr<split_output>> split_outputs_;
  operator_output output_;
  watermark_multiplexer multiplexer_;
  std::vector<Split> restored_;
  std::shared_ptr<source_metrics> metrics_;
  std::int64_t emitted_ = 0;                     ///< records the current poll emitted
  std::int64_t last_event_time_ = min_watermark; ///< of the last record emitted
  std::unique_ptr<source_reader<T, Split>> reader_;
};

} // namespace flinkcpp::detail

FLINKCPP_API_END
