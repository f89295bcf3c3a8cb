// The job master's checkpoints: periodic triggers, acknowledgements,
// metadata written off the actor's thread, completion notices, savepoints,
// and what each attempt restores from. The decisions are the coordinator's.

#include <filesystem>
#include <system_error>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include "checkpoint/restore_assignment.hpp"
#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "checkpoint/storage/shared_state_files.hpp"
#include "cluster/errors.hpp"
#include "cluster/job_master_state.hpp"
#include "graph/job_builder.hpp"
#include "util/durable_file.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

/// Deletes directories on the I/O executor, best effort; a job directory
/// (the last entry of directories_at_end) only if it is empty.
void delete_directories(job_master_pointer self, std::vector<std::string> dirs) {
  if (dirs.empty())
    return;
  if (self->state.metadata_writes > 0) {
    auto& later = self->state.deferred_deletions;
    later.insert(later.end(), dirs.begin(), dirs.end());
    return;
  }
  auto job_dir = self->state.checkpoints->directories().job;
  self->state.io->execute([dirs = std::move(dirs), job_dir, cleanup = self->state.cleanup] {
    std::lock_guard<std::mutex> guard{cleanup->mutex};
    for (const auto& d : dirs) {
      if (d == job_dir)
        cleanup->job_ended = true;
      else
        remove_tree(d);
    }
    std::error_code ec;
    if (cleanup->job_ended)
      fs::remove(job_dir, ec); // only once empty: the last deletion takes it
  });
}

void answer_request(job_master_pointer self, checkpoint_id id, const std::string* path,
                    const std::string& error) {
  auto& s = self->state;
  auto i = s.requests.find(id);
  if (i == s.requests.end())
    return;
  if (path != nullptr)
    i->second.promise.deliver(id, *path);
  else
    i->second.promise.deliver(make_control_error(errc::unspecified, error));
  s.requests.erase(i);
  finish_when_idle(self);
}

void fail_checkpoint(job_master_pointer self, checkpoint_id id, const std::string& reason,
                     bool counted) {
  auto& s = self->state;
  if (!s.checkpoints->is_pending(id))
    return;
  auto kind = s.checkpoints->kind_of(id);
  auto directory = s.checkpoints->directory_of(id);
  bool must_fail = s.checkpoints->fail(id, reason, epoch_millis(), counted);
  s.log->warn("{} {} of job {} failed: {}",
              kind == snapshot_kind::checkpoint ? "Checkpoint" : "Savepoint", id.to_string(),
              s.info.id.to_string(), reason);
  delete_directories(self, {directory});
  answer_request(self, id, nullptr,
                 (kind == snapshot_kind::checkpoint ? "checkpoint " : "savepoint ") +
                   id.to_string() + " failed: " + reason);
  publish(self);
  if (must_fail && kind == snapshot_kind::checkpoint)
    fail(self, "exceeded the tolerable number of failed checkpoints "
               "(execution.checkpointing.tolerable-failed-checkpoints = " +
                 std::to_string(s.checkpoints->settings().tolerable_failures) +
                 "); the last one failed: " + reason);
}

/// The error for a snapshot asked of a job that is not running.
caf::error not_running(const job_master_state& s) {
  return make_control_error(errc::conflict, "job " + s.info.id.to_string() + " is not running (" +
                                              std::string{to_string(s.info.status)} + ")");
}

checkpoint_id trigger(job_master_pointer self, barrier_options options, std::string target = {}) {
  auto& s = self->state;
  auto kind = !options.is_savepoint()  ? snapshot_kind::checkpoint
              : options.ends_sources() ? snapshot_kind::stop_savepoint
                                       : snapshot_kind::savepoint;
  auto id = s.checkpoints->begin(kind, epoch_millis(), std::move(target));
  checkpoint_sources(self, id);
  s.execution.for_each_live([&](vertex_index, subtask_index, const subtask_record& r) {
    self->send(r.actor, trigger_checkpoint_message{id, options});
  });
  self->delayed_send(self, s.checkpoints->settings().timeout, expire_atom::value, id);
  s.log->info("Triggering {} {} of job {}.",
              kind == snapshot_kind::checkpoint ? "checkpoint" : "savepoint", id.to_string(),
              s.info.id.to_string());
  publish(self);
  return id;
}

/// Every subtask acknowledged `id`: write its metadata on the I/O executor.
void finalize(job_master_pointer self, checkpoint_id id) {
  auto& s = self->state;
  auto metadata = s.checkpoints->metadata_of(id);
  auto written_to = s.checkpoints->directory_of(id);
  auto final_dir = s.checkpoints->final_directory_of(id);
  auto me = job_master_impl{self};
  ++s.metadata_writes;
  s.io->execute([me, metadata = std::move(metadata), written_to, final_dir] {
    auto done = checkpoint_storage::complete(written_to, final_dir, metadata);
    caf::anon_send(me, checkpoint_atom::value, metadata.id, done ? std::string{} : done.error());
  });
}

} // namespace

void on_metadata_written(job_master_pointer self, checkpoint_id id, const std::string& error) {
  auto& s = self->state;
  if (--s.metadata_writes == 0) {
    delete_directories(self, std::exchange(s.deferred_deletions, {}));
    if (s.quit_after_writes) {
      self->quit();
      return;
    }
  }
  if (!s.checkpoints->is_pending(id))
    return; // aborted meanwhile
  if (!error.empty()) {
    fail_checkpoint(self, id, "writing its metadata failed: " + error, true);
    return;
  }
  auto kind = s.checkpoints->kind_of(id);
  auto path = s.checkpoints->final_directory_of(id);
  auto retired = s.checkpoints->complete(id, epoch_millis());
  s.log->info("Completed {} {} of job {} ({}).",
              kind == snapshot_kind::checkpoint ? "checkpoint" : "savepoint", id.to_string(),
              s.info.id.to_string(), path);
  s.execution.for_each_live([&](vertex_index, subtask_index, const subtask_record& r) {
    self->send(r.actor, checkpoint_complete_message{id});
  });
  sources_checkpoint_complete(self, id);
  delete_directories(self, std::move(retired));
  if (kind == snapshot_kind::checkpoint)
    s.io->execute([shared = s.checkpoints->directories().shared(), id,
                   in_use = s.checkpoints->shared_files_in_use(), cleanup = s.cleanup] {
      std::lock_guard<std::mutex> guard{cleanup->mutex};
      sweep_shared_files(shared, id, in_use);
    });
  answer_request(self, id, &path, {});
  publish(self);
}

void on_checkpoint_tick(job_master_pointer self, int attempt) {
  auto& s = self->state;
  if (attempt != s.execution.attempt() || s.info.status != job_status::running ||
      s.execution.stopping())
    return; // the next attempt runs its own timer
  const auto& settings = s.checkpoints->settings();
  auto delay = s.checkpoints->delay_until_allowed(checkpoint_coordinator::clock::now());
  if (delay && delay->count() == 0) {
    trigger(self, barrier_options{});
    self->delayed_send(self, settings.interval, tick_atom::value, attempt);
    return;
  }
  self->delayed_send(self, delay ? *delay : settings.interval, tick_atom::value, attempt);
}

void init_checkpoints(job_master_pointer self) {
  auto& s = self->state;
  s.checkpoints = std::make_unique<checkpoint_coordinator>(
    checkpoint_settings::from(configuration_of(s.job.spec)), s.info.id, s.job.graph);
  if (s.job.savepoint)
    s.checkpoints->set_initial_restore_point(*s.job.savepoint);
  update_checkpoint_info(s);
}

void start_checkpointing(job_master_pointer self) {
  auto& s = self->state;
  const auto& settings = s.checkpoints->settings();
  if (settings.periodic() && s.job.graph->mode() == runtime_mode::streaming)
    self->delayed_send(self, settings.interval, tick_atom::value, s.execution.attempt());
}

void stop_checkpointing(job_master_pointer self, const std::string& reason) {
  auto& s = self->state;
  std::vector<checkpoint_id> waiting;
  for (const auto& [id, request] : s.requests)
    waiting.push_back(id);
  for (const auto& id : waiting)
    answer_request(self, id, nullptr, "snapshot " + id.to_string() + " failed: " + reason);
  delete_directories(self, s.checkpoints->abort_pending(reason, epoch_millis()));
}

void end_checkpointing(job_master_pointer self, job_status status) {
  auto& s = self->state;
  stop_checkpointing(self, "the job ended");
  delete_directories(self, s.checkpoints->directories_at_end(std::string{to_string(status)}));
}

void quit_after_checkpoint_writes(job_master_pointer self) {
  if (self->state.metadata_writes == 0)
    self->quit();
  else
    self->state.quit_after_writes = true;
}

subtask_restore restore_for(job_master_pointer self, vertex_index vertex, subtask_index subtask) {
  const auto* point = self->state.checkpoints->latest();
  if (point == nullptr)
    return {};
  return restore_of(*point, *self->state.job.graph, vertex.value(), subtask.value());
}

void note_restore(job_master_pointer self) {
  auto& s = self->state;
  const auto* point = s.checkpoints->latest();
  if (point == nullptr)
    return;
  s.checkpoints->count_restore();
  s.info.checkpoints.restored_id = point->metadata.id;
  s.info.checkpoints.restore_timestamp = epoch_millis();
  s.info.checkpoints.restored_path = point->directory;
  s.info.checkpoints.restored_savepoint = point->metadata.savepoint;
  s.log->info("Job {} restores from {} {} ({}).", s.info.id.to_string(),
              point->metadata.savepoint ? "savepoint" : "checkpoint",
              point->metadata.id.to_string(), point->directory);
}

void drop_unreadable_restore_point(job_master_pointer self, checkpoint_id id,
                                   const std::string& reason) {
  auto& s = self->state;
  const auto* latest = s.checkpoints->latest();
  if (latest == nullptr || latest->metadata.id != id)
    return; // dropped already, for another subtask's report
  if (!s.checkpoints->has_fallback()) {
    // Starting without the state would be wrong output: the job fails.
    s.restarts = std::make_unique<no_restart>();
    s.log->error("The snapshot at {} cannot be restored and there is none before it: {}",
                 s.checkpoints->latest()->directory, reason);
    return;
  }
  auto dir = s.checkpoints->drop_latest();
  s.log->error("The snapshot at {} cannot be restored: {}. The job falls back to the one "
               "before it; the directory is kept for inspection.",
               dir, reason);
}

void update_checkpoint_info(job_master_state& s) {
  auto& c = s.info.checkpoints;
  c.settings = s.checkpoints->settings();
  c.completed = s.checkpoints->completed_count();
  c.failed = s.checkpoints->failed_count();
  c.in_progress = s.checkpoints->in_progress_count();
  c.restored = s.checkpoints->restored_count();
  c.records = s.checkpoints->records();
}

void on_checkpoint_expired(job_master_pointer self, checkpoint_id id) {
  fail_checkpoint(self, id, "it did not complete within execution.checkpointing.timeout", true);
}

void on_checkpoint_ack(job_master_pointer self, checkpoint_ack_message& m) {
  auto& s = self->state;
  if (!s.checkpoints->holds(m.id)) {
    // Written after its checkpoint was given up: the files go too.
    delete_directories(self, {s.checkpoints->directory_of(m.id)});
    return;
  }
  if (m.from.attempt != s.execution.attempt())
    return;
  if (s.checkpoints->acknowledge(m.id, m.from.vertex.value(), m.from.subtask.value(),
                                 std::move(m.states), epoch_millis()))
    finalize(self, m.id);
}

void on_checkpoint_decline(job_master_pointer self, const checkpoint_decline_message& m) {
  auto& s = self->state;
  if (m.from.attempt != s.execution.attempt())
    return;
  fail_checkpoint(self, m.id,
                  "declined by " + s.execution.task_name(m.from.vertex, m.from.subtask) + ": " +
                    m.reason,
                  m.counted);
}

caf::typed_response_promise<checkpoint_id, std::string> checkpoint_now(job_master_pointer self,
                                                                       bool full) {
  auto& s = self->state;
  auto promise = self->make_response_promise<checkpoint_id, std::string>();
  if (s.info.status != job_status::running || s.execution.stopping() ||
      s.job.graph->mode() != runtime_mode::streaming) {
    promise.deliver(not_running(s));
    return promise;
  }
  s.requests[trigger(self, full ? barrier_options::full_checkpoint() : barrier_options{})] =
    snapshot_request{promise};
  return promise;
}

caf::typed_response_promise<checkpoint_id, std::string>
savepoint_now(job_master_pointer self, const std::string& target, barrier_options options) {
  auto& s = self->state;
  auto promise = self->make_response_promise<checkpoint_id, std::string>();
  if (s.job.graph->mode() != runtime_mode::streaming) {
    promise.deliver(
      make_control_error(errc::conflict, "savepoints need execution.runtime-mode STREAMING"));
    return promise;
  }
  if (s.info.status != job_status::running || s.execution.stopping()) {
    promise.deliver(not_running(s));
    return promise;
  }
  auto dir = s.checkpoints->settings().storage.new_savepoint_directory(target, s.info.id);
  if (!dir) {
    promise.deliver(make_control_error(errc::invalid_argument, dir.error()));
    return promise;
  }
  s.requests[trigger(self, options, std::move(dir.value()))] = snapshot_request{promise};
  return promise;
}

} // namespace flinkcpp
