#include "runtime/subtask_actor.hpp"

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "graph/channel_layout.hpp"
#include "metrics/metric_registry.hpp"
#include "runtime/messages.hpp"
#include "runtime/task.hpp"
#include "state/state_backend.hpp"

namespace flinkcpp {

namespace {

/// A subtask's own interface: its timers, and its wake-up when I/O finished.
using subtask_impl = subtask_actor::extend<caf::reacts_to<resume_atom>, caf::reacts_to<flush_atom>,
                                           caf::reacts_to<watermark_atom>,
                                           caf::reacts_to<processing_timer_atom, std::int64_t>,
                                           caf::reacts_to<wake_atom>, caf::reacts_to<release_atom>>;

/// Carries the task's requests out as CAF messages.
class actor_host final : public task_host {
public:
  actor_host(subtask_impl::pointer self, const job_graph& graph, const task_deployment& d,
             task_metrics& metrics)
    : self_(self),
      metrics_(metrics),
      graph_(graph),
      job_master_(d.job_master),
      execution_(d.target) {}

  /// Installs the channels; tells the task which of them lead out of the process.
  void connect(task_connections c, task& core) {
    connections_ = std::move(c);
    remote_.clear();
    for (std::uint32_t p = 0; p < connections_.partitions.size(); ++p) {
      std::vector<bool> flags;
      for (std::uint32_t ch = 0; ch < connections_.partitions[p].size(); ++ch) {
        flags.push_back(connections_.partitions[p][ch].receiver.node() != self_->node());
        if (flags.back())
          core.mark_remote_output(p, ch);
      }
      remote_.push_back(std::move(flags));
    }
  }

  void send_event(std::uint32_t partition, std::uint32_t channel, channel_event event) override {
    const auto& target = connections_.partitions[partition][channel];
    if (!remote_[partition][channel]) {
      self_->send(target.receiver, channel_message{target.gate, target.channel, std::move(event)});
      return;
    }
    remote_channel_message m{target.gate, target.channel, event.kind,
                             event.value, event.options,  {}};
    if (event.batch) {
      edge_of_output(partition).partitioning->serialize(*event.batch, m.bytes);
      metrics_.bytes_out.fetch_add(static_cast<std::int64_t>(m.bytes.size()),
                                   std::memory_order_relaxed);
    }
    self_->send(target.receiver, std::move(m));
  }

  /// The event a remote channel message carries, its batch deserialized.
  channel_event decode(const remote_channel_message& m) const {
    channel_event e{m.kind, m.value, nullptr, m.options};
    if (m.kind == event_kind::batch) {
      e.batch = edge_of_input(m.gate).partitioning->deserialize(m.bytes);
      metrics_.bytes_in.fetch_add(static_cast<std::int64_t>(m.bytes.size()),
                                  std::memory_order_relaxed);
    }
    return e;
  }

  void send_credit(std::uint32_t gate, std::uint32_t channel, std::uint32_t credits) override {
    const auto& source = connections_.gates[gate][channel];
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

  void schedule_watermark(std::chrono::milliseconds delay) override {
    self_->delayed_send(self_, delay, watermark_atom::value);
  }

  void schedule_processing_timer(std::int64_t time, std::chrono::milliseconds delay) override {
    self_->delayed_send(self_, delay, processing_timer_atom::value, time);
  }

  void state_changed(execution_state state, const std::string& failure) override {
    self_->send(job_master_,
                task_state_message{execution_, state, failure, metrics_.totals(steady_now_ns())});
    if (state == execution_state::canceled || state == execution_state::failed)
      self_->send(self_, release_atom::value);
  }

  void committed(const std::string& failure) override {
    self_->send(job_master_, task_committed_message{execution_, failure});
    self_->send(self_, release_atom::value);
  }

  void acknowledge_checkpoint(checkpoint_id id,
                              std::vector<operator_subtask_state> states) override {
    self_->send(job_master_, checkpoint_ack_message{execution_, id, std::move(states)});
  }

  void decline_checkpoint(checkpoint_id id, const std::string& reason, bool counted) override {
    self_->send(job_master_, checkpoint_decline_message{execution_, id, reason, counted});
  }

private:
  const job_edge& edge_of_output(std::uint32_t partition) const {
    const auto& v = graph_.vertices()[execution_.vertex.position()];
    return graph_.edges()[static_cast<std::size_t>(v.outputs[partition])];
  }

  const job_edge& edge_of_input(std::uint32_t gate) const {
    const auto& v = graph_.vertices()[execution_.vertex.position()];
    return graph_.edges()[static_cast<std::size_t>(v.inputs.at(gate))];
  }

  subtask_impl::pointer self_;
  task_metrics& metrics_;
  const job_graph& graph_;
  task_listener_actor job_master_;
  execution_attempt execution_;
  task_connections connections_;
  std::vector<std::vector<bool>> remote_;
};

struct subtask_state {
  std::shared_ptr<const job_graph> graph;
  std::unique_ptr<spi::keyed_backend> keyed_stores; ///< outlives the task
  std::shared_ptr<task_metrics> metrics;
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

/// The metric scopes of the operators chained in `v`.
std::vector<operator_scope> chained_operators(const job_graph& graph, const job_vertex& v) {
  const auto& nodes = graph.stream().nodes;
  std::vector<operator_scope> out;
  for (std::size_t i = 0; i < v.nodes.size(); ++i) {
    const auto& node = nodes[static_cast<std::size_t>(v.nodes[i])];
    operator_scope op{graph.node_operator_id(v.nodes[i]).to_string(), node.name, -1,
                      node.kind == detail::node_kind::source};
    for (std::size_t j = 0; j < i && !node.inputs.empty(); ++j)
      if (v.nodes[j] == node.inputs.front().source)
        op.fed_by = static_cast<int>(j);
    out.push_back(std::move(op));
  }
  return out;
}

subtask_impl::behavior_type subtask(subtask_impl::stateful_pointer<subtask_state> self,
                                    std::shared_ptr<const job_graph> graph_ptr,
                                    const task_deployment& d, spi::io_executor* io,
                                    std::shared_ptr<restored_operators> restored,
                                    const std::string& location) {
  auto& s = self->state;
  s.graph = std::move(graph_ptr);
  const auto& graph = *s.graph;
  const auto& v = graph.vertices()[d.target.vertex.position()];
  s.metrics = std::make_shared<task_metrics>(v.nodes.size());
  const int attempt_number = d.target.attempt - 1; // Flink's: 0 for the first
  s.registration = metric_registry::instance().add_task(
    {d.job, graph.name(), v.id, v.name, d.target.subtask.value(), attempt_number,
     job_id::random().to_string(), chained_operators(graph, v)},
    s.metrics);
  s.host = std::make_unique<actor_host>(self, graph, d, *s.metrics);
  chain_services services;
  services.io = io;
  services.attempt_number = attempt_number;
  services.location = location;
  services.send_to_coordinator = [self, master = d.job_master,
                                  from = d.target](const operator_id& op, std::string event) {
    self->send(master, operator_event_message{from, op, std::move(event)});
  };
  s.keyed_stores =
    make_state_backend(d.settings.state)->open_subtask(d.job, d.target.subtask.value());
  services.keyed_stores = s.keyed_stores.get();
  // A weak handle: pending I/O must not keep a finished subtask alive.
  services.wake = [addr = self->address()] {
    if (auto target = caf::actor_cast<subtask_impl>(addr))
      caf::anon_send(target, wake_atom::value);
  };
  s.core = std::make_unique<task>(*s.host, graph, d.target.vertex.value(), d.target.subtask.value(),
                                  d.settings, services,
                                  channel_counts(graph, v.inputs, d.target.subtask.value(), false),
                                  channel_counts(graph, v.outputs, d.target.subtask.value(), true),
                                  *s.metrics, d.restore.restoring() ? restored.get() : nullptr);
  restored.reset(); // the operators hold what they restored
  auto* core = s.core.get();
  auto* host = s.host.get();
  // A subtask outlives its job master only by accident (deployed as the job
  // ended, or the jobmanager gone): nobody would ever stop it.
  self->monitor(d.job_master);
  self->set_down_handler([=, master = d.job_master.address()](const caf::down_msg& down) {
    if (down.source == master)
      core->cancel();
  });
  return {
    [=](connect_atom, task_connections& c) { host->connect(std::move(c), *core); },
    [=](start_atom) { core->start(); },
    [=](channel_message& m) { core->receive(m.gate, m.channel, std::move(m.event)); },
    [=](const remote_channel_message& m) {
      channel_event event;
      try {
        event = host->decode(m);
      } catch (const std::exception& e) {
        core->fail(std::string{"cannot read a batch from another taskmanager: "} + e.what());
        return;
      }
      core->receive(m.gate, m.channel, std::move(event));
    },
    [=](const credit_message& m) { core->grant(m.partition, m.channel, m.credits); },
    [=](resume_atom) { core->resume(); },
    [=](flush_atom) { core->flush_timer(); },
    [=](watermark_atom) { core->watermark_timer(); },
    [=](processing_timer_atom, std::int64_t time) { core->processing_timer(time); },
    [=](wake_atom) { core->wake(); },
    [=](commit_atom) { core->commit(); },
    [=](const trigger_checkpoint_message& m) { core->trigger_checkpoint(m.id, m.options); },
    [=](const checkpoint_complete_message& m) { core->notify_checkpoint_complete(m.id); },
    [=](const coordinator_event_message& m) { core->coordinator_event(m.op, m.event); },
    [=](cancel_atom) { core->cancel(); },
    [=](release_atom) { self->quit(); },
  };
}

} // namespace

subtask_actor spawn_subtask(caf::local_actor* parent, std::shared_ptr<const job_graph> graph,
                            task_deployment deployment, spi::io_executor& io,
                            restored_operators restored, std::string location) {
  return parent->spawn(subtask, std::move(graph), std::move(deployment), &io,
                       std::make_shared<restored_operators>(std::move(restored)),
                       std::move(location));
}

} // namespace flinkcpp
