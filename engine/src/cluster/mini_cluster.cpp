#include "cluster/mini_cluster.hpp"

#include <mutex>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "cluster/actor_system_setup.hpp"
#include "cluster/dispatcher.hpp"
#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "cluster/task_executor.hpp"
#include "runtime/io_thread_pool.hpp"

namespace flinkcpp {

struct mini_cluster::impl {
  static caf::actor_system_config& configured(caf::actor_system_config& c) {
    configure_scheduler(c);
    return c;
  }

  explicit impl(const options& opts) : io(opts.io_threads), system(configured(config)) {
    resource_manager_settings rm;
    rm.slot_request_timeout = opts.slot_request_timeout;
    resource_manager = spawn_resource_manager(system, rm);
    dispatcher = spawn_dispatcher(system, resource_manager, io);
    for (int t = 0; t < opts.task_managers; ++t) {
      task_executor_settings te;
      te.id = "local-taskmanager-" + std::to_string(t);
      te.host = "localhost";
      te.slots = opts.slots_per_task_manager;
      te.resource_manager = resource_manager;
      executors.push_back(spawn_task_executor(system, std::move(te), io));
    }
  }

  ~impl() {
    for (auto& e : executors)
      caf::anon_send_exit(e, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(dispatcher, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(resource_manager, caf::exit_reason::user_shutdown);
  }

  // Destroyed in reverse order: the actors first, then the I/O threads they use.
  io_thread_pool io;
  caf::actor_system_config config;
  caf::actor_system system;
  resource_manager_actor resource_manager;
  dispatcher_actor dispatcher;
  std::vector<task_executor_actor> executors;
  std::mutex mutex;
  std::set<job_id> running;
};

mini_cluster::mini_cluster(const options& opts) : impl_(std::make_unique<impl>(opts)) {}

mini_cluster::~mini_cluster() = default;

job_result mini_cluster::execute(std::shared_ptr<const job_graph> graph,
                                 const task_settings& settings, job_id id, const job_spec& spec,
                                 std::shared_ptr<const restore_point> savepoint) {
  job_result result;
  result.id = id;
  caf::scoped_actor self{impl_->system};
  auto fail = [&](caf::error& e) {
    result.status = job_status::failed;
    result.failure = error_text(impl_->system, e);
  };
  {
    std::lock_guard<std::mutex> guard{impl_->mutex};
    impl_->running.insert(id);
  }
  self
    ->request(impl_->dispatcher, caf::infinite, submit_atom::value,
              job_submission{id, spec, std::move(graph), settings, std::move(savepoint)})
    .receive([](const job_id&) {}, fail);
  if (result.failure.empty())
    self->request(impl_->dispatcher, caf::infinite, await_atom::value, id)
      .receive([&](job_result& r) { result = std::move(r); }, fail);
  std::lock_guard<std::mutex> guard{impl_->mutex};
  impl_->running.erase(id);
  return result;
}

void mini_cluster::cancel() {
  std::lock_guard<std::mutex> guard{impl_->mutex};
  for (const auto& id : impl_->running)
    caf::anon_send(impl_->dispatcher, cancel_atom::value, id);
}

} // namespace flinkcpp
