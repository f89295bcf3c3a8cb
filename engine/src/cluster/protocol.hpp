#pragma once

// The control plane's messages: task executors register with the resource
// manager and heartbeat; job masters ask it for slots; the dispatcher accepts
// jobs and answers the REST API. Serializable types go to the `flinkcpp_cluster`
// block (registered in every process); the dispatcher's own messages never
// leave the jobmanager process and live in `flinkcpp_cluster_local`.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include "checkpoint/restore_reader.hpp"
#include "cluster/job_info.hpp"
#include "cluster/job_status.hpp"
#include "metrics/metric_sample.hpp"
#include "metrics/process_usage.hpp"
#include "runtime/messages.hpp"
#include "util/log_files.hpp"

// The atoms come first: the typed interfaces below name them.
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, register_atom, "register")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, unregister_atom, "unregister")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, heartbeat_atom, "heartbeat")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, slots_atom, "slots")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, free_atom, "freeslots")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, lost_atom, "tmlost")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, peers_atom, "peers")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, list_atom, "list")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, tick_atom, "tick")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, joined_atom, "joined")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, executor_atom, "executor")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, logs_atom, "logs")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, log_atom, "logfile")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, threads_atom, "threads")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, submit_atom, "submit")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, await_atom, "await")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, jobs_atom, "jobs")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, job_atom, "job")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, update_atom, "update")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, restart_atom, "restart")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, savepoint_atom, "savepoint")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, checkpoint_atom, "checkpoint")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, expire_atom, "expire")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, rescale_atom, "rescale")
CAF_ADD_ATOM(flinkcpp_cluster, flinkcpp, resources_atom, "resources")

namespace flinkcpp {

/// A taskmanager's data endpoint, for direct connections between taskmanagers.
struct peer_address {
  std::string host;
  std::uint16_t port = 0;
  friend bool operator<(const peer_address& a, const peer_address& b) {
    return a.host != b.host ? a.host < b.host : a.port < b.port;
  }
};

template <class Inspector>
auto inspect(Inspector& f, peer_address& x) {
  return f(x.host, x.port);
}

/// A task executor (the heart of a taskmanager), as the resource manager,
/// the job masters and the REST API see it:
///
/// - (deploy_atom, task_deployment) -> subtask_actor: starts a subtask. The
///   job graph comes from this process's job_graph_cache, or is built from
///   the deployment's job spec on the io executor (once per job).
/// - (peers_atom, std::vector<peer_address>) -> bool: connects directly to
///   the other taskmanagers a job uses, so data never detours.
/// - (logs_atom) -> std::vector<log_file_info>, (log_atom, name) -> std::string:
///   the files of its log and one's content (an error not_found if none).
/// - (threads_atom) -> std::vector<thread_snapshot>: the process's threads.
/// - (unregister_atom) -> bool: leaves the cluster (cancels its subtasks),
///   answers once the resource manager acknowledged (false: it did not), exits.
/// - (heartbeat_atom, false): the resource manager no longer knows it
///   (missed heartbeats): it registers again.
using task_executor_actor =
  caf::typed_actor<caf::replies_to<deploy_atom, task_deployment>::with<subtask_actor>,
                   caf::replies_to<peers_atom, std::vector<peer_address>>::with<bool>,
                   caf::replies_to<logs_atom>::with<std::vector<log_file_info>>,
                   caf::replies_to<log_atom, std::string>::with<std::string>,
                   caf::replies_to<threads_atom>::with<std::vector<thread_snapshot>>,
                   caf::replies_to<unregister_atom>::with<bool>,
                   caf::reacts_to<heartbeat_atom, bool>>;

/// A taskmanager announcing itself to the resource manager.
struct task_manager_registration {
  std::string id;              ///< "<host>:<data port>-<random>", as Flink names taskmanagers
  std::string host;            ///< where other taskmanagers reach its data port
  std::uint16_t data_port = 0; ///< 0 for a taskmanager inside the jobmanager's process
  std::int32_t slots = 0;
  task_executor_actor executor;
  hardware_description hardware;
};

template <class Inspector>
auto inspect(Inspector& f, task_manager_registration& x) {
  return f(x.id, x.host, x.data_port, x.slots, x.executor, x.hardware);
}

/// One slot given to a job: slot `slot` of a taskmanager.
struct slot_offer {
  std::string task_manager;
  task_executor_actor executor;
  std::string host;
  std::uint16_t data_port = 0;
  std::int32_t slot = 0;
};

template <class Inspector>
auto inspect(Inspector& f, slot_offer& x) {
  return f(x.task_manager, x.executor, x.host, x.data_port, x.slot);
}

/// Registers the serializable runtime and cluster message types with an actor
/// system's config; every process of a cluster calls it.
void register_cluster_message_types(caf::actor_system_config& config);

/// A job graph a task executor built from a job spec (or why it could not).
struct built_graph {
  job_id id;
  std::shared_ptr<const job_graph> graph;
  std::string error;
};

/// A log file a task executor read on its I/O executor for a request (or why
/// it could not).
struct log_read {
  std::uint64_t request = 0;
  std::string content;
  std::string error;
};

template <class Inspector>
auto inspect(Inspector& f, log_read& x) {
  return f(x.request, x.content, x.error);
}

/// The state a task executor read for a subtask to restore (or why it could not).
struct restore_read {
  std::uint64_t request = 0;
  std::shared_ptr<result<restored_operators>> state;
};

} // namespace flinkcpp

CAF_BEGIN_TYPE_ID_BLOCK(flinkcpp_cluster, caf::id_block::flinkcpp_local::end)
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::task_manager_registration))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::slot_offer))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::slot_offer>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::task_manager_status))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::task_manager_status>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::peer_address))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::peer_address>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::job_id))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::metric_sample))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::metric_sample>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::hardware_description))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::log_file_info))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::log_file_info>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::thread_snapshot))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::thread_snapshot>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (std::vector<flinkcpp::job_id>))
CAF_ADD_TYPE_ID(flinkcpp_cluster, (flinkcpp::task_executor_actor))
CAF_END_TYPE_ID_BLOCK(flinkcpp_cluster)

CAF_BEGIN_TYPE_ID_BLOCK(flinkcpp_cluster_local, caf::id_block::flinkcpp_cluster::end)
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (flinkcpp::job_submission))
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (flinkcpp::job_result))
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (flinkcpp::job_info))
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (std::vector<flinkcpp::job_info>))
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (flinkcpp::built_graph))
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (flinkcpp::restore_read))
CAF_ADD_TYPE_ID(flinkcpp_cluster_local, (flinkcpp::log_read))
CAF_END_TYPE_ID_BLOCK(flinkcpp_cluster_local)

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::job_submission)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::job_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::job_info)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<flinkcpp::job_info>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::built_graph)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(flinkcpp::restore_read)
