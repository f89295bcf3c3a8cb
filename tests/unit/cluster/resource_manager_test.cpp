// The resource manager on CAF's deterministic test coordinator, its clock
// simulated: slot requests served when enough slots are free (or failed
// after slot.request.timeout), slots filled or spread, freed with their job,
// and taskmanagers lost by silence or by leaving.

#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"
#include "cluster/resource_manager.hpp"
#include "support/deterministic_actor_system.hpp"
#include "support/fake_cluster.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;
using flinkcpp::testing::cluster_script;
using flinkcpp::testing::fake_task_executor;

namespace {

/// What a fake job master got: its slots (or why not) and lost taskmanagers.
struct job_master_log {
  std::optional<std::vector<slot_offer>> slots;
  std::optional<std::string> refused;
  errc refusal_code = errc::unspecified;
  std::vector<std::string> lost;
};

using log_ptr = std::shared_ptr<job_master_log>;

/// Asks for `count` (up to `maximum`) slots for `job` and records what follows.
slot_holder_actor::behavior_type fake_job_master(slot_holder_actor::pointer self, log_ptr log,
                                                 resource_manager_actor resources, job_id job,
                                                 std::int32_t count, std::int32_t maximum) {
  self
    ->request(resources, caf::infinite, slots_atom::value, job, count, maximum,
              slot_holder_actor{self})
    .then([=](std::vector<slot_offer>& offers) { log->slots = std::move(offers); },
          [=](caf::error& e) {
            auto f = failure_of(self->system(), e);
            log->refused = f.message();
            log->refusal_code = f.code();
          });
  return {
    [=](lost_atom, const std::string& tm, const std::string&) { log->lost.push_back(tm); },
    [=](joined_atom, std::int32_t) {},
  };
}

struct resource_manager_fixture {
  flinkcpp::testing::deterministic_actor_system actors;
  caf::actor_system& system = actors.system();
  caf::scheduler::test_coordinator& scheduler = actors.scheduler();
  resource_manager_settings settings;
  resource_manager_actor resources;
  std::map<std::string, task_executor_actor> executors;

  resource_manager_fixture() {
    settings.heartbeat_interval = 1s;
    settings.heartbeat_timeout = 5s;
    settings.slot_request_timeout = 30s;
  }

  ~resource_manager_fixture() {
    // Its heartbeat timer re-arms itself: the system's shutdown would run it
    // forever on this scheduler.
    if (resources)
      caf::anon_send_exit(resources, caf::exit_reason::kill);
    run();
  }

  void run() { actors.run(); }

  void start() {
    resources = spawn_resource_manager(system, settings);
    run();
  }

  /// Registers taskmanager `id` with `slots` slots.
  void add_task_manager(const std::string& id, int slots) {
    auto executor = system.spawn(fake_task_executor, std::make_shared<cluster_script>());
    executors[id] = executor;
    task_manager_registration r;
    r.id = id;
    r.host = "127.0.0.1";
    r.data_port = 1;
    r.slots = slots;
    r.executor = executor;
    caf::anon_send(resources, register_atom::value, std::move(r));
    run();
  }

  void heartbeat(const std::string& id) {
    caf::anon_send(resources, heartbeat_atom::value, id, caf::actor_addr{},
                   std::vector<metric_sample>{});
    run();
  }

  log_ptr request(const std::string& job, std::int32_t count, std::int32_t maximum) {
    auto log = std::make_shared<job_master_log>();
    system.spawn(fake_job_master, log, resources, job_id::derived_from(job), count, maximum);
    run();
    return log;
  }

  /// Lets `d` pass on the actor system's clock, its timers firing.
  void advance(std::chrono::milliseconds d) {
    for (auto step = 0ms; step < d; step += 500ms) {
      scheduler.advance_time(500ms);
      run();
    }
  }

  static std::map<std::string, int> per_task_manager(const std::vector<slot_offer>& offers) {
    std::map<std::string, int> out;
    for (const auto& o : offers)
      ++out[o.task_manager];
    return out;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(resource_manager, resource_manager_fixture)

BOOST_AUTO_TEST_CASE(a_request_waits_until_enough_slots_are_free) {
  start();
  add_task_manager("tm-1", 2);
  auto job = request("job", 3, 3);
  BOOST_TEST(!job->slots.has_value());
  add_task_manager("tm-2", 2);
  BOOST_REQUIRE(job->slots.has_value());
  BOOST_TEST(job->slots->size() == 3u);
  auto other = request("other", 1, 4);
  BOOST_REQUIRE(other->slots.has_value());
  BOOST_TEST(other->slots->size() == 1u); // what was left
}

BOOST_AUTO_TEST_CASE(slots_fill_the_oldest_taskmanager_first_unless_spread_out) {
  start();
  add_task_manager("tm-1", 2);
  add_task_manager("tm-2", 2);
  auto filled = request("job", 2, 2);
  BOOST_REQUIRE(filled->slots.has_value());
  BOOST_TEST(per_task_manager(*filled->slots)["tm-1"] == 2);
}

BOOST_AUTO_TEST_CASE(spread_out_slots_take_one_of_each_taskmanager_in_turn) {
  settings.spread_out = true;
  start();
  add_task_manager("tm-1", 2);
  add_task_manager("tm-2", 2);
  auto spread = request("job", 2, 2);
  BOOST_REQUIRE(spread->slots.has_value());
  BOOST_TEST(per_task_manager(*spread->slots)["tm-1"] == 1);
  BOOST_TEST(per_task_manager(*spread->slots)["tm-2"] == 1);
}

BOOST_AUTO_TEST_CASE(a_request_fails_after_the_slot_request_timeout_saying_what_was_free) {
  settings.heartbeat_timeout = 1h; // no heartbeats in this test
  start();
  add_task_manager("tm-1", 1);
  auto job = request("job", 2, 2);
  advance(29s);
  BOOST_TEST(!job->refused.has_value());
  advance(2s);
  BOOST_REQUIRE(job->refused.has_value());
  BOOST_TEST((job->refusal_code == errc::unavailable));
  BOOST_TEST(*job->refused ==
             "could not get 2 slots within 30000 ms (slot.request.timeout): the cluster has 1 "
             "free slots on 1 taskmanagers");
}

BOOST_AUTO_TEST_CASE(freed_slots_serve_the_next_request) {
  start();
  add_task_manager("tm-1", 2);
  auto first = request("first", 2, 2);
  auto second = request("second", 2, 2);
  BOOST_TEST(first->slots.has_value());
  BOOST_TEST(!second->slots.has_value());
  caf::anon_send(resources, free_atom::value, job_id::derived_from("first"));
  run();
  BOOST_TEST(second->slots.has_value());
}

BOOST_AUTO_TEST_CASE(a_silent_taskmanager_is_lost_and_its_jobs_are_told) {
  start();
  add_task_manager("tm-1", 1);
  add_task_manager("tm-2", 1);
  auto job = request("job", 2, 2);
  BOOST_REQUIRE(job->slots.has_value());
  for (int i = 0; i < 8; ++i) { // tm-2 keeps heartbeating, tm-1 fell silent
    advance(1s);
    heartbeat("tm-2");
  }
  BOOST_TEST(job->lost == std::vector<std::string>{"tm-1"});
  auto next = request("next", 2, 2);
  BOOST_TEST(!next->slots.has_value()); // tm-1's slot went with it
}

BOOST_AUTO_TEST_CASE(a_taskmanager_that_goes_away_is_lost_at_once) {
  start();
  add_task_manager("tm-1", 1);
  auto job = request("job", 1, 1);
  BOOST_REQUIRE(job->slots.has_value());
  caf::anon_send_exit(executors["tm-1"], caf::exit_reason::kill);
  run();
  BOOST_TEST(job->lost == std::vector<std::string>{"tm-1"});
}

BOOST_AUTO_TEST_SUITE_END()
