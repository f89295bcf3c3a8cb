#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/detail/committable_store.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/sink.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The operator running a sink's writer, and its committer, in one subtask
/// (Flink's SinkWriterOperator and CommitterOperator, chained). On each
/// checkpoint barrier it flushes the writer (the checkpoint is acknowledged
/// once that flush is durable), keeps the committables the writer prepares
/// in a committable_store, and snapshots the writer's state into the
/// operator state list "writer" (dealt out as the sink says). The store
/// commits them when their checkpoint completes and, after a restore, at
/// open; the end of the input's committables are committed when the job
/// finished. Subtask thread only.
template <class Sink>
class sink_writer_operator final : public sink_operator<typename Sink::record_type>,
                                   private sink_writer_context {
public:
  using record_type = typename Sink::record_type;
  using committable_type = typename Sink::committable_type;
  using state_type = typename Sink::state_type;

  static constexpr bool two_phase = !std::is_same_v<committable_type, no_committable>;
  static constexpr bool stateful = !std::is_same_v<state_type, no_writer_state>;

  using collector<record_type>::collect;

  sink_writer_operator(std::shared_ptr<const Sink> sink, const spi::operator_context& context)
    : sink_(std::move(sink)),
      context_(context) {}

  void open() override {
    if constexpr (two_phase) {
      std::shared_ptr<committer<committable_type>> committer = sink_->create_committer();
      if (!committer)
        throw std::logic_error("flink-cpp: a sink with committables gave no committer");
      commits_.emplace(
        *context_.io, context_.wake,
        [committer](std::vector<commit_attempt>& attempts) { commit_typed(*committer, attempts); });
      commits_->restore(restored_);
      commits_->commit_restored();
    }
    std::vector<state_type> states;
    if constexpr (stateful)
      for (const auto& bytes : restored_.list("writer"))
        states.push_back(from_bytes<state_type>(bytes));
    restored_ = {};
    writer_ = sink_->create_writer(*this, std::move(states));
  }

  void collect(record_type&& record) override {
    write_context_.timestamp = this->timestamp().value;
    writer_->write(std::move(record), write_context_);
  }

  void process_batch(spi::record_batch& batch) override {
    for_each_record<record_type>(batch, this->timestamp(), [this](record_type& r, std::size_t) {
      write_context_.timestamp = this->timestamp().value;
      writer_->write(std::move(r), write_context_);
    });
  }

  std::int64_t process_watermark(std::int64_t watermark) override {
    write_context_.current_watermark = watermark;
    writer_->write_watermark(watermark);
    return watermark;
  }

  bool end_input() override {
    if (!ended_) {
      if (!writer_->ready())
        return false;
      final_flush_ = writer_->flush(true);
      if constexpr (two_phase)
        commits_->add_final(serialized(writer_->prepare_commit()));
      ended_ = true;
    }
    flushed_ = !final_flush_ || final_flush_();
    return flushed_ && quiescent();
  }

  bool ready() override { return writer_->ready(); }
  bool holds_output() const override { return writer_ && writer_->holds_output(); }
  void flush_held_output() override { writer_->flush_held_output(); }

  /// Also false while the final flush is not durable yet: the subtask then
  /// waits for the writer's wake-up instead of asking again at once.
  bool quiescent() const override {
    return (!ended_ || flushed_) && (!writer_ || writer_->quiescent()) &&
           (!commits_ || commits_->quiescent());
  }

  void check() override {
    if (writer_)
      writer_->check();
    if (commits_)
      commits_->check();
  }

  bool needs_commit() const override { return ended_ && commits_ && commits_->holds_any(); }
  void commit() override { commits_->commit_all(); }
  void abort() noexcept override {
    flushed_ = true; // nothing waits for the final flush any more
    if (writer_)
      writer_->abort();
  }

  void close() override {
    if (writer_)
      writer_->close();
  }

  void snapshot_state(checkpoint_id checkpoint, spi::operator_snapshot& snapshot) override {
    snapshot.durable = writer_->flush(false);
    if constexpr (two_phase) {
      commits_->add(checkpoint, serialized(writer_->prepare_commit()));
      commits_->snapshot(snapshot);
    }
    if constexpr (stateful) {
      auto& list = snapshot.lists["writer"];
      list.mode = sink_->writer_state_redistribution();
      for (const auto& s : writer_->snapshot_state(checkpoint))
        list.entries.push_back(to_bytes(s));
    }
  }

  void restore_state(const spi::operator_restore& state) override { restored_ = state; }

  void notify_checkpoint_complete(checkpoint_id checkpoint) override {
    if (commits_)
      commits_->checkpoint_complete(checkpoint);
  }

private:
  // sink_writer_context
  int subtask_index() const override { return context_.subtask_index; }
  int parallelism() const override { return context_.parallelism; }
  int attempt_number() const override { return context_.attempt_number; }
  bool checkpointing() const override { return context_.checkpointing; }
  std::function<void()> waker() const override { return context_.wake; }
  spi::io_executor& io() override { return *context_.io; }
  const spi::processing_clock& clock() const override { return *context_.clock; }
  metric_group& metrics() override { return context_.metrics; }

  static std::vector<std::string> serialized(const std::vector<committable_type>& committables) {
    std::vector<std::string> out;
    out.reserve(committables.size());
    for (const auto& c : committables)
      out.push_back(to_bytes(c));
    return out;
  }

  /// Runs the typed committer over `attempts` and copies back what became
  /// of each (on an I/O thread).
  static void commit_typed(committer<committable_type>& committer,
                           std::vector<commit_attempt>& attempts) {
    std::vector<commit_request<committable_type>> requests;
    requests.reserve(attempts.size());
    for (const auto& a : attempts)
      requests.emplace_back(from_bytes<committable_type>(a.bytes), a.retries);
    committer.commit(requests);
    using typed = typename commit_request<committable_type>::outcome;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      switch (requests[i].result()) {
        case typed::committed:
          attempts[i].result = commit_attempt::outcome::committed;
          break;
        case typed::retry_later:
          attempts[i].result = commit_attempt::outcome::retry_later;
          break;
        case typed::failed:
          attempts[i].result = commit_attempt::outcome::failed;
          attempts[i].failure = requests[i].failure();
          break;
      }
    }
  }

  std::shared_ptr<const Sink> sink_;
  spi::operator_context context_;
  std::unique_ptr<typename Sink::writer_type> writer_;
  std::optional<committable_store> commits_;
  spi::operator_restore restored_;
  sink_write_context write_context_;
  std::function<bool()> final_flush_;
  bool ended_ = false;
  bool flushed_ = false; ///< the final flush is durable
};

} // namespace flinkcpp::detail
FLINKCPP_API_END
