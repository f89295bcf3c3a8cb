// The task executor on CAF's deterministic test coordinator, its clock
// simulated, against a fake resource manager: registration (retried after
// its backoff, given up after taskmanager.registration.timeout, again when the
// resource manager forgot it), deployments of a job that cannot be built,
// uploaded job libraries fetched from the job master (in parts, once, checked
// against their digest), and leaving the cluster. Heartbeats are recorded,
// not sent from a thread.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "api/job_library_store.hpp"
#include "cluster/errors.hpp"
#include "cluster/heartbeat_sender.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "cluster/task_executor.hpp"
#include "support/deterministic_actor_system.hpp"
#include "support/fake_cluster.hpp"
#include "support/inline_io.hpp"
#include "support/temp_dir.hpp"

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

/// What a fake job master answers for a job library: its size and the
/// bytes from an offset on, in parts of `part` bytes; an error for any other
/// digest. Counts the requests.
struct library_server {
  std::string digest;
  std::string bytes;
  std::size_t part = 0;
  int requests = 0;
};

task_listener_actor::behavior_type serve_library(task_listener_actor::pointer,
                                                 std::shared_ptr<library_server> server) {
  return {
    [](const task_state_message&) {},
    [](const task_committed_message&) {},
    [](const checkpoint_ack_message&) {},
    [](const checkpoint_decline_message&) {},
    [](const operator_event_message&) {},
    [=](library_atom, const std::string& digest,
        std::uint64_t offset) -> caf::result<std::uint64_t, std::string> {
      ++server->requests;
      if (digest != server->digest)
        return make_control_error(errc::not_found, "no library " + digest);
      return {static_cast<std::uint64_t>(server->bytes.size()),
              server->bytes.substr(offset, server->part)};
    },
  };
}

/// Bytes standing for a job library, unique to this run: a digest no
/// earlier run kept. (Not a shared object: loading them fails, which these
/// tests of fetching do not mind; cluster tests load fetched libraries.)
std::string unique_library_bytes(std::size_t size) {
  auto bytes = job_id::random().to_string();
  bytes.resize(size, 'x');
  return bytes;
}

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

BOOST_AUTO_TEST_CASE(an_uploaded_library_is_fetched_in_parts_from_the_job_master_once) {
  start();
  auto server = std::make_shared<library_server>();
  server->bytes = unique_library_bytes(1000);
  server->digest = job_library_store::digest_of(server->bytes);
  server->part = 300;
  auto master = system.spawn(serve_library, server);
  auto deployment = [&](const char* job) {
    task_deployment d;
    d.job = job_id::derived_from(job);
    d.spec.job = "uploaded.so";
    d.spec.library.digest = server->digest;
    d.job_master = master;
    return d;
  };
  auto r = actors.ask<subtask_actor>(executor, deploy_atom::value, deployment("job-1"));
  BOOST_TEST(server->requests == 4); // 300 + 300 + 300 + 100 bytes
  auto kept = job_library_store{}.kept(server->digest);
  BOOST_REQUIRE(kept.has_value());
  BOOST_TEST(read_file(*kept) == server->bytes);
  BOOST_REQUIRE(r.error); // these bytes are no shared object
  BOOST_TEST(r.error->message().find("cannot load job library '" + *kept + "'") == 0u);
  // Another job of the same library: loaded from where it was kept.
  auto again = actors.ask<subtask_actor>(executor, deploy_atom::value, deployment("job-2"));
  BOOST_REQUIRE(again.error);
  BOOST_TEST(again.error->message().find("cannot load job library '" + *kept + "'") == 0u);
  BOOST_TEST(server->requests == 4);
  std::filesystem::remove(*kept);
}

BOOST_AUTO_TEST_CASE(a_library_that_cannot_be_fetched_fails_the_deployment_and_is_tried_again) {
  start();
  auto server = std::make_shared<library_server>();
  server->bytes = unique_library_bytes(1000);
  server->part = 1 << 20;
  auto master = system.spawn(serve_library, server);
  task_deployment d;
  d.job = job_id::derived_from("job");
  d.spec.job = "uploaded.so";
  d.spec.library.digest = job_library_store::digest_of(server->bytes);
  d.job_master = master;
  auto r = actors.ask<subtask_actor>(executor, deploy_atom::value, d);
  BOOST_REQUIRE(r.error);
  BOOST_TEST(r.error->message() == "cannot fetch the library " + d.spec.library.digest +
                                     " of job 'uploaded.so' from its jobmanager: no library " +
                                     d.spec.library.digest);
  // Bytes that are not the digest's (changed on the way): not kept.
  server->digest = d.spec.library.digest;
  server->bytes.back() ^= 1;
  auto changed = actors.ask<subtask_actor>(executor, deploy_atom::value, d);
  BOOST_REQUIRE(changed.error);
  BOOST_TEST(changed.error->message() ==
             "the job library's bytes are not those of digest '" + d.spec.library.digest + "'");
  BOOST_TEST(server->requests == 2); // the failure was not remembered: fetched again
  BOOST_TEST(!job_library_store{}.kept(d.spec.library.digest));
}

BOOST_AUTO_TEST_CASE(leaving_unregisters_and_answers_once_the_resource_manager_took_note) {
  start();
  auto r = actors.ask<bool>(executor, unregister_atom::value);
  BOOST_TEST((r.value && *r.value));
  BOOST_TEST((log->unregistered == std::vector<std::string>{"tm-1"}));
  BOOST_TEST(heartbeat_targets->back() == false); // heartbeats stopped
}

BOOST_AUTO_TEST_SUITE_END()
