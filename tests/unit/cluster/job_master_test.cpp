// The job master on CAF's deterministic test coordinator, message by message,
// against a fake resource manager, task executor and dispatcher: deployment,
// failures, restarts after their delay, cancellation, and failures that
// arrive late.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/job_info.hpp"
#include "cluster/job_master.hpp"
#include "cluster/protocol.hpp"
#include "flinkcpp/detail/source_reader_operator.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/deterministic_actor_system.hpp"
#include "support/fake_cluster.hpp"
#include "support/inline_io.hpp"
#include "support/local_job.hpp"
#include "support/range_source.hpp"

using namespace flinkcpp;
using namespace flinkcpp::testing;

namespace {

job_listener_actor::behavior_type fake_dispatcher(job_listener_actor::pointer, script_ptr script) {
  return {
    [=](update_atom, const job_info& info) { script->latest = info; },
  };
}

/// Subtask `subtask` of vertex `vertex` in attempt `attempt`.
execution_attempt run_of(int vertex, int subtask, int attempt) {
  return {vertex_index{vertex}, subtask_index{subtask}, attempt};
}

caf::behavior client(caf::event_based_actor* self, script_ptr script, job_master_actor master) {
  self->request(master, caf::infinite, run_atom::value).then([=](const job_result& r) {
    script->result = r;
  });
  return {};
}

/// A job of two vertices of parallelism 2 (four subtasks in two slots)
/// whose restart strategy allows `attempts` restarts, and its master;
/// `reactive`: in reactive mode (the two slots are all the fake resource
/// manager has; the job could use more).
struct job_master_fixture {
  flinkcpp::testing::deterministic_actor_system actors;
  caf::actor_system& system = actors.system();
  caf::scheduler::test_coordinator& scheduler = actors.scheduler();
  inline_io io;
  script_ptr script = std::make_shared<cluster_script>();
  job_master_actor master;
  std::vector<caf::actor> fakes; ///< stopped with the master at the end
  /// The job start() runs: two vertices of parallelism 2 unless a test says.
  job_builder build = [](stream_environment& env) {
    env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(2);
  };

  /// Stops every actor of the test: the fakes and the master hold one
  /// another, so none would go away by itself (LeakSanitizer reports the
  /// cycles).
  ~job_master_fixture() {
    for (const auto& fake : fakes)
      caf::anon_send_exit(fake, caf::exit_reason::user_shutdown);
    if (master)
      caf::anon_send_exit(master, caf::exit_reason::user_shutdown);
    run();
  }

  void start(int attempts = 3, bool reactive = false) {
    job_submission job;
    job.id = job_id::derived_from("job_master_test");
    job.spec.job = "two_vertices";
    job.spec.config = {{"restart-strategy.type", "fixed-delay"},
                       {"restart-strategy.fixed-delay.attempts", std::to_string(attempts)},
                       {"restart-strategy.fixed-delay.delay", "1s"}};
    job_settings settings;
    if (reactive) {
      job.spec.config["scheduler-mode"] = "reactive";
      settings.parallelism = 2;
      settings.reactive = true;
    }
    job.graph = flinkcpp::testing::build_graph(build, settings);
    auto executor = system.spawn(fake_task_executor, script);
    auto resources = system.spawn(fake_resource_manager, script, executor, 2);
    auto dispatcher = system.spawn(fake_dispatcher, script);
    master = spawn_job_master(system, std::move(job), resources, dispatcher, io);
    fakes = {caf::actor_cast<caf::actor>(executor), caf::actor_cast<caf::actor>(resources),
             caf::actor_cast<caf::actor>(dispatcher), system.spawn(client, script, master)};
    run();
  }

  void run() { actors.run(); }

  /// Fires the restart timer (and any other) and runs what follows.
  void fire_timers() {
    BOOST_REQUIRE(scheduler.trigger_timeouts() > 0);
    run();
  }

  /// The job's status as the dispatcher last heard it ("CREATED" before).
  std::string status() const {
    return std::string{to_string(script->latest ? script->latest->status : job_status::created)};
  }

  std::size_t deployments_of(int attempt) const {
    std::size_t n = 0;
    for (const auto& d : script->deployed)
      n += d.attempt == attempt ? 1 : 0;
    return n;
  }

  /// Answers the held deployment `key` (as the script says) and runs what follows.
  void release(const execution_attempt& key) {
    caf::anon_send(caf::actor_cast<caf::actor>(script->holder), release_atom::value, key);
    run();
  }

  /// Subtask `from`'s source reader sends `what` to its coordinator.
  void reader_says(const execution_attempt& from, std::uint8_t what) {
    detail::source_event event;
    event.what = what;
    event.host = "host-1";
    caf::anon_send(master,
                   operator_event_message{from, source_operator(), detail::to_bytes(event)});
    run();
  }

  /// The operator id of the job's source (the first node).
  operator_id source_operator() const {
    return flinkcpp::testing::build_graph(build)->node_operator_id(0);
  }

  /// The splits of the add_splits events subtask `to` got, in order.
  std::vector<std::string> splits_sent_to(const execution_attempt& to) const {
    std::vector<std::string> out;
    for (const auto& [key, bytes] : script->coordinator_events) {
      auto event = detail::from_bytes<detail::source_event>(bytes);
      if (key == to && event.what == detail::source_event::add_splits)
        for (const auto& split : event.splits)
          out.push_back(split.id);
    }
    return out;
  }

  void fail_subtask(int attempt, int vertex, int subtask, std::string why) {
    caf::anon_send(
      master, task_state_message{
                run_of(vertex, subtask, attempt), execution_state::failed, std::move(why), {}});
    run();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(job_master, job_master_fixture)

BOOST_AUTO_TEST_CASE(a_job_runs_once_every_subtask_is_deployed_connected_and_started) {
  start();
  BOOST_TEST(script->slot_requests == 1);
  BOOST_TEST(deployments_of(1) == 4u);
  BOOST_TEST(status() == "RUNNING");
  BOOST_TEST(script->latest->restarts == 0);
  BOOST_TEST(!scheduler.has_pending_timeout()); // no checkpoints, nothing due
}

BOOST_AUTO_TEST_CASE(a_failed_subtask_cancels_the_others_and_restarts_after_the_delay) {
  start();
  fail_subtask(1, 1, 0, "boom");
  BOOST_TEST(script->cancelled.size() == 3u); // every other subtask of attempt 1
  BOOST_TEST(status() == "RESTARTING");
  BOOST_TEST(deployments_of(2) == 0u); // not before the delay
  fire_timers();
  BOOST_TEST(deployments_of(2) == 4u);
  BOOST_TEST(status() == "RUNNING");
  BOOST_TEST(script->latest->restarts == 1);
  BOOST_TEST(script->latest->attempt == 1);
  BOOST_REQUIRE(script->latest->exceptions.size() == 1u);
  BOOST_TEST(script->latest->exceptions[0].exception == "boom");
  BOOST_TEST(script->latest->exceptions[0].task_name == "Sink: Discarding Sink (1/2)");
}

BOOST_AUTO_TEST_CASE(a_job_fails_when_its_restarts_are_used_up) {
  start(1);
  fail_subtask(1, 0, 1, "first");
  fire_timers();
  fail_subtask(2, 0, 1, "second");
  BOOST_TEST(status() == "FAILED");
  BOOST_TEST(!scheduler.has_pending_timeout());
  BOOST_REQUIRE(script->result.has_value());
  BOOST_TEST((script->result->status == job_status::failed));
  BOOST_TEST(script->result->failure.find("second") != std::string::npos, script->result->failure);
}

BOOST_AUTO_TEST_CASE(a_late_deployment_failure_of_a_stopped_attempt_restarts_it_once) {
  // Both sink subtasks fail to deploy; the second says so only after the
  // attempt stopped for the first and its restart is due.
  script->failing[run_of(1, 0, 1)] = "disk full";
  script->failing[run_of(1, 1, 1)] = "disk full too";
  script->held.insert(run_of(1, 1, 1));
  start();
  BOOST_TEST(status() == "RESTARTING");
  BOOST_REQUIRE(script->waiting.size() == 1u);
  release(run_of(1, 1, 1)); // fails as the script says

  fire_timers();
  BOOST_TEST(!scheduler.has_pending_timeout()); // one restart, not two
  BOOST_TEST(script->slot_requests == 2);
  BOOST_TEST(deployments_of(2) == 4u);
  BOOST_TEST(deployments_of(3) == 0u);
  BOOST_TEST(status() == "RUNNING");
  BOOST_TEST(script->latest->restarts == 1);
  BOOST_REQUIRE(script->latest->exceptions.size() == 1u);
  const auto& root = script->latest->exceptions[0];
  BOOST_TEST(root.exception.find("disk full") != std::string::npos, root.exception);
  BOOST_REQUIRE(root.concurrent.size() == 1u);
  BOOST_TEST(root.concurrent[0].exception.find("disk full too") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_subtask_deployed_after_its_attempt_stopped_is_cancelled) {
  script->held.insert(run_of(0, 0, 1));
  script->failing[run_of(1, 0, 1)] = "disk full";
  start();
  BOOST_TEST(status() == "RESTARTING");
  BOOST_REQUIRE(script->waiting.size() == 1u);
  release(run_of(0, 0, 1));
  BOOST_TEST(script->cancelled.size() == 3u);
  BOOST_TEST((script->cancelled.back() == run_of(0, 0, 1)));
  fire_timers();
  BOOST_TEST(deployments_of(2) == 4u);
  BOOST_TEST(status() == "RUNNING");
}

BOOST_AUTO_TEST_CASE(a_reactive_job_rescales_into_a_taskmanager_that_joined_while_it_started) {
  script->held.insert(run_of(0, 0, 1));
  start(3, true);
  BOOST_REQUIRE(script->waiting.size() == 1u);
  caf::anon_send(master, joined_atom::value, std::int32_t{1}); // before RUNNING
  run();
  release(run_of(0, 0, 1));
  BOOST_TEST(status() == "RUNNING");
  BOOST_TEST(deployments_of(2) == 0u);
  fire_timers(); // jobmanager.adaptive-scheduler.resource-stabilization-timeout
  BOOST_TEST(deployments_of(2) == 4u);
  BOOST_TEST(status() == "RUNNING");
}

BOOST_AUTO_TEST_CASE(a_reactive_job_that_no_taskmanager_joined_stays_as_it_runs) {
  start(3, true);
  BOOST_TEST(status() == "RUNNING");
  BOOST_TEST(!scheduler.has_pending_timeout());
  BOOST_TEST(deployments_of(1) == 4u);
}

BOOST_AUTO_TEST_CASE(a_source_enumerator_answers_the_readers_of_the_current_attempt_only) {
  // The enumerator finds its splits on the I/O executor and answers the
  // readers' requests through their subtasks; a restarted attempt starts it
  // anew (no checkpoint), and events of the attempt before go unheard.
  build = [](stream_environment& env) {
    env
      .from_source(range_source{1, range_splits(3, 10)},
                   watermark_strategy<std::int64_t>::no_watermarks(), "ranges")
      .set_parallelism(2)
      .rebalance()
      .discard()
      .set_parallelism(2);
  };
  start();
  BOOST_TEST(status() == "RUNNING");
  auto first = run_of(0, 0, 1);
  reader_says(first, detail::source_event::reader_registration);
  reader_says(first, detail::source_event::split_request);
  reader_says(run_of(0, 1, 1), detail::source_event::split_request); // not registered: unheard
  BOOST_TEST((splits_sent_to(first) == std::vector<std::string>{"split-0"}));
  BOOST_TEST(splits_sent_to(run_of(0, 1, 1)).empty());

  fail_subtask(1, 1, 0, "boom");
  fire_timers();
  BOOST_TEST(status() == "RUNNING");
  reader_says(first, detail::source_event::reader_registration); // of attempt 1: unheard
  reader_says(first, detail::source_event::split_request);
  BOOST_TEST(splits_sent_to(run_of(0, 0, 2)).empty());
  auto again = run_of(0, 1, 2);
  reader_says(again, detail::source_event::reader_registration);
  reader_says(again, detail::source_event::split_request);
  BOOST_TEST((splits_sent_to(first) == std::vector<std::string>{"split-0"}));
  BOOST_TEST((splits_sent_to(again) == std::vector<std::string>{"split-0"}));
  BOOST_TEST(status() == "RUNNING");
}

BOOST_AUTO_TEST_CASE(cancelling_a_running_job_cancels_every_subtask) {
  start();
  caf::anon_send(master, cancel_atom::value);
  run();
  BOOST_TEST(script->cancelled.size() == 4u);
  BOOST_TEST(status() == "CANCELED");
  BOOST_REQUIRE(script->result.has_value());
  BOOST_TEST((script->result->status == job_status::canceled));
}

BOOST_AUTO_TEST_SUITE_END()
