// The job master's side of the source API: a source_coordinator per source
// operator and attempt, its assignments sent to the readers' subtasks, its
// asynchronous calls run on the I/O executor, its state in every snapshot.
// A failure of an enumerator fails the attempt once the call into it has
// returned (failing it within would close the coordinator under itself).

#include <exception>
#include <utility>

#include <caf/send.hpp>

#include "cluster/job_master_state.hpp"
#include "flinkcpp/detail/source_reader_operator.hpp"

namespace flinkcpp {

namespace {

/// What a coordinator asks of the job master: messages to the subtasks of
/// its vertex in the current attempt.
class job_master_gateway final : public coordinator_gateway {
public:
  job_master_gateway(job_master_pointer self, operator_id op, vertex_index vertex)
    : self_(self),
      op_(op),
      vertex_(vertex),
      attempt_(self->state.execution.attempt()) {}

  void send_splits(int subtask, std::vector<detail::split_bytes> splits) override {
    detail::source_event event;
    event.what = detail::source_event::add_splits;
    event.splits = std::move(splits);
    send(subtask, event);
  }

  void send_no_more_splits(int subtask) override {
    detail::source_event event;
    event.what = detail::source_event::no_more_splits;
    send(subtask, event);
  }

  void call_async(std::function<std::function<void()>()> work,
                  std::chrono::milliseconds period) override {
    run_on_io(self_, attempt_, std::move(work), period);
  }

  void fail_job(std::string why) override {
    if (self_->state.source_failure.empty())
      self_->state.source_failure = std::move(why);
  }

private:
  /// Runs `work` on the I/O executor and its continuation on the job
  /// master; with a positive `period`, again `period` after that, while the
  /// enumerator lives (its calls then return no continuation).
  static void run_on_io(job_master_pointer self, int attempt,
                        std::function<std::function<void()>()> work,
                        std::chrono::milliseconds period) {
    auto me = job_master_impl{self};
    self->state.io->execute([self, me, attempt, work = std::move(work), period]() mutable {
      auto then = work();
      if (!then)
        return; // its enumerator is gone
      deferred_call call{[self, attempt, then = std::move(then), work = std::move(work), period] {
        then();
        if (period.count() > 0)
          self->delayed_send(self, period, run_atom::value, attempt,
                             deferred_call{[self, attempt, work, period] {
                               run_on_io(self, attempt, work, period);
                             }});
      }};
      caf::anon_send(me, run_atom::value, attempt, std::move(call));
    });
  }

  void send(int subtask, const detail::source_event& event) {
    const auto& record = self_->state.execution.record(vertex_, subtask_index{subtask});
    if (record.actor)
      self_->send(record.actor, coordinator_event_message{op_, detail::to_bytes(event)});
  }

  job_master_pointer self_;
  operator_id op_;
  vertex_index vertex_;
  int attempt_;
};

/// Fails the attempt if an enumerator failed during the last call into it.
void fail_on_source_failure(job_master_pointer self) {
  auto& s = self->state;
  if (!s.source_failure.empty())
    fail(self, std::exchange(s.source_failure, {}));
}

/// Calls fn(coordinator) on every source's, or on that of `op` only (if
/// it has one), then fails the attempt if an enumerator failed meanwhile.
template <class F>
void with_sources(job_master_pointer self, F&& fn, const operator_id* op = nullptr) {
  for (auto& [id, source] : self->state.sources)
    if (op == nullptr || id == *op)
      fn(id, *source->coordinator);
  fail_on_source_failure(self);
}

} // namespace

void start_sources(job_master_pointer self) {
  auto& s = self->state;
  close_sources(self);
  const auto& graph = s.execution.graph();
  const auto* restored = s.checkpoints->latest();
  for (std::size_t v = 0; v < graph.vertices().size(); ++v)
    for (int node : graph.vertices()[v].nodes) {
      const auto& n = graph.stream().nodes[static_cast<std::size_t>(node)];
      if (!n.split_source)
        continue;
      auto op = graph.node_operator_id(node);
      auto hosted = std::make_unique<hosted_source>();
      hosted->gateway =
        std::make_unique<job_master_gateway>(self, op, vertex_index{static_cast<int>(v)});
      hosted->coordinator = std::make_unique<source_coordinator>(
        n.name, n.split_source, graph.node_parallelism(node), *hosted->gateway);
      s.sources.emplace(op, std::move(hosted));
    }
  with_sources(self, [&](const operator_id& op, source_coordinator& c) {
    c.start(restored != nullptr ? restored->metadata.coordinator_of(op) : nullptr);
  });
}

void close_sources(job_master_pointer self) {
  auto& s = self->state;
  for (auto& [op, source] : s.sources)
    source->coordinator->close();
  s.sources.clear();
  s.source_failure.clear(); // the attempt stops anyway
}

void on_operator_event(job_master_pointer self, const operator_event_message& m) {
  auto& s = self->state;
  if (m.from.attempt != s.execution.attempt() || s.execution.stopping() || s.execution.stopped())
    return; // of an attempt that is over, or stops
  auto task = s.execution.task_name(m.from.vertex, m.from.subtask);
  if (!s.sources.count(m.op)) {
    fail(self, "an operator event for operator " + m.op.to_string() + ", which has no coordinator",
         task);
    return;
  }
  detail::source_event event;
  try {
    event = detail::from_bytes<detail::source_event>(m.event);
  } catch (const std::exception& e) {
    fail(self, std::string{"an operator event that cannot be read: "} + e.what(), task);
    return;
  }
  int subtask = m.from.subtask.value();
  with_sources(
    self,
    [&](const operator_id&, source_coordinator& c) {
      if (event.what == detail::source_event::reader_registration)
        c.register_reader(subtask, std::move(event.host));
      else if (event.what == detail::source_event::split_request)
        c.request_split(subtask);
    },
    &m.op);
}

void checkpoint_sources(job_master_pointer self, checkpoint_id id) {
  auto& s = self->state;
  with_sources(self, [&](const operator_id& op, source_coordinator& c) {
    if (auto state = c.checkpoint(id))
      s.checkpoints->add_coordinator_state(id, {op, c.name(), std::move(*state)});
  });
}

void sources_checkpoint_complete(job_master_pointer self, checkpoint_id id) {
  with_sources(self, [&](const operator_id&, source_coordinator& c) { c.checkpoint_complete(id); });
}

void on_source_call(job_master_pointer self, int attempt, deferred_call& call) {
  if (attempt != self->state.execution.attempt() || self->state.sources.empty())
    return;
  call.run();
  fail_on_source_failure(self);
}

} // namespace flinkcpp
