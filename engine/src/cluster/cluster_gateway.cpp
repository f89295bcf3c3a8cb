#include "cluster/actor_gateway.hpp"

#include <map>
#include <mutex>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"
#include "metrics/metric_registry.hpp"
#include "metrics/reported_metrics.hpp"

namespace flinkcpp {

namespace {

constexpr std::chrono::seconds query_timeout{10};

class actor_gateway final : public cluster_gateway {
public:
  actor_gateway(caf::actor_system& system, dispatcher_actor dispatcher,
                resource_manager_actor resource_manager)
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
      .receive(
        [](const job_id&) {},
        [&](caf::error& e) { out = failure{"submission failed: " + error_text(system_, e)}; });
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
                 out.failure = error_text(system_, e);
               });
    return out;
  }

  result<void> cancel(const job_id& id) override {
    result<void> out;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, query_timeout, cancel_atom::value, id)
      .receive([](bool) {}, [&](caf::error& e) { out = failure_of(system_, e); });
    return out;
  }

  std::string trigger_savepoint(const job_id& id, const std::string& target,
                                after_savepoint then) override {
    return track(
      [=](caf::event_based_actor* self, const dispatcher_actor& dispatcher) {
        auto options =
          then == after_savepoint::stop || then == after_savepoint::stop_and_drain
            ? barrier_options::stop_with_savepoint(then == after_savepoint::stop_and_drain)
            : barrier_options::savepoint();
        return self->request(dispatcher, caf::infinite, savepoint_atom::value, id, target, options);
      },
      then == after_savepoint::cancel ? std::optional<job_id>{id} : std::nullopt);
  }

  std::string trigger_checkpoint(const job_id& id, bool full) override {
    return track(
      [=](caf::event_based_actor* self, const dispatcher_actor& dispatcher) {
        return self->request(dispatcher, caf::infinite, checkpoint_atom::value, id, full);
      },
      std::nullopt);
  }

  result<void> set_parallelism_bound(const job_id& id, std::int32_t upper) override {
    result<void> out;
    caf::scoped_actor self{system_};
    self->request(dispatcher_, query_timeout, resources_atom::value, id, upper)
      .receive([](bool) {}, [&](caf::error& e) { out = failure_of(system_, e); });
    return out;
  }

  result<std::vector<log_file_info>> task_manager_logs(const std::string& tm) override {
    return ask_executor<std::vector<log_file_info>>(tm, logs_atom::value);
  }

  result<std::string> task_manager_log(const std::string& tm, const std::string& name) override {
    return ask_executor<std::string>(tm, log_atom::value, name);
  }

  result<std::vector<thread_snapshot>> task_manager_threads(const std::string& tm) override {
    return ask_executor<std::vector<thread_snapshot>>(tm, threads_atom::value);
  }

  std::vector<metric_sample> jobmanager_metrics() override {
    return metric_registry::instance().collect(metric_registry::now_ns());
  }

  std::vector<metric_sample> reported_metrics() override {
    return flinkcpp::reported_metrics::instance().all();
  }

  std::vector<metric_sample> reported_metrics(const std::string& task_manager) override {
    return flinkcpp::reported_metrics::instance().of(task_manager);
  }

  std::optional<savepoint_status> savepoint(const std::string& trigger) override {
    std::lock_guard<std::mutex> guard{savepoints_->mutex};
    auto i = savepoints_->status.find(trigger);
    if (i == savepoints_->status.end())
      return std::nullopt;
    return i->second;
  }

private:
  /// Asks the task executor of taskmanager `tm` (found through the resource
  /// manager) with `xs` for a `T`.
  template <class T, class... Ts>
  result<T> ask_executor(const std::string& tm, Ts... xs) {
    std::optional<result<T>> out;
    caf::scoped_actor self{system_};
    task_executor_actor executor;
    self->request(resource_manager_, query_timeout, executor_atom::value, tm)
      .receive([&](task_executor_actor& a) { executor = std::move(a); },
               [&](caf::error& e) { out = failure_of(system_, e); });
    if (out)
      return std::move(*out);
    self->request(executor, query_timeout, xs...)
      .receive([&](T& answer) { out = std::move(answer); },
               [&](caf::error& e) {
                 auto f = failure_of(system_, e);
                 out =
                   f.code() == errc::unavailable
                     ? failure{f.code(), "taskmanager " + tm + " did not answer: " + f.message()}
                     : f;
               });
    return std::move(*out);
  }

  /// Sends the request `ask` makes from an actor that waits for the answer
  /// (id, path), records it under a new trigger id, then ends; with
  /// `cancel`, cancels that job once the answer was a success.
  template <class Ask>
  std::string track(Ask ask, std::optional<job_id> cancel) {
    auto trigger = job_id::random().to_string();
    {
      std::lock_guard<std::mutex> guard{savepoints_->mutex};
      savepoints_->status[trigger] = {};
    }
    auto record = [savepoints = savepoints_, trigger](savepoint_status s) {
      std::lock_guard<std::mutex> guard{savepoints->mutex};
      s.done = true;
      savepoints->status[trigger] = std::move(s);
    };
    system_.spawn([=, dispatcher = dispatcher_, &system = system_](caf::event_based_actor* self) {
      ask(self, dispatcher)
        .then(
          [=](checkpoint_id checkpoint, std::string& path) {
            if (cancel)
              self->send(dispatcher, cancel_atom::value, *cancel);
            record({true, checkpoint, std::move(path), {}});
          },
          [=, &system](caf::error& e) {
            record({true, {}, {}, error_text(system, e)});
          });
    });
    return trigger;
  }

  struct savepoint_table {
    std::mutex mutex;
    std::map<std::string, savepoint_status> status;
  };

  caf::actor_system& system_;
  dispatcher_actor dispatcher_;
  resource_manager_actor resource_manager_;
  std::shared_ptr<savepoint_table> savepoints_ = std::make_shared<savepoint_table>();
};

} // namespace

std::unique_ptr<cluster_gateway> make_cluster_gateway(caf::actor_system& system,
                                                      dispatcher_actor dispatcher,
                                                      resource_manager_actor resource_manager) {
  return std::make_unique<actor_gateway>(system, std::move(dispatcher),
                                         std::move(resource_manager));
}

} // namespace flinkcpp
