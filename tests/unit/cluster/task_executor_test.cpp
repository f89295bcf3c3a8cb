// The task executor on CAF's deterministic test coordinator, its clock
// simulated, against a fake resource manager: registration (retried after
// its backoff, given up after taskmanager.registration.timeout, again when the
// resource manager forgot it), deployments of a job that cannot be built, and
// leaving the cluster. Heartbeats are recorded, not sent from a thread.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/heartbeat_sender.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "cluster/task_executor.hpp"
#include "support/deterministic_actor_system.hpp"
#include "support/fake_cluster.hpp"
#include "support/inline_io.hpp"

using namespace flinkcpp;
using namespace flinkcpp::testing;
using namespace std::chrono_literals;

namespace {

/// Records where heartbeats would go.
/// Each target(): a resource manager (true) or none.
using target_log = std::shared_ptr<std::vector<bool>>;

class recorded_heartbeats final : public heartbeats {
public:
  explicit recorded_heartbeats(target_log targets) : targets_(std::move(targets)) {}
  void target(resource_manager_actor resource_manager, caf::actor_addr) override {
    targets_->push_back(static_cast<bool>(resource_manager));
  }

private:
  target_log targets_;
};

struct task_executor_fixture {
  deterministic_actor_system actors;
  caf::actor_system& system = actors.system();
  inline_io io;
  script_ptr log = std::make_shared<cluster_script>(); // what the resource manager saw
  target_log heartbeat_targets = std::make_shared<std::vector<bool>>();
  resource_manager_actor registry =
    system.spawn(fake_resource_manager, log, task_executor_actor{}, 0);
  std::optional<std::string> fatal;
  task_executor_actor executor;

  void start(std::chrono::milliseconds registration_timeout = 1h) {
    task_executor_settings settings;
    settings.id = "tm-1";
    settings.host = "127.0.0.1";
    settings.data_port = 6121;
    settings.slots = 2;
    settings.registration_timeout = registration_timeout;
    settings.resource_manager = registry;
    settings.resource_manager_host = "jobmanager";
    settings.resource_manager_port = 6123;
    settings.on_fatal = [this](const std::string& why) { fatal = why; };
    settings.make_heartbeats = [h = heartbeat_targets] {
      return std::make_unique<recorded_heartbeats>(h);
    };
    executor = spawn_task_executor(system, std::move(settings), io);
    actors.run();
  }

  /// The executor goes first: with the resource manager gone before it, it
  /// would retry its registration on a timer for ever.
  ~task_executor_fixture() {
    if (executor)
      caf::anon_send_exit(executor, caf::exit_reason::kill);
    actors.run();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(task_executors, task_executor_fixture)

BOOST_AUTO_TEST_CASE(registers_its_slots_and_then_heartbeats_to_the_resource_manager) {
  start();
  BOOST_REQUIRE(log->registrations.size() == 1u);
  const auto& r = log->registrations.front();
  BOOST_TEST(r.id == "tm-1");
  BOOST_TEST(r.slots == 2);
  BOOST_TEST(r.data_port == 6121);
  BOOST_TEST((r.executor == executor));
  BOOST_TEST((*heartbeat_targets == std::vector<bool>{true}));
}

BOOST_AUTO_TEST_CASE(a_refused_registration_is_tried_again_after_the_backoff) {
  log->refusals_left = 1;
  start();
  BOOST_TEST(log->registrations.size() == 1u);
  BOOST_TEST(heartbeat_targets->empty());
  BOOST_REQUIRE(actors.scheduler().trigger_timeouts() > 0); // the backoff
  actors.run();
  BOOST_TEST(log->registrations.size() == 2u);
  BOOST_TEST((*heartbeat_targets == std::vector<bool>{true}));
  BOOST_TEST(!fatal);
}

BOOST_AUTO_TEST_CASE(it_gives_up_naming_the_jobmanager_and_the_timeout_option) {
  log->refusals_left = 1;
  start(0ms);
  BOOST_REQUIRE(fatal);
  BOOST_TEST(fatal->find("could not register with the jobmanager at jobmanager:6123") !=
             std::string::npos);
  BOOST_TEST(fatal->find("taskmanager.registration.timeout") != std::string::npos);
  BOOST_TEST(fatal->find("not now") != std::string::npos); // why the last attempt failed
  BOOST_TEST(!actors.scheduler().has_pending_timeout());   // no retry: it exited
}

BOOST_AUTO_TEST_CASE(it_registers_again_when_the_resource_manager_forgot_it) {
  start();
  caf::anon_send(executor, heartbeat_atom::value, false);
  actors.run();
  BOOST_TEST(log->registrations.size() == 2u);
  BOOST_TEST((*heartbeat_targets == std::vector<bool>{true, false, true}));
}

BOOST_AUTO_TEST_CASE(a_job_that_cannot_be_built_fails_its_deployment_with_why) {
  start();
  task_deployment d;
  d.job = job_id::derived_from("no-such-job");
  d.spec.job = "no-such-job";
  auto r = actors.ask<subtask_actor>(executor, deploy_atom::value, std::move(d));
  BOOST_REQUIRE(r.error);
  BOOST_TEST(r.error->message().find("no-such-job") != std::string::npos);
  BOOST_TEST(!r.value);
}

BOOST_AUTO_TEST_CASE(leaving_unregisters_and_answers_once_the_resource_manager_took_note) {
  start();
  auto r = actors.ask<bool>(executor, unregister_atom::value);
  BOOST_TEST((r.value && *r.value));
  BOOST_TEST((log->unregistered == std::vector<std::string>{"tm-1"}));
  BOOST_TEST(heartbeat_targets->back() == false); // heartbeats stopped
}

BOOST_AUTO_TEST_SUITE_END()
