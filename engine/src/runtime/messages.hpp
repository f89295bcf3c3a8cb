#pragma once

// The messages between subtask actors, task executors and job masters, and
// their registration with CAF. Only translation units that run actors include
// this header (CAF headers are expensive to compile).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/type_id.hpp>

#include "graph/job_graph.hpp"
#include "runtime/channel_event.hpp"
#include "runtime/execution_state.hpp"
#include "runtime/task.hpp"

namespace flinkcpp {

/// An event on channel (gate, channel) of the receiving subtask.
struct channel_message {
  std::uint32_t gate = 0;
  std::uint32_t channel = 0;
  channel_event event;
};

/// Credits for channel `channel` of the sender's output partition `partition`.
struct credit_message {
  std::uint32_t partition = 0;
  std::uint32_t channel = 0;
  std::uint32_t credits = 0;
};

/// Where one output channel leads: the receiving subtask and the gate and
/// channel its events arrive on.
struct output_target {
  caf::actor receiver;
  std::uint32_t gate = 0;
  std::uint32_t channel = 0;
};

/// Where one input channel comes from: the sending subtask and the partition
/// and channel its credits go to.
struct input_source {
  caf::actor sender;
  std::uint32_t partition = 0;
  std::uint32_t channel = 0;
};

/// The channels of one subtask: [partition][channel] and [gate][channel].
struct task_connections {
  std::vector<std::vector<output_target>> partitions;
  std::vector<std::vector<input_source>> gates;
};

/// What a task executor needs to start one subtask.
struct task_deployment {
  job_id job;
  std::shared_ptr<const job_graph> graph;
  int vertex = 0;
  int subtask = 0;
  caf::actor job_master;
  task_settings settings;
};

/// A subtask reached a state.
struct task_state_message {
  int vertex = 0;
  int subtask = 0;
  execution_state state = execution_state::created;
  std::string failure;
};

/// A subtask finished committing its output.
struct task_committed_message {
  int vertex = 0;
  int subtask = 0;
  std::string failure;
};

} // namespace flinkcpp

CAF_BEGIN_TYPE_ID_BLOCK(flinkcpp, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::channel_message))
  CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::credit_message))
  CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_connections))
  CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_deployment))
  CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_state_message))
  CAF_ADD_TYPE_ID(flinkcpp, (flinkcpp::task_committed_message))
  CAF_ADD_ATOM(flinkcpp, flinkcpp, deploy_atom, "deploy")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, connect_atom, "connect")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, start_atom, "start")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, resume_atom, "resume")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, flush_atom, "flush")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, wake_atom, "wake")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, commit_atom, "commit")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, cancel_atom, "cancel")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, release_atom, "release")
  CAF_ADD_ATOM(flinkcpp, flinkcpp, run_atom, "run")
CAF_END_TYPE_ID_BLOCK(flinkcpp)

// Inside one process these move by pointer; serialization for the network
// comes with the distributed cluster.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::channel_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::credit_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::task_connections)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::task_deployment)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::task_state_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::task_committed_message)
