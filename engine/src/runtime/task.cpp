#include "runtime/task.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <mutex>

#include "checkpoint/storage/keyed_state_file.hpp"
#include "metrics/metric_registry.hpp"
#include "state/state_backend.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

/// Per input gate of `vertex`: whether it feeds its head's second input.
std::vector<bool> second_inputs(const job_graph& graph, int vertex) {
  std::vector<bool> out;
  for (int edge : graph.vertices().at(static_cast<std::size_t>(vertex)).inputs)
    out.push_back(graph.edges()[static_cast<std::size_t>(edge)].target_input == 1);
  return out;
}

} // namespace

/// One snapshot being written on the I/O executor; shared with the I/O thread.
struct task::snapshot_write {
  checkpoint_id id;
  /// The operators' output the snapshot needs durable (task thread only).
  std::vector<std::function<bool()>> durable;
  std::mutex mutex;
  bool done = false;                          ///< guarded by mutex
  std::string error;                          ///< guarded by mutex
  std::vector<operator_subtask_state> states; ///< guarded by mutex
};

/// Hands the batches of one record writer to the credit gate of its partition.
class task::partition_sink final : public spi::batch_sink {
public:
  partition_sink(task& owner, std::uint32_t partition) : owner_(owner), partition_(partition) {}

  void emit(std::uint32_t channel, spi::batch_ptr batch) override {
    owner_.metrics_.records_out.fetch_add(static_cast<std::int64_t>(batch->size()),
                                          std::memory_order_relaxed);
    owner_.gates_[partition_].offer(channel, channel_event::of(std::move(batch)));
  }

  void emit_watermark(std::int64_t watermark) override {
    offer_on_every_channel(channel_event::watermark(watermark));
  }

  void emit_watermark_status(bool idle) override {
    offer_on_every_channel(channel_event::watermark_status(idle));
  }

private:
  /// Queues `event` (one without a batch) on each channel of the partition.
  void offer_on_every_channel(const channel_event& event) {
    auto& gate = owner_.gates_[partition_];
    for (std::uint32_t c = 0; c < gate.channels(); ++c)
      gate.offer(c, channel_event(event));
  }

  task& owner_;
  std::uint32_t partition_;
};

task::task(task_host& host, const job_graph& graph, int vertex, int subtask,
           const task_settings& settings, const chain_services& services,
           const std::vector<std::uint32_t>& input_channels,
           std::vector<std::uint32_t> output_channels, task_metrics& metrics,
           const std::map<operator_id, spi::operator_restore>* restored)
  : host_(host),
    settings_(settings),
    metrics_(metrics),
    inputs_(input_channels),
    second_input_(second_inputs(graph, vertex)),
    credits_(input_channels, settings.credits_per_channel, settings.floating_per_gate),
    watermarks_(input_channels),
    aligner_(input_channels, settings.exactly_once),
    io_(services.io),
    keyed_stores_(services.keyed_stores),
    backend_(make_state_backend(settings.state)),
    wake_(services.wake),
    clock_(services.clock),
    subtask_(subtask) {
  std::vector<spi::batch_sink*> sinks;
  for (std::uint32_t p = 0; p < output_channels.size(); ++p) {
    sinks_.push_back(std::make_unique<partition_sink>(*this, p));
    sinks.push_back(sinks_.back().get());
    gates_.emplace_back(output_channels[p], settings.max_queued_per_channel,
                        [this, p](std::uint32_t channel, channel_event&& event) {
                          host_.send_event(p, channel, std::move(event));
                        });
  }
  chain_services with_batch_size = services;
  with_batch_size.batch_bytes = settings.batch_bytes;
  with_batch_size.checkpointing = settings.checkpointing;
  with_batch_size.operator_metrics = &metrics_.operator_metrics;
  guarded([&] {
    chain_ = std::make_unique<operator_chain>(graph, vertex, subtask, with_batch_size, sinks);
    if (restored != nullptr)
      chain_->restore(*restored);
  });
}

task::~task() = default;

template <class F>
void task::guarded(F&& body) {
  auto began = metric_registry::now_ns();
  try {
    body();
  } catch (const std::exception& e) {
    fail(e.what());
  } catch (...) {
    fail("unknown exception");
  }
  metrics_.busy_ns.fetch_add(metric_registry::now_ns() - began, std::memory_order_relaxed);
}

void task::start() {
  if (phase_ != phase::created)
    return;
  guarded([&] {
    chain_->open();
    phase_ = phase::running;
    state_ = execution_state::running;
    host_.state_changed(state_, {});
    credits_.start();
    if (chain_->generates_watermarks() && settings_.auto_watermark_interval.count() > 0)
      host_.schedule_watermark(settings_.auto_watermark_interval);
    if (chain_->source() != nullptr) {
      request_resume(std::chrono::nanoseconds{0});
      schedule_processing_timer(); // restored timers
      announce_credits();
    } else {
      // Events that need no credit (an end of input, a watermark) may have
      // come before the start; nothing else may come to process them.
      pump(); // also schedules restored timers and announces the credits
    }
  });
}

void task::receive(std::uint32_t gate, std::uint32_t channel, channel_event event) {
  if (phase_ == phase::aborting || phase_ == phase::done)
    return;
  guarded([&] {
    bool batch = event.kind == event_kind::batch;
    auto backlog = static_cast<std::uint32_t>(event.value);
    inputs_.receive(gate, channel, std::move(event));
    if (batch)
      credits_.on_batch_arrived(gate, channel, backlog);
    if (phase_ == phase::running)
      pump();
    announce_credits();
  });
}

void task::grant(std::uint32_t partition, std::uint32_t channel, std::uint32_t credits) {
  if (phase_ == phase::aborting || phase_ == phase::done)
    return;
  guarded([&] {
    gates_.at(partition).grant(channel, credits);
    pump();
  });
}

void task::resume() {
  resume_pending_ = false;
  guarded([&] { pump(); });
}

void task::flush_timer() {
  flush_pending_ = false;
  if (phase_ != phase::running)
    return;
  guarded([&] { chain_->flush(); });
}

void task::watermark_timer() {
  if (phase_ != phase::running)
    return;
  guarded([&] {
    chain_->emit_periodic_watermarks();
    publish_step_metrics();
    host_.schedule_watermark(settings_.auto_watermark_interval);
  });
}

void task::processing_timer(std::int64_t time) {
  processing_callbacks_.erase(time);
  if (phase_ != phase::running || !can_proceed())
    return; // without room, the next grant's step schedules the timers again
  guarded([&] {
    chain_->on_processing_time(clock_->now_ms());
    after_step();
    schedule_processing_timer();
    publish_step_metrics();
  });
}

void task::schedule_processing_timer() {
  if (phase_ != phase::running)
    return;
  auto next = chain_->next_processing_timer();
  if (!next || (!processing_callbacks_.empty() && *processing_callbacks_.begin() <= *next))
    return;
  // Far timers are looked at again within an hour: a delay must fit the
  // host's clock arithmetic, and the processing clock may be set meanwhile.
  constexpr std::int64_t longest_delay = 3'600'000;
  auto now = clock_->now_ms();
  auto delay = *next <= now ? 0 : std::min(*next - now, longest_delay);
  processing_callbacks_.insert(*next);
  host_.schedule_processing_timer(*next, std::chrono::milliseconds{delay});
}

void task::wake() {
  guarded([&] {
    if (phase_ != phase::aborting && phase_ != phase::done) {
      chain_->check();
      report_written_snapshots();
    }
    pump();
  });
}

void task::trigger_checkpoint(checkpoint_id id, barrier_options options) {
  guarded([&] {
    if (expected_ < id) {
      expected_ = id;
      expected_options_ = options;
    }
    switch (phase_) {
      case phase::running:
        if (chain_->source() != nullptr) {
          if (options.drains())
            chain_->advance_watermark(max_watermark);
          take_snapshot(id, options, true);
          if (options.ends_sources()) {
            ends_event_time_ = false; // sent already with drain, else not at all
            begin_ending();
          }
        } // else: barriers will come
        break;
      case phase::ending:
      case phase::draining:
        break; // snapshotted when finished
      case phase::finished:
        if (last_snapshot_ < id)
          take_snapshot(id, options, false);
        break;
      default:
        host_.decline_checkpoint(id, "the task is not running", false);
    }
  });
}

void task::notify_checkpoint_complete(checkpoint_id id) {
  if (phase_ == phase::aborting || phase_ == phase::done)
    return;
  guarded([&] {
    if (keyed_stores_)
      keyed_stores_->checkpoint_complete(id.value());
    chain_->notify_checkpoint_complete(id);
  });
}

void task::coordinator_event(const operator_id& op, std::string_view event) {
  if (phase_ == phase::aborting || phase_ == phase::done)
    return;
  guarded([&] {
    chain_->handle_coordinator_event(op, event);
    pump(); // a source reader may have splits to read now
  });
}

void task::take_snapshot(checkpoint_id id, barrier_options options, bool send_barriers) {
  if (send_barriers)
    chain_->flush(); // records before the barrier leave before it
  std::vector<chained_snapshot> snapshots;
  std::string declined;
  try {
    snapshots = chain_->snapshot(id, settings_.state.incremental && !options.self_contained());
  } catch (const spi::snapshot_declined& e) {
    declined = e.what();
  }
  if (send_barriers) // also when declined: the tasks downstream must not wait
    for (std::uint32_t p = 0; p < gates_.size(); ++p)
      for (std::uint32_t c = 0; c < gates_[p].channels(); ++c)
        gates_[p].offer(c, channel_event::barrier(id.value(), options));
  last_snapshot_ = id;
  if (!declined.empty()) {
    host_.decline_checkpoint(id, declined, false);
    return;
  }
  auto write = std::make_shared<snapshot_write>();
  write->id = id;
  for (auto& s : snapshots)
    if (s.state.durable)
      write->durable.push_back(std::move(s.state.durable));
  writes_.push_back(write);
  auto directory = settings_.checkpoints.checkpoint(id);
  auto shared = settings_.checkpoints.shared();
  auto subtask = subtask_;
  io_->execute([write, id, directory, shared, subtask, snapshots = std::move(snapshots),
                backend = backend_, wake = wake_]() {
    std::vector<operator_subtask_state> states;
    std::string error;
    try {
      for (const auto& s : snapshots) {
        auto& state = states.emplace_back();
        state.op = s.op;
        state.subtask = subtask;
        for (const auto& [name, list] : s.state.lists)
          state.lists.push_back({name, list.mode, list.entries});
        if (!s.state.native && !s.state.keyed)
          continue;
        std::error_code ec;
        if (!s.state.native)
          std::filesystem::create_directories(directory, ec);
        auto handle =
          s.state.native
            ? backend->write_native_snapshot(*s.state.native, shared, id, s.key_groups)
            : write_keyed_state_file(directory, s.op.to_string() + "-" + std::to_string(subtask),
                                     s.key_groups, s.state.keyed);
        if (!handle) {
          error = handle.error();
          break;
        }
        state.has_keyed = true;
        state.keyed = std::move(handle.value());
      }
    } catch (const std::exception& e) {
      error = std::string{"writing the snapshot failed: "} + e.what();
    }
    {
      std::lock_guard<std::mutex> guard{write->mutex};
      write->done = true;
      write->error = std::move(error);
      write->states = std::move(states);
    }
    wake();
  });
}

void task::report_written_snapshots() {
  for (auto i = writes_.begin(); i != writes_.end();) {
    std::shared_ptr<snapshot_write> w = *i;
    std::erase_if(w->durable, [](const std::function<bool()>& durable) { return durable(); });
    std::unique_lock<std::mutex> guard{w->mutex};
    if (!w->done || (!w->durable.empty() && w->error.empty())) {
      ++i;
      continue;
    }
    guard.unlock();
    i = writes_.erase(i);
    if (w->error.empty())
      host_.acknowledge_checkpoint(w->id, std::move(w->states));
    else
      host_.decline_checkpoint(w->id, w->error, true);
  }
}

void task::handle_alignment(const barrier_aligner::decision& d) {
  if (d.aborted) {
    inputs_.unblock_all();
    host_.decline_checkpoint(
      *d.aborted, "a barrier of a newer checkpoint arrived before it was aligned", false);
  }
  if (d.snapshot) {
    take_snapshot(*d.snapshot, aligning_options_, true);
    inputs_.unblock_all();
  }
}

void task::commit() {
  if (phase_ != phase::finished)
    return;
  phase_ = phase::committing;
  try {
    chain_->commit();
  } catch (const std::exception& e) {
    failure_ = e.what();
  }
  continue_committing();
}

void task::cancel() {
  if (phase_ == phase::aborting || phase_ == phase::done)
    return;
  state_ = execution_state::canceling;
  abort_outcome_ = execution_state::canceled;
  phase_ = phase::aborting;
  if (chain_)
    chain_->abort();
  continue_aborting();
}

void task::fail(const std::string& message) {
  if (phase_ == phase::aborting || phase_ == phase::done)
    return;
  failure_ = message.empty() ? "unknown failure" : message;
  abort_outcome_ = execution_state::failed;
  phase_ = phase::aborting;
  if (chain_)
    chain_->abort();
  continue_aborting();
}

void task::mark_remote_output(std::uint32_t partition, std::uint32_t channel) {
  guarded([&] {
    if (chain_)
      chain_->set_batch_bytes(partition, channel, settings_.remote_batch_bytes);
  });
}

bool task::held_up_by_outputs() {
  bool has_work = false;
  if (phase_ == phase::ending)
    has_work = true;
  else if (phase_ == phase::running)
    has_work = chain_->source() != nullptr ? !source_waiting_
                                           : inputs_.has_pending() || chain_->watermark_pending();
  return has_work && !can_proceed();
}

void task::request_resume(std::chrono::nanoseconds delay) {
  if (resume_pending_ && delay.count() == 0)
    return;
  if (delay.count() == 0)
    resume_pending_ = true;
  host_.schedule_resume(delay);
}

bool task::can_proceed() {
  for (const auto& g : gates_)
    if (!g.available())
      return false;
  return chain_->ready();
}

void task::pump() {
  switch (phase_) {
    case phase::running:
      if (chain_->source() != nullptr)
        run_source();
      else
        run_inputs();
      break;
    case phase::ending:
      continue_ending();
      break;
    case phase::draining:
      continue_draining();
      break;
    case phase::committing:
      continue_committing();
      break;
    case phase::aborting:
      continue_aborting();
      break;
    case phase::created:
    case phase::finished:
    case phase::done:
      break;
  }
  schedule_processing_timer();
  publish_step_metrics();
  announce_credits();
}

void task::publish_step_metrics() {
  bool held_up = held_up_by_outputs();
  if (held_up != metrics_.back_pressured.load(std::memory_order_relaxed)) {
    auto now = metric_registry::now_ns();
    if (held_up) {
      metrics_.back_pressured_since_ns.store(now, std::memory_order_relaxed);
    } else {
      auto since = metrics_.back_pressured_since_ns.exchange(0, std::memory_order_relaxed);
      metrics_.back_pressured_ns.fetch_add(now - since, std::memory_order_relaxed);
    }
    metrics_.back_pressured.store(held_up, std::memory_order_relaxed);
  }
  auto permille = [](std::size_t used, std::size_t capacity) {
    return static_cast<std::int32_t>(
      capacity == 0 ? 0 : std::min<std::size_t>(used * 1000 / capacity, 1000));
  };
  std::size_t queued = 0;
  std::size_t capacity = 0;
  for (const auto& g : gates_) {
    queued += g.queued();
    capacity += g.capacity();
  }
  metrics_.out_pool_usage_permille.store(permille(queued, capacity), std::memory_order_relaxed);
  metrics_.in_pool_usage_permille.store(permille(inputs_.queued(), credits_.capacity()),
                                        std::memory_order_relaxed);
  metrics_.input_watermark.store(watermarks_.current(), std::memory_order_relaxed);
  if (chain_ != nullptr) {
    auto n = std::min(chain_->size(), metrics_.operator_records_out.size());
    for (std::size_t i = 0; i < n; ++i) {
      metrics_.operator_records_out[i].store(chain_->records_emitted(i), std::memory_order_relaxed);
      metrics_.operator_input_watermark[i].store(chain_->input_watermark(i),
                                                 std::memory_order_relaxed);
      metrics_.operator_output_watermark[i].store(chain_->output_watermark(i),
                                                  std::memory_order_relaxed);
    }
  }
}

void task::announce_credits() {
  for (const auto& a : credits_.take_announcements())
    host_.send_credit(a.gate, a.channel, a.credits);
}

void task::run_source() {
  if (!can_proceed())
    return; // credit or a sink's wake resumes us
  auto r = chain_->source()->poll(settings_.source_step);
  source_waiting_ = r.status == spi::input_status::nothing_available;
  after_step();
  switch (r.status) {
    case spi::input_status::more_available:
      request_resume(std::chrono::nanoseconds{0});
      break;
    case spi::input_status::nothing_available:
      if (r.retry_after.count() > 0)
        host_.schedule_resume(r.retry_after);
      break;
    case spi::input_status::end_of_input:
      begin_ending();
      break;
  }
}

void task::run_inputs() {
  bool processed = false;
  while ((chain_->watermark_pending() || inputs_.has_pending()) && can_proceed()) {
    processed = true;
    if (chain_->watermark_pending()) { // before any input, one step at a time
      if (!continue_watermarks())
        return;
      continue;
    }
    auto a = inputs_.take();
    switch (a.event.kind) {
      case event_kind::batch:
        apply(watermarks_.on_batch(a.gate, a.channel));
        metrics_.records_in.fetch_add(static_cast<std::int64_t>(a.event.batch->size()),
                                      std::memory_order_relaxed);
        if (second_input_[a.gate])
          chain_->head().process_batch2(*a.event.batch);
        else
          chain_->head().process_batch(*a.event.batch);
        a.event.batch.reset();
        credits_.on_batch_consumed(a.gate, a.channel);
        break;
      case event_kind::end_of_input:
        credits_.on_channel_ended(a.gate, a.channel);
        apply(watermarks_.on_channel_ended(a.gate, a.channel));
        handle_alignment(aligner_.on_channel_ended(a.gate, a.channel));
        if (inputs_.gate_ended(a.gate))
          end_input_of(a.gate);
        if (inputs_.all_ended()) {
          after_step();
          begin_ending();
          return;
        }
        break;
      case event_kind::barrier: {
        aligning_options_ = a.event.options;
        auto d = aligner_.on_barrier(a.gate, a.channel, checkpoint_id{a.event.value});
        if (d.block)
          inputs_.block(a.gate, a.channel);
        handle_alignment(d);
        break;
      }
      case event_kind::watermark:
        apply(watermarks_.on_watermark(a.gate, a.channel, a.event.value));
        break;
      case event_kind::watermark_status:
        apply(watermarks_.on_status(a.gate, a.channel, a.event.value != 0));
        break;
    }
  }
  if (processed)
    after_step();
}

void task::end_input_of(std::uint32_t gate) {
  bool second = second_input_[gate];
  if (std::find(second_input_.begin(), second_input_.end(), true) == second_input_.end())
    return; // a one-input head: end_input() tells it
  for (std::uint32_t g = 0; g < second_input_.size(); ++g)
    if (second_input_[g] == second && !inputs_.gate_ended(g))
      return;
  chain_->head().end_of_input(second ? 1 : 0);
}

void task::apply(const input_watermarks::update& u) {
  if (u.watermark)
    chain_->advance_watermark(*u.watermark);
  if (u.idle)
    chain_->set_input_idle(*u.idle);
}

void task::after_step() {
  if (chain_->generates_watermarks())
    chain_->emit_generated_watermarks(); // punctuated watermarks, idleness
  if (!chain_->has_buffered())
    return;
  if (settings_.buffer_timeout.count() == 0) {
    chain_->flush();
  } else if (settings_.buffer_timeout.count() > 0 && !flush_pending_) {
    flush_pending_ = true;
    host_.schedule_flush(settings_.buffer_timeout);
  }
}

void task::begin_ending() {
  phase_ = phase::ending;
  continue_ending();
}

bool task::continue_watermarks() {
  chain_->continue_watermarks();
  if (!chain_->watermark_pending())
    return true;
  after_step();
  request_resume(std::chrono::nanoseconds{0}); // other messages (credit, barriers) first
  return false;
}

void task::continue_ending() {
  while (can_proceed()) {
    if (chain_->watermark_pending()) {
      if (!continue_watermarks())
        return;
      continue;
    }
    if (chain_->end_input()) {
      if (chain_->source() != nullptr && ends_event_time_)
        chain_->advance_watermark(max_watermark);
      chain_->flush();
      for (std::uint32_t p = 0; p < gates_.size(); ++p)
        for (std::uint32_t c = 0; c < gates_[p].channels(); ++c)
          gates_[p].offer(c, channel_event::end_of_input());
      phase_ = phase::draining;
      continue_draining();
      return;
    }
    if (!chain_->quiescent())
      return; // an operator waits for its I/O; wake resumes us
  }
}

void task::continue_draining() {
  for (const auto& g : gates_)
    if (!g.drained())
      return;
  if (!chain_->quiescent())
    return;
  chain_->check();
  phase_ = phase::finished;
  state_ = execution_state::finished;
  host_.state_changed(state_, {});
  if (last_snapshot_ < expected_)
    take_snapshot(expected_, expected_options_, false); // barriers never came: final state
}

void task::continue_committing() {
  if (!chain_->quiescent() || !writes_.empty())
    return; // snapshots still being written are acknowledged first
  if (failure_.empty()) {
    try {
      chain_->check();
    } catch (const std::exception& e) {
      failure_ = e.what();
    }
  }
  if (auto closing = chain_->close(); !closing.empty() && failure_.empty())
    failure_ = closing;
  phase_ = phase::done;
  host_.committed(failure_);
}

void task::continue_aborting() {
  if (chain_ && !chain_->quiescent())
    return;
  std::erase_if(writes_, [](const std::shared_ptr<snapshot_write>& w) {
    std::lock_guard<std::mutex> guard{w->mutex};
    return w->done;
  });
  if (!writes_.empty())
    return; // files still being written must not outlive the attempt; wake resumes us
  if (chain_)
    if (auto closing = chain_->close(); !closing.empty())
      logger("task")->warn("Closing subtask {} after it stopped failed: {}", subtask_, closing);
  phase_ = phase::done;
  state_ = abort_outcome_;
  host_.state_changed(state_, abort_outcome_ == execution_state::failed ? failure_ : "");
}

} // namespace flinkcpp
