#pragma once

// The messages between subtask actors, task executors and job masters, and
// their registration with CAF. Only translation units that run actors include
// this header (CAF headers are expensive to compile).
//
// Two type id blocks: `flinkcpp_local` holds messages that only move inside a
// process (a batch by pointer); `flinkcpp` holds the serializable ones, which
// every process registers (register_message_types) so they can cross the wire.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "checkpoint/restore_assignment.hpp"
#include "graph/job_builder.hpp"
#include "metrics/task_metrics.hpp"
#include "runtime/channel_event.hpp"
#include "runtime/execution_state.hpp"
#include "runtime/task_settings.hpp"
#include "util/id.hpp"
#include "util/strong_index.hpp"

// The atoms come first: the typed interfaces below name them. (CAF 0.17's
// atoms are constants, not entries of a type id block.)
CAF_ADD_ATOM(flinkcpp, flinkcpp, deploy_atom, "deploy")
CAF_ADD_ATOM(flinkcpp, flinkcpp, connect_atom, "connect")
CAF_ADD_ATOM(flinkcpp, flinkcpp, start_atom, "start")
CAF_ADD_ATOM(flinkcpp, flinkcpp, resume_atom, "resume")
CAF_ADD_ATOM(flinkcpp, flinkcpp, flush_atom, "flush")
CAF_ADD_ATOM(flinkcpp, flinkcpp, watermark_atom, "watermark")
CAF_ADD_ATOM(flinkcpp, flinkcpp, processing_timer_atom, "ptimer")
CAF_ADD_ATOM(flinkcpp, flinkcpp, wake_atom, "wake")
CAF_ADD_ATOM(flinkcpp, flinkcpp, commit_atom, "commit")
CAF_ADD_ATOM(flinkcpp, flinkcpp, cancel_atom, "cancel")
CAF_ADD_ATOM(flinkcpp, flinkcpp, release_atom, "release")
CAF_ADD_ATOM(flinkcpp, flinkcpp, run_atom, "run")
CAF_ADD_ATOM(flinkcpp, flinkcpp, library_atom, "library")

namespace flinkcpp {

/// An event on channel (gate, channel) of a subtask in the same process: a
/// batch moves by pointer.
struct channel_message {
  std::uint32_t gate = 0;
  std::uint32_t channel = 0;
  channel_event event;
};

/// The same between processes: the batch serialized once, as the edge's
/// partitioner writes it.
struct remote_channel_message {
  std::uint32_t gate = 0;
  std::uint32_t channel = 0;
  event_kind kind = event_kind::batch;
  std::int64_t value = 0;
  barrier_options options = {};
  std::string bytes;
};

template <class Inspector>
auto inspect(Inspector& f, remote_channel_message& x) {
  return f(x.gate, x.channel, x.kind, x.value, x.options, x.bytes);
}

/// Credits for channel `channel` of the sender's output partition `partition`.
struct credit_message {
  std::uint32_t partition = 0;
  std::uint32_t channel = 0;
  std::uint32_t credits = 0;
};

template <class Inspector>
auto inspect(Inspector& f, credit_message& x) {
  return f(x.partition, x.channel, x.credits);
}

/// What a subtask gets from the subtasks it exchanges data with: events on
/// its input channels (by pointer inside a process, serialized between
/// processes) and credits for its output channels.
using channel_endpoint_actor =
  caf::typed_actor<caf::reacts_to<channel_message>, caf::reacts_to<remote_channel_message>,
                   caf::reacts_to<credit_message>>;

/// Where one output channel leads: the receiving subtask and the gate and
/// channel its events arrive on.
struct output_target {
  channel_endpoint_actor receiver;
  std::uint32_t gate = 0;
  std::uint32_t channel = 0;
};

template <class Inspector>
auto inspect(Inspector& f, output_target& x) {
  return f(x.receiver, x.gate, x.channel);
}

/// Where one input channel comes from: the sending subtask and the partition
/// and channel its credits go to.
struct input_source {
  channel_endpoint_actor sender;
  std::uint32_t partition = 0;
  std::uint32_t channel = 0;
};

template <class Inspector>
auto inspect(Inspector& f, input_source& x) {
  return f(x.sender, x.partition, x.channel);
}

/// The channels of one subtask: [partition][channel] and [gate][channel].
struct task_connections {
  std::vector<std::vector<output_target>> partitions;
  std::vector<std::vector<input_source>> gates;
};

template <class Inspector>
auto inspect(Inspector& f, task_connections& x) {
  return f(x.partitions, x.gates);
}

template <class Inspector>
auto inspect(Inspector& f, state_backend_settings& x) {
  return f(x.type, x.incremental, x.local_dir, x.block_cache_bytes, x.write_buffer_bytes,
           x.open_files);
}

template <class Inspector>
auto inspect(Inspector& f, task_settings& x) {
  return f(x.buffer_timeout, x.auto_watermark_interval, x.credits_per_channel, x.floating_per_gate,
           x.max_queued_per_channel, x.batch_bytes, x.remote_batch_bytes, x.source_step,
           x.checkpointing, x.exactly_once, x.checkpoints, x.state);
}

/// One run of one subtask: subtask `subtask` of vertex `vertex` in the job's
/// attempt `attempt` (1 for the first, one more with each restart or
/// rescale). Messages name their sender by it; whoever gets one of an
/// attempt that already stopped drops it.
struct execution_attempt {
  vertex_index vertex;
  subtask_index subtask;
  int attempt = 0;

  friend auto operator<=>(const execution_attempt&, const execution_attempt&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, execution_attempt& x) {
  return f(x.vertex, x.subtask, x.attempt);
}

/// The job master asks a subtask to take part in a checkpoint.
struct trigger_checkpoint_message {
  checkpoint_id id;
  barrier_options options = {};
};

template <class Inspector>
auto inspect(Inspector& f, trigger_checkpoint_message& x) {
  return f(x.id, x.options);
}

/// A subtask wrote its snapshot of a checkpoint.
struct checkpoint_ack_message {
  execution_attempt from;
  checkpoint_id id;
  std::vector<operator_subtask_state> states;
};

template <class Inspector>
auto inspect(Inspector& f, checkpoint_ack_message& x) {
  return f(x.from, x.id, x.states);
}

/// A subtask could not take part in a checkpoint.
struct checkpoint_decline_message {
  execution_attempt from;
  checkpoint_id id;
  std::string reason;
  bool counted = true; ///< counts against tolerable-failed-checkpoints
};

template <class Inspector>
auto inspect(Inspector& f, checkpoint_decline_message& x) {
  return f(x.from, x.id, x.reason, x.counted);
}

/// A checkpoint completed; subtasks may commit what it covers.
struct checkpoint_complete_message {
  checkpoint_id id;
};

template <class Inspector>
auto inspect(Inspector& f, checkpoint_complete_message& x) {
  return f(x.id);
}

/// A subtask of an attempt reached a state; with a final one, its I/O.
struct task_state_message {
  execution_attempt from;
  execution_state state = execution_state::created;
  std::string failure;
  task_io_totals io;
};

template <class Inspector>
auto inspect(Inspector& f, task_state_message& x) {
  return f(x.from, x.state, x.failure, x.io);
}

/// A subtask finished committing its output.
struct task_committed_message {
  execution_attempt from;
  std::string failure;
};

template <class Inspector>
auto inspect(Inspector& f, task_committed_message& x) {
  return f(x.from, x.failure);
}

/// An operator's event to its coordinator in the job master (a source
/// reader's registration or split request; Flink's OperatorEvent).
struct operator_event_message {
  execution_attempt from;
  operator_id op;
  std::string event;
};

template <class Inspector>
auto inspect(Inspector& f, operator_event_message& x) {
  return f(x.from, x.op, x.event);
}

/// A coordinator's event to its operator in one subtask (splits for a
/// source reader).
struct coordinator_event_message {
  operator_id op;
  std::string event;
};

template <class Inspector>
auto inspect(Inspector& f, coordinator_event_message& x) {
  return f(x.op, x.event);
}

/// What a subtask reports to its job master (Flink's JobMasterGateway as a
/// task sees it): its states, its commit, its part of each checkpoint, its
/// operators' events to their coordinators. And
/// where a task executor that lacks the job's uploaded library fetches it
/// (Flink's BLOB server): (library_atom, digest, offset) -> (size, bytes)
/// answers the library's size and its bytes from `offset` on, at most a
/// part's worth (at least one byte unless `offset` is the size); an error
/// when the job runs no library of that digest or `offset` lies beyond it.
using task_listener_actor = caf::typed_actor<
  caf::reacts_to<task_state_message>, caf::reacts_to<task_committed_message>,
  caf::reacts_to<checkpoint_ack_message>, caf::reacts_to<checkpoint_decline_message>,
  caf::reacts_to<operator_event_message>,
  caf::replies_to<library_atom, std::string, std::uint64_t>::with<std::uint64_t, std::string>>;

/// What a task executor needs to start one subtask: the job (its spec, so any
/// process can build the graph), which subtask, which attempt, whom to
/// report to, and the state it restores (none for a fresh start).
struct task_deployment {
  job_id job;
  job_spec spec;
  execution_attempt target;
  task_listener_actor job_master;
  task_settings settings;
  subtask_restore restore;
};

template <class Inspector>
auto inspect(Inspector& f, task_deployment& x) {
  return f(x.job, x.spec, x.target, x.job_master, x.settings, x.restore);
}

/// A running subtask, as its job master and task executor see it: besides
/// the channel events and credits, (connect_atom, task_connections) installs
/// its channels, start_atom starts it, commit_atom has a finished subtask
/// commit its output, the checkpoint messages trigger its snapshot and tell
/// it a checkpoint completed, coordinator events go to its operators,
/// cancel_atom cancels it.
using subtask_actor = channel_endpoint_actor::extend<
  caf::reacts_to<connect_atom, task_connections>, caf::reacts_to<start_atom>,
  caf::reacts_to<commit_atom>, caf::reacts_to<trigger_checkpoint_message>,
  caf::reacts_to<checkpoint_complete_message>, caf::reacts_to<coordinator_event_message>,
  caf::reacts_to<cancel_atom>>;

/// Work an actor asked to run on its own thread (the continuation of a
/// call made on an I/O thread). Local only: never crosses processes.
struct deferred_call {
  std::function<void()> run;
};

/// Registers the serializable message types with an actor system's config.
void register_message_types(caf::actor_system_config& config);

} // namespace flinkcpp

CAF_BEGIN_TYPE_ID_BLOCK(flinkcpp, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::remote_channel_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::credit_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_connections))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_deployment))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_state_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_committed_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::trigger_checkpoint_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::checkpoint_ack_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::checkpoint_decline_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::checkpoint_complete_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::checkpoint_id))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::barrier_options))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::subtask_actor))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::operator_event_message))
CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::coordinator_event_message))
CAF_END_TYPE_ID_BLOCK(flinkcpp)

CAF_BEGIN_TYPE_ID_BLOCK(flinkcpp_local, caf::id_block::flinkcpp::end)
CAF_ADD_TYPE_ID(flinkcpp_local, (flinkcpp::channel_message))
CAF_ADD_TYPE_ID(flinkcpp_local, (flinkcpp::deferred_call))
CAF_END_TYPE_ID_BLOCK(flinkcpp_local)

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::channel_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::deferred_call)
