#include "runtime/subtask_actor.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "graph/channel_layout.hpp"
#include "metrics/metric_registry.hpp"
#include "runtime/messages.hpp"

namespace flinkcpp {

namespace {

/// Carries the task's requests out as CAF messages.
class actor_host final : public task_host {
public:
  actor_host(caf::event_based_actor* self, caf::actor job_master, int vertex, int subtask)
    : self_(self), job_master_(std::move(job_master)), vertex_(vertex), subtask_(subtask) {}

  task_connections connections;

  void send_event(std::uint32_t partition, std::uint32_t channel, channel_event event) override {
    const auto& target = connections.partitions[partition][channel];
    self_->send(target.receiver, channel_message{target.gate, target.channel, std::move(event)});
  }

  void send_credit(std::uint32_t gate, std::uint32_t channel, std::uint32_t credits) override {
    const auto& source = connections.gates[gate][channel];
    self_->send(source.sender, credit_message{source.partition, source.channel, credits});
  }

  void schedule_resume(std::chrono::nanoseconds delay) override {
    if (delay.count() == 0)
      self_->send(self_, resume_atom::value);
    else
      self_->delayed_send(self_, delay, resume_atom::value);
  }

  void schedule_flush(std::chrono::milliseconds delay) override {
    self_->delayed_send(self_, delay, flush_atom::value);
  }

  void state_changed(execution_state state, const std::string& failure) override {
    self_->send(job_master_, task_state_message{vertex_, subtask_, state, failure});
    if (state == execution_state::canceled || state == execution_state::failed)
      self_->send(self_, release_atom::value);
  }

  void committed(const std::string& failure) override {
    self_->send(job_master_, task_committed_message{vertex_, subtask_, failure});
    self_->send(self_, release_atom::value);
  }

private:
  caf::event_based_actor* self_;
  caf::actor job_master_;
  int vertex_;
  int subtask_;
};

struct subtask_state {
  std::shared_ptr<task_metrics> metrics = std::make_shared<task_metrics>();
  metric_registry::registration registration;
  std::unique_ptr<actor_host> host;
  std::unique_ptr<task> core;
  static inline const char* name = "subtask";
};

std::vector<std::uint32_t> channel_counts(const job_graph& graph, const std::vector<int>& edges,
                                          int subtask, bool as_producer) {
  std::vector<std::uint32_t> out;
  for (int e : edges) {
    const auto& edge = graph.edges()[static_cast<std::size_t>(e)];
    auto n = as_producer ? consumers_of(graph, edge, subtask).size()
                         : producers_of(graph, edge, subtask).size();
    out.push_back(static_cast<std::uint32_t>(n));
  }
  return out;
}

caf::behavior subtask(caf::stateful_actor<subtask_state>* self, task_deployment d,
                      detail::io_executor* io) {
  const auto& graph = *d.graph;
  const auto& v = graph.vertices()[static_cast<std::size_t>(d.vertex)];
  self->state.registration = metric_registry::instance().add_task(
    {d.job, graph.name(), v.id, v.name, d.subtask}, self->state.metrics);
  self->state.host = std::make_unique<actor_host>(self, d.job_master, d.vertex, d.subtask);
  chain_services services;
  services.io = io;
  // A weak handle: pending I/O must not keep a finished subtask alive.
  services.wake = [addr = self->address()] {
    if (auto target = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(target, wake_atom::value);
  };
  self->state.core = std::make_unique<task>(
    *self->state.host, graph, d.vertex, d.subtask, d.settings, services,
    channel_counts(graph, v.inputs, d.subtask, false),
    channel_counts(graph, v.outputs, d.subtask, true), *self->state.metrics);
  auto* core = self->state.core.get();
  return {
    [=](connect_atom, task_connections& c) { self->state.host->connections = std::move(c); },
    [=](start_atom) { core->start(); },
    [=](channel_message& m) { core->receive(m.gate, m.channel, std::move(m.event)); },
    [=](const credit_message& m) { core->grant(m.partition, m.channel, m.credits); },
    [=](resume_atom) { core->resume(); },
    [=](flush_atom) { core->flush_timer(); },
    [=](wake_atom) { core->wake(); },
    [=](commit_atom) { core->commit(); },
    [=](cancel_atom) { core->cancel(); },
    [=](release_atom) { self->quit(); },
  };
}

} // namespace

caf::actor spawn_subtask(caf::local_actor* parent, task_deployment deployment,
                         detail::io_executor& io) {
  return parent->spawn(subtask, std::move(deployment), &io);
}

} // namespace flinkcpp
