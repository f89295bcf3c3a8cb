#include "cluster/mini_cluster.hpp"

#include <mutex>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "cluster/cluster_messages.hpp"
#include "cluster/job_master.hpp"
#include "cluster/task_executor.hpp"
#include "runtime/io_thread_pool.hpp"

namespace flinkcpp {

struct mini_cluster::impl {
  explicit impl(const options& opts) : io(opts.io_threads), system(config) {
    for (int t = 0; t < opts.task_managers; ++t) {
      auto executor = spawn_task_executor(system, io);
      executors.push_back(executor);
      for (int s = 0; s < opts.slots_per_task_manager; ++s)
        slots.push_back(executor);
    }
  }

  ~impl() {
    for (auto& e : executors)
      caf::anon_send_exit(e, caf::exit_reason::user_shutdown);
  }

  // Destroyed in reverse order: the actors first, then the I/O threads they use.
  io_thread_pool io;
  caf::actor_system_config config;
  caf::actor_system system;
  std::vector<caf::actor> executors;
  std::vector<caf::actor> slots; ///< slot k -> its task executor
  std::mutex mutex;
  caf::actor running; ///< the job master of the job execute() runs
};

mini_cluster::mini_cluster(const options& opts) : impl_(std::make_unique<impl>(opts)) {}

mini_cluster::~mini_cluster() = default;

job_result mini_cluster::execute(std::shared_ptr<const job_graph> graph,
                                 const task_settings& settings, job_id id) {
  auto master = spawn_job_master(impl_->system, std::move(graph), id, settings, impl_->slots);
  {
    std::lock_guard<std::mutex> guard{impl_->mutex};
    impl_->running = master;
  }
  job_result result;
  result.id = id;
  caf::scoped_actor self{impl_->system};
  self->request(master, caf::infinite, run_atom::value)
    .receive([&](job_result& r) { result = std::move(r); },
             [&](caf::error& e) {
               result.status = job_status::failed;
               result.failure = "the job master stopped: " + impl_->system.render(e);
             });
  std::lock_guard<std::mutex> guard{impl_->mutex};
  impl_->running = nullptr;
  return result;
}

void mini_cluster::cancel() {
  std::lock_guard<std::mutex> guard{impl_->mutex};
  if (impl_->running)
    caf::anon_send(impl_->running, cancel_atom::value);
}

} // namespace flinkcpp
