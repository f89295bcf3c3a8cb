#include "runtime/operator_chain.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "graph/channel_layout.hpp"

namespace flinkcpp {

namespace {

/// The consumers of one output of an operator, and how to fan out to them.
struct output_targets {
  std::vector<spi::collector_ref> targets;
  detail::fanout_maker fanout = nullptr; ///< for a side output

  void add(spi::collector_ref target, detail::fanout_maker maker) {
    targets.push_back(target);
    fanout = maker;
  }
};

} // namespace

operator_chain::operator_chain(const job_graph& graph, int vertex, int subtask,
                               const chain_services& services,
                               const std::vector<spi::batch_sink*>& partitions)
  : partitions_(partitions) {
  const auto& v = graph.vertices()[static_cast<std::size_t>(vertex)];
  const auto& nodes = graph.stream().nodes;
  auto timestamped = detail::timestamped_nodes(graph.stream());

  for (int id : v.nodes) {
    const auto& node = nodes[static_cast<std::size_t>(id)];
    spi::operator_context context;
    context.subtask_index = subtask;
    context.parallelism = v.parallelism;
    context.max_parallelism = graph.node_max_parallelism(id);
    context.mode = graph.mode();
    context.checkpointing = services.checkpointing;
    context.state_backend = services.keyed_stores;
    context.operator_name = node.name;
    context.operator_id = graph.node_operator_id(id).to_string();
    context.io = services.io;
    context.wake = services.wake;
    context.clock = services.clock;
    context.task_name = v.name;
    context.attempt_number = services.attempt_number;
    context.location = services.location;
    if (services.send_to_coordinator)
      context.send_to_coordinator = [send = services.send_to_coordinator,
                                     op = graph.node_operator_id(id)](std::string event) {
        send(op, std::move(event));
      };
    context.emit_generated = [this] { emit_generated_watermarks(); };
    if (services.operator_metrics != nullptr &&
        operators_.size() < services.operator_metrics->size())
      context.metrics = (*services.operator_metrics)[operators_.size()];
    operators_.push_back(node.factory->create(context));
    operators_.back()->bind_timestamp(timestamp_);
    ids_.push_back(graph.node_operator_id(id));
    key_groups_.push_back(context.key_groups());
  }
  if (v.is_source())
    source_ = dynamic_cast<spi::source_operator*>(operators_.front().get());

  for (std::size_t out = 0; out < v.outputs.size(); ++out) {
    const auto& edge = graph.edges()[static_cast<std::size_t>(v.outputs[out])];
    spi::writer_config config;
    config.channels = static_cast<std::uint32_t>(consumers_of(graph, edge, subtask).size());
    config.producer_index = subtask;
    config.max_parallelism = graph.node_max_parallelism(edge.target_node);
    config.batch_bytes = services.batch_bytes;
    config.batch_mode = graph.mode() == runtime_mode::batch;
    if (timestamped[static_cast<std::size_t>(edge.source_node)])
      config.timestamps = &timestamp_;
    writers_.push_back(edge.partitioning->create_writer(edge.strategy, config, *partitions[out]));
  }

  // Each operator's outputs, main and side: the operators chained after it,
  // then the writers of the vertex's output edges it produces.
  chained_.resize(v.nodes.size());
  writes_to_.resize(v.nodes.size());
  for (std::size_t i = 0; i < v.nodes.size(); ++i) {
    int id = v.nodes[i];
    std::map<std::string, output_targets> outputs; // by side output; "" is the main one
    for (std::size_t j = i + 1; j < v.nodes.size(); ++j) {
      const auto& in = nodes[static_cast<std::size_t>(v.nodes[j])].inputs.front();
      if (in.source == id) {
        outputs[in.side_output].add(operators_[j]->input(), in.side_fanout);
        chained_[i].push_back(j);
      }
    }
    for (std::size_t out = 0; out < v.outputs.size(); ++out) {
      const auto& edge = graph.edges()[static_cast<std::size_t>(v.outputs[out])];
      if (edge.source_node == id) {
        outputs[edge.side_output].add(writers_[out]->input(), edge.side_fanout);
        writes_to_[i].push_back(out);
      }
    }
    if (operators_[i]->generates_watermarks())
      generators_.push_back(i);
    for (auto& [tag, o] : outputs) {
      spi::collector_ref target = o.targets.front();
      if (o.targets.size() > 1) {
        spi::fanout_holder holder;
        target = tag.empty()
                   ? nodes[static_cast<std::size_t>(id)].factory->make_fanout(o.targets, holder)
                   : o.fanout(o.targets, holder);
        fanouts_.push_back(std::move(holder));
      }
      if (tag.empty())
        operators_[i]->set_output(target);
      else
        operators_[i]->set_side_output(tag, target);
    }
  }
  input_watermark_.assign(operators_.size(), min_watermark);
  output_watermark_.assign(operators_.size(), min_watermark);
  output_idle_.assign(operators_.size(), false);
}

void operator_chain::open() {
  for (; opened_ < operators_.size(); ++opened_)
    operators_[opened_]->open();
}

std::string operator_chain::close() noexcept {
  std::string failure;
  for (std::size_t i = 0; i < opened_; ++i) {
    try {
      operators_[i]->close();
    } catch (const std::exception& e) {
      if (failure.empty())
        failure = e.what();
    } catch (...) {
      if (failure.empty())
        failure = "an operator's close() threw";
    }
  }
  opened_ = 0;
  return failure;
}

bool operator_chain::end_input() {
  while (ended_ < operators_.size()) {
    if (!operators_[ended_]->end_input())
      return false;
    ++ended_;
  }
  return true;
}

void operator_chain::flush() {
  for (auto& op : operators_)
    if (op->holds_output())
      op->flush_held_output();
  for (auto& w : writers_)
    w->flush();
}

bool operator_chain::has_buffered() const {
  return std::any_of(writers_.begin(), writers_.end(), [](auto& w) { return w->has_buffered(); }) ||
         std::any_of(operators_.begin(), operators_.end(),
                     [](auto& op) { return op->holds_output(); });
}

void operator_chain::set_batch_bytes(std::uint32_t partition, std::uint32_t channel,
                                     std::size_t bytes) {
  writers_.at(partition)->set_batch_bytes(channel, bytes);
}

bool operator_chain::ready() {
  return std::all_of(operators_.begin(), operators_.end(), [](auto& op) { return op->ready(); });
}

bool operator_chain::quiescent() const {
  return std::all_of(operators_.begin(), operators_.end(),
                     [](auto& op) { return op->quiescent(); });
}

void operator_chain::check() {
  for (auto& op : operators_)
    op->check();
}

bool operator_chain::needs_commit() const {
  return std::any_of(operators_.begin(), operators_.end(),
                     [](auto& op) { return op->needs_commit(); });
}

void operator_chain::commit() {
  for (auto& op : operators_)
    if (op->needs_commit())
      op->commit();
}

void operator_chain::abort() noexcept {
  for (auto& op : operators_)
    op->abort();
}

void operator_chain::restore(const std::map<operator_id, spi::operator_restore>& state) {
  for (std::size_t i = 0; i < operators_.size(); ++i)
    if (auto found = state.find(ids_[i]); found != state.end())
      operators_[i]->restore_state(found->second);
}

std::vector<chained_snapshot> operator_chain::snapshot(checkpoint_id checkpoint,
                                                       bool native_allowed) {
  std::vector<chained_snapshot> out;
  for (std::size_t i = 0; i < operators_.size(); ++i) {
    auto& s = out.emplace_back();
    s.op = ids_[i];
    s.key_groups = key_groups_[i];
    s.state.native_allowed = native_allowed;
    operators_[i]->snapshot_state(checkpoint, s.state);
  }
  return out;
}

void operator_chain::notify_checkpoint_complete(checkpoint_id checkpoint) {
  for (auto& op : operators_)
    op->notify_checkpoint_complete(checkpoint);
}

void operator_chain::handle_coordinator_event(const operator_id& op, std::string_view event) {
  auto at = std::find(ids_.begin(), ids_.end(), op);
  if (at == ids_.end())
    throw std::logic_error("an event for operator " + op.to_string() +
                           ", which this task does not run");
  operators_[static_cast<std::size_t>(at - ids_.begin())]->handle_coordinator_event(event);
}

void operator_chain::advance_watermark(std::int64_t watermark) {
  deliver_watermark(0, watermark);
}

void operator_chain::emit_periodic_watermarks() {
  for (auto i : generators_)
    operators_[i]->emit_periodic_watermark();
  emit_generated_watermarks();
}

void operator_chain::emit_generated_watermarks() {
  for (auto i : generators_) {
    auto generated = operators_[i]->generated();
    // Active before a watermark, idle after it: downstream counts the
    // watermark of an active channel only.
    if (!generated.idle)
      emit_status(i, false);
    emit_watermark(i, generated.watermark);
    if (generated.idle)
      emit_status(i, true);
  }
}

void operator_chain::set_input_idle(bool idle) {
  deliver_status(0, idle);
}

void operator_chain::deliver_status(std::size_t op, bool idle) {
  if (!operators_[op]->generates_watermarks()) // which make their own
    emit_status(op, idle);
}

void operator_chain::emit_status(std::size_t op, bool idle) {
  if (output_idle_[op] == idle)
    return;
  output_idle_[op] = idle;
  for (auto next : chained_[op])
    deliver_status(next, idle);
  for (auto out : writes_to_[op]) {
    writers_[out]->flush();
    partitions_[out]->emit_watermark_status(idle);
  }
}

std::optional<std::int64_t> operator_chain::next_processing_timer() const {
  std::optional<std::int64_t> next;
  for (const auto& op : operators_)
    if (auto t = op->next_processing_timer(); t && (!next || *t < *next))
      next = t;
  return next;
}

void operator_chain::on_processing_time(std::int64_t now) {
  for (const auto& op : operators_)
    op->on_processing_time(now);
}

void operator_chain::continue_watermarks() {
  auto steps = std::exchange(pending_, {});
  for (auto op : steps)
    deliver_watermark(op, input_watermark_[op]);
}

void operator_chain::deliver_watermark(std::size_t op, std::int64_t watermark) {
  input_watermark_[op] = watermark;
  auto out = operators_[op]->process_watermark(watermark);
  if (operators_[op]->watermark_pending())
    pending_.push_back(op);
  emit_watermark(op, out);
}

void operator_chain::emit_watermark(std::size_t op, std::int64_t watermark) {
  if (watermark <= output_watermark_[op])
    return;
  output_watermark_[op] = watermark;
  for (auto next : chained_[op])
    deliver_watermark(next, watermark);
  for (auto out : writes_to_[op]) {
    writers_[out]->flush();
    partitions_[out]->emit_watermark(watermark);
  }
}

} // namespace flinkcpp
