#include "checkpoint/checkpoint_coordinator.hpp"

#include <algorithm>
#include <filesystem>

namespace flinkcpp {

namespace {

constexpr std::size_t history_size = 10; // Flink's web.checkpoints.history default

} // namespace

checkpoint_coordinator::checkpoint_coordinator(checkpoint_settings settings, job_id job,
                                               std::shared_ptr<const job_graph> graph)
  : settings_(std::move(settings)),
    job_(job),
    graph_(std::move(graph)),
    directories_(settings_.storage.for_job(job)) {}

void checkpoint_coordinator::set_initial_restore_point(restore_point point) {
  last_id_ = std::max(last_id_, point.metadata.id);
  bool own_checkpoint = !point.metadata.savepoint && point.metadata.job == job_ &&
                        point.directory == directory_of(point.metadata.id);
  if (own_checkpoint || settings_.claim_restored)
    completed_.push_back(std::move(point)); // retired like the ones this run takes
  else
    initial_ = std::move(point);
}

std::optional<std::chrono::milliseconds>
checkpoint_coordinator::delay_until_allowed(clock::time_point now) const {
  if (static_cast<int>(pending_.size()) >= settings_.max_concurrent)
    return std::nullopt;
  for (const auto& [id, p] : pending_)
    if (p.kind == snapshot_kind::stop_savepoint) // the job ends with it
      return std::nullopt;
  if (completed_count_ == 0 || settings_.min_pause.count() == 0)
    return std::chrono::milliseconds{0};
  auto since = std::chrono::duration_cast<std::chrono::milliseconds>(now - last_completion_);
  return since >= settings_.min_pause ? std::chrono::milliseconds{0} : settings_.min_pause - since;
}

checkpoint_id checkpoint_coordinator::begin(snapshot_kind kind, std::int64_t now_ms,
                                            std::string target) {
  last_id_ = last_id_.next();
  auto& p = pending_[last_id_];
  p.kind = kind;
  p.trigger_ms = now_ms;
  p.target = std::move(target);
  for (std::size_t v = 0; v < graph_->vertices().size(); ++v) {
    for (int i = 0; i < graph_->vertices()[v].parallelism; ++i)
      p.waiting.emplace(static_cast<int>(v), i);
    p.record.vertex_subtasks.push_back(graph_->vertices()[v].parallelism);
  }
  p.record.id = last_id_;
  p.record.kind = kind;
  p.record.trigger_timestamp = now_ms;
  p.record.subtasks = static_cast<int>(p.waiting.size());
  return last_id_;
}

std::string checkpoint_coordinator::directory_of(checkpoint_id id) const {
  return directories_.checkpoint(id);
}

snapshot_kind checkpoint_coordinator::kind_of(checkpoint_id id) const {
  auto i = pending_.find(id);
  return i == pending_.end() ? snapshot_kind::checkpoint : i->second.kind;
}

bool checkpoint_coordinator::acknowledge(checkpoint_id id, int vertex, int subtask,
                                         std::vector<operator_subtask_state> states,
                                         std::int64_t now_ms) {
  auto i = pending_.find(id);
  if (i == pending_.end() || i->second.waiting.erase({vertex, subtask}) == 0)
    return false;
  auto& p = i->second;
  subtask_ack ack{vertex, subtask, now_ms, 0, 0};
  for (auto& s : states) {
    ack.state_size += state_size_of(s);
    ack.checkpointed_size += checkpointed_size_of(s, id);
    p.states.push_back(std::move(s));
  }
  p.record.acks.push_back(ack);
  ++p.record.acknowledged;
  p.record.latest_ack_timestamp = now_ms;
  return p.waiting.empty();
}

void checkpoint_coordinator::add_coordinator_state(checkpoint_id id, coordinator_state state) {
  auto p = pending_.find(id);
  if (p != pending_.end())
    p->second.coordinators.push_back(std::move(state));
}

checkpoint_metadata checkpoint_coordinator::metadata_of(checkpoint_id id) const {
  const auto& p = pending_.at(id);
  checkpoint_metadata m;
  m.job = job_;
  m.id = id;
  m.timestamp = p.trigger_ms;
  m.savepoint = p.kind != snapshot_kind::checkpoint;
  for (const auto& vertex : graph_->vertices()) {
    for (int node : vertex.nodes) {
      operator_state op;
      op.op = graph_->node_operator_id(node);
      op.name = graph_->stream().nodes[static_cast<std::size_t>(node)].name;
      op.parallelism = graph_->node_parallelism(node);
      op.max_parallelism = graph_->node_max_parallelism(node);
      for (const auto& s : p.states)
        if (s.op == op.op)
          op.subtasks.push_back(s);
      std::sort(op.subtasks.begin(), op.subtasks.end(),
                [](const auto& a, const auto& b) { return a.subtask < b.subtask; });
      m.operators.push_back(std::move(op));
    }
  }
  m.coordinators = p.coordinators;
  return m;
}

std::string checkpoint_coordinator::final_directory_of(checkpoint_id id) const {
  const auto& p = pending_.at(id);
  return p.kind == snapshot_kind::checkpoint ? directory_of(id) : p.target;
}

std::vector<std::string> checkpoint_coordinator::complete(checkpoint_id id, std::int64_t now_ms) {
  std::vector<std::string> retired;
  auto i = pending_.find(id);
  if (i == pending_.end())
    return retired;
  auto metadata = metadata_of(id);
  i->second.record.state_size = metadata.state_size();
  i->second.record.checkpointed_size = metadata.checkpointed_size();
  i->second.record.external_path = final_directory_of(id);
  finish_record(i->second, "COMPLETED", now_ms);
  bool is_checkpoint = i->second.kind == snapshot_kind::checkpoint;
  pending_.erase(i);
  ++completed_count_;
  consecutive_failures_ = 0;
  last_completion_ = clock::now();
  if (!is_checkpoint)
    return retired;
  completed_.push_back({std::move(metadata), directory_of(id)});
  initial_.reset(); // a newer state to restore from
  while (static_cast<int>(completed_.size()) > settings_.retained) {
    retired.push_back(completed_.front().directory);
    completed_.pop_front();
  }
  // Older pending checkpoints can never be the latest any more (Flink
  // subsumes them).
  for (auto p = pending_.begin(); p != pending_.end();) {
    if (p->first < id && p->second.kind == snapshot_kind::checkpoint) {
      finish_record(p->second, "FAILED", now_ms, "subsumed by checkpoint " + id.to_string());
      ++failed_count_;
      retired.push_back(directory_of(p->first));
      p = pending_.erase(p);
    } else {
      ++p;
    }
  }
  return retired;
}

bool checkpoint_coordinator::fail(checkpoint_id id, const std::string& reason, std::int64_t now_ms,
                                  bool counted) {
  auto i = pending_.find(id);
  if (i == pending_.end())
    return false;
  finish_record(i->second, "FAILED", now_ms, reason);
  pending_.erase(i);
  ++failed_count_;
  if (counted)
    ++consecutive_failures_;
  return consecutive_failures_ > settings_.tolerable_failures;
}

std::vector<std::string> checkpoint_coordinator::abort_pending(const std::string& reason,
                                                               std::int64_t now_ms) {
  std::vector<std::string> dirs;
  for (auto& [id, p] : pending_) {
    finish_record(p, "FAILED", now_ms, reason);
    ++failed_count_;
    dirs.push_back(directory_of(id));
  }
  pending_.clear();
  return dirs;
}

const restore_point* checkpoint_coordinator::latest() const {
  if (!completed_.empty())
    return &completed_.back();
  return initial_ ? &*initial_ : nullptr;
}

std::string checkpoint_coordinator::drop_latest() {
  std::string dir;
  if (!completed_.empty()) {
    dir = completed_.back().directory;
    completed_.pop_back();
  } else if (initial_) {
    dir = initial_->directory;
    initial_.reset();
  }
  return dir;
}

std::vector<std::string>
checkpoint_coordinator::directories_at_end(const std::string& status) const {
  bool keep =
    status != "FINISHED" &&
    (settings_.retention == checkpoint_retention::retain_on_cancellation ||
     (settings_.retention == checkpoint_retention::delete_on_cancellation && status == "FAILED"));
  if (keep)
    return {};
  std::vector<std::string> dirs;
  for (const auto& c : completed_)
    dirs.push_back(c.directory);
  for (const auto& [id, p] : pending_)
    dirs.push_back(directory_of(id));
  dirs.push_back(directories_.shared());
  dirs.push_back(directories_.job); // removed only once empty
  return dirs;
}

bool checkpoint_coordinator::holds(checkpoint_id id) const {
  if (is_pending(id))
    return true;
  for (const auto& c : completed_)
    if (c.metadata.id == id)
      return true;
  return false;
}

std::set<std::string> checkpoint_coordinator::shared_files_in_use() const {
  std::set<std::string> names;
  auto add = [&](const checkpoint_metadata& m) {
    for (const auto& op : m.operators)
      for (const auto& s : op.subtasks)
        for (const auto& t : s.keyed.tables)
          names.insert(std::filesystem::path{t.file}.filename().string());
  };
  for (const auto& c : completed_)
    add(c.metadata);
  if (initial_)
    add(initial_->metadata);
  return names;
}

std::vector<checkpoint_record> checkpoint_coordinator::records() const {
  std::vector<checkpoint_record> out;
  for (auto p = pending_.rbegin(); p != pending_.rend(); ++p)
    out.push_back(p->second.record);
  out.insert(out.end(), history_.begin(), history_.end());
  return out;
}

void checkpoint_coordinator::finish_record(pending_snapshot& p, const std::string& status,
                                           std::int64_t now_ms, std::string failure) {
  p.record.status = status;
  p.record.end_timestamp = now_ms;
  p.record.failure = std::move(failure);
  history_.push_front(p.record);
  while (history_.size() > history_size)
    history_.pop_back();
}

} // namespace flinkcpp
