#include "cluster/cluster_gateway.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include "cluster/protocol.hpp"

namespace flinkcpp {

namespace {

constexpr std::chrono::seconds query_timeout{10};

class actor_gateway final : public cluster_gateway {
public:
  actor_gateway(caf::actor_system& system, caf::actor dispatcher, caf::actor resource_manager)
    : system_(system),
      dispatcher_(std::move(dispatcher)),
      resource_manager_(std::move(resource_manager)) {}

  std::vector<job_info> jobs() override {
    std::vector<job_info> out;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, query_timeout, jobs_atom::value)
      .receive([&](std::vector<job_info>& jobs) { out = std::move(jobs); }, [](caf::error&) {});
    return out;
  }

  std::optional<job_info> job(const job_id& id) override {
    std::optional<job_info> out;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, query_timeout, job_atom::value, id)
      .receive(
        [&](std::vector<job_info>& found) {
          if (!found.empty())
            out = std::move(found.front());
        },
        [](caf::error&) {});
    return out;
  }

  std::vector<task_manager_status> task_managers() override {
    std::vector<task_manager_status> out;
    caf::scoped_actor self{system_};
    self->request(resource_manager_, query_timeout, list_atom::value)
      .receive([&](std::vector<task_manager_status>& tms) { out = std::move(tms); },
               [](caf::error&) {});
    return out;
  }

  result<void> submit(job_submission submission) override {
    result<void> out;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, query_timeout, submit_atom::value, std::move(submission))
      .receive([](const job_id&) {},
               [&](caf::error& e) { out = failure{"submission failed: " + system_.render(e)}; });
    return out;
  }

  job_result await(const job_id& id) override {
    job_result out;
    out.id = id;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, caf::infinite, await_atom::value, id)
      .receive([&](job_result& r) { out = std::move(r); },
               [&](caf::error& e) {
                 out.status = job_status::failed;
                 out.failure = system_.render(e);
               });
    return out;
  }

  bool cancel(const job_id& id) override {
    bool found = false;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, query_timeout, cancel_atom::value, id)
      .receive([&](bool f) { found = f; }, [](caf::error&) {});
    return found;
  }

private:
  caf::actor_system& system_;
  caf::actor dispatcher_;
  caf::actor resource_manager_;
};

} // namespace

std::unique_ptr<cluster_gateway> make_cluster_gateway(caf::actor_system& system,
                                                      caf::actor dispatcher,
                                                      caf::actor resource_manager) {
  return std::make_unique<actor_gateway>(system, std::move(dispatcher),
                                         std::move(resource_manager));
}

} // namespace flinkcpp
