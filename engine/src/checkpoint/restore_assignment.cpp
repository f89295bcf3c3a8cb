#include "checkpoint/restore_assignment.hpp"

#include <map>

#include "config/core_options.hpp"

namespace flinkcpp {

namespace {

const operator_state* find_operator(const checkpoint_metadata& m, const operator_id& op) {
  for (const auto& o : m.operators)
    if (o.op == op)
      return &o;
  return nullptr;
}

bool has_keyed_state(const operator_state& op) {
  for (const auto& s : op.subtasks)
    if (s.has_keyed)
      return true;
  return false;
}

/// The list entries `subtask` of `parallelism` gets of operator `op`.
std::vector<operator_list_state> lists_for(const operator_state& op, int subtask, int parallelism) {
  std::map<std::string, operator_list_state> by_name;
  bool same = op.parallelism == parallelism;
  std::map<std::string, std::size_t> dealt; // split entries pooled so far, by name
  for (const auto& s : op.subtasks) {
    for (const auto& list : s.lists) {
      auto& out = by_name[list.name];
      out.name = list.name;
      out.mode = list.mode;
      for (const auto& e : list.entries) {
        bool mine = false;
        if (list.mode == spi::redistribution::union_all)
          mine = true;
        else if (same)
          mine = s.subtask == subtask;
        else
          mine =
            static_cast<int>(dealt[list.name]++ % static_cast<std::size_t>(parallelism)) == subtask;
        if (mine)
          out.entries.push_back(e);
      }
    }
  }
  std::vector<operator_list_state> lists;
  lists.reserve(by_name.size());
  for (auto& [name, list] : by_name)
    lists.push_back(std::move(list));
  return lists;
}

} // namespace

result<void> check_restore(const checkpoint_metadata& metadata, const job_graph& graph,
                           bool allow_non_restored) {
  for (const auto& op : metadata.operators) {
    if (op.subtasks.empty())
      continue;
    int node = -1;
    for (const auto& v : graph.vertices())
      for (int n : v.nodes)
        if (graph.node_operator_id(n) == op.op)
          node = n;
    if (node < 0) {
      if (allow_non_restored)
        continue;
      return failure{"the snapshot holds state of operator '" + op.name + "' (" +
                     op.op.to_string() +
                     ") that this job does not have: give the operator its old uid, or "
                     "allow dropping the state with --allowNonRestoredState"};
    }
    if (has_keyed_state(op) && graph.node_max_parallelism(node) != op.max_parallelism)
      return failure{"the keyed state of operator '" + op.name +
                     "' was written with max "
                     "parallelism " +
                     std::to_string(op.max_parallelism) +
                     " but the job now "
                     "has " +
                     std::to_string(graph.node_max_parallelism(node)) +
                     " (pipeline.max-parallelism): key groups cannot be redistributed"};
  }
  return {};
}

result<std::shared_ptr<const restore_point>> load_savepoint(const configuration& config,
                                                            const job_graph& graph) {
  auto path = options::savepoint_path.get(config);
  if (path.empty())
    return std::shared_ptr<const restore_point>{};
  auto metadata = read_checkpoint_metadata(path);
  if (!metadata)
    return failure{"cannot start from '" + path +
                   "' (execution.state-recovery.path): " + metadata.error()};
  auto fits =
    check_restore(*metadata, graph, options::savepoint_ignore_unclaimed_state.get(config));
  if (!fits)
    return failure{"cannot start from '" + path + "': " + fits.error()};
  return std::make_shared<const restore_point>(
    restore_point{std::move(metadata.value()), checkpoint_directory_of(path)});
}

subtask_restore restore_of(const restore_point& point, const job_graph& graph, int vertex,
                           int subtask) {
  subtask_restore r;
  r.checkpoint = point.metadata.id;
  r.directory = point.directory;
  const auto& v = graph.vertices().at(static_cast<std::size_t>(vertex));
  for (int node : v.nodes) {
    const auto* op = find_operator(point.metadata, graph.node_operator_id(node));
    if (op == nullptr || op->subtasks.empty())
      continue;
    auto range =
      spi::key_groups_of_subtask(graph.node_max_parallelism(node), v.parallelism, subtask);
    operator_restore_spec spec;
    spec.op = op->op;
    spec.first_group = range.begin;
    spec.end_group = range.end;
    spec.lists = lists_for(*op, subtask, v.parallelism);
    for (const auto& s : op->subtasks)
      if (s.has_keyed && s.keyed.first_group < range.end && range.begin < s.keyed.end_group)
        spec.keyed.push_back(s.keyed);
    r.operators.push_back(std::move(spec));
  }
  return r;
}

} // namespace flinkcpp
