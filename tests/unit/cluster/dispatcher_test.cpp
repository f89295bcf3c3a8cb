// The dispatcher on CAF's deterministic test coordinator, with a real job
// master per job and fakes around it: jobs listed as their masters report,
// results kept for whoever awaits them, and requests for jobs that do not
// exist or no longer run refused with the error's kind.

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "cluster/dispatcher.hpp"
#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/deterministic_actor_system.hpp"
#include "support/fake_cluster.hpp"
#include "support/inline_io.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;
using namespace flinkcpp::testing;

namespace {

/// A dispatcher with two slots of a fake taskmanager behind it.
struct dispatcher_fixture {
  deterministic_actor_system actors;
  caf::actor_system& system = actors.system();
  inline_io io;
  script_ptr script = std::make_shared<cluster_script>();
  dispatcher_actor dispatcher;
  std::vector<caf::actor> fakes; ///< stopped with the dispatcher at the end

  dispatcher_fixture() {
    auto executor = system.spawn(fake_task_executor, script);
    auto resources = system.spawn(fake_resource_manager, script, executor, 2);
    dispatcher = spawn_dispatcher(system, resources, io);
    fakes = {caf::actor_cast<caf::actor>(executor), caf::actor_cast<caf::actor>(resources)};
  }

  /// Stops the dispatcher (and with it its job masters) and the fakes: a
  /// running job's master and its fake subtasks hold one another, so they
  /// would not go away by themselves (LeakSanitizer reports the cycle).
  ~dispatcher_fixture() {
    for (const auto& fake : fakes)
      caf::anon_send_exit(fake, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(dispatcher, caf::exit_reason::user_shutdown);
    actors.run();
  }

  job_id submit(const std::string& name) {
    job_submission job;
    job.id = job_id::derived_from(name);
    job.spec.job = name;
    job.spec.config = {{"restart-strategy.type", "none"}};
    job.graph = build_graph([](stream_environment& env) {
      env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(2);
    });
    auto a = ask<job_id>(submit_atom::value, std::move(job));
    BOOST_REQUIRE(a.value);
    return *a.value;
  }

  /// Sends `args` to the dispatcher as a client that does not know its type.
  template <class T, class... Ts>
  answer<T> ask(Ts&&... args) {
    return actors.ask<T>(dispatcher, std::forward<Ts>(args)...);
  }

  std::vector<job_info> jobs() { return *ask<std::vector<job_info>>(jobs_atom::value).value; }
};

std::string status_of(const job_info& info) {
  return std::string{to_string(info.status)};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(dispatchers, dispatcher_fixture)

BOOST_AUTO_TEST_CASE(jobs_are_listed_in_submission_order_as_their_masters_report) {
  auto first = submit("first");
  auto second = submit("second");
  auto all = jobs();
  BOOST_REQUIRE(all.size() == 2u);
  BOOST_TEST((all[0].id == first));
  BOOST_TEST((all[1].id == second));
  BOOST_TEST(status_of(all[0]) == "RUNNING");
  auto one = ask<std::vector<job_info>>(job_atom::value, second);
  BOOST_REQUIRE(one.value);
  BOOST_REQUIRE(one.value->size() == 1u);
  BOOST_TEST(one.value->front().name == all[1].name);
  auto none = ask<std::vector<job_info>>(job_atom::value, job_id::derived_from("unknown"));
  BOOST_TEST(none.value->empty());
}

BOOST_AUTO_TEST_CASE(a_cancelled_job_keeps_its_result_for_whoever_awaits_it) {
  auto id = submit("cancelled");
  BOOST_TEST(*ask<bool>(cancel_atom::value, id).value);
  BOOST_TEST(script->cancelled.size() == 4u);
  auto result = ask<job_result>(await_atom::value, id);
  BOOST_REQUIRE(result.value);
  BOOST_TEST(std::string{to_string(result.value->status)} == "CANCELED");
  BOOST_TEST(status_of(jobs().front()) == "CANCELED");
  auto again = ask<job_result>(await_atom::value, id); // answered from what it kept
  BOOST_TEST((again.value && again.value->status == job_status::canceled));
}

BOOST_AUTO_TEST_CASE(requests_for_unknown_or_ended_jobs_say_which) {
  auto unknown = job_id::derived_from("unknown");
  auto cancel = ask<bool>(cancel_atom::value, unknown);
  BOOST_REQUIRE(cancel.error);
  BOOST_TEST((cancel.error->code() == errc::not_found));
  BOOST_TEST(cancel.error->message() == "job " + unknown.to_string() + " not found");
  BOOST_TEST((ask<job_result>(await_atom::value, unknown).error->code() == errc::not_found));
  auto id = submit("ended");
  ask<bool>(cancel_atom::value, id);
  auto late = ask<bool>(cancel_atom::value, id);
  BOOST_REQUIRE(late.error);
  BOOST_TEST((late.error->code() == errc::conflict));
  BOOST_TEST(late.error->message() == "job " + id.to_string() + " is not running");
  auto savepoint = ask<checkpoint_id>(savepoint_atom::value, id, std::string{"/tmp/sp"},
                                      barrier_options::savepoint());
  BOOST_TEST((savepoint.error && savepoint.error->code() == errc::conflict));
  auto resources = ask<bool>(resources_atom::value, unknown, std::int32_t{2});
  BOOST_TEST((resources.error && resources.error->code() == errc::not_found));
}

BOOST_AUTO_TEST_CASE(the_job_master_refuses_what_its_job_cannot_do) {
  auto id = submit("not-adaptive");
  auto resources = ask<bool>(resources_atom::value, id, std::int32_t{4});
  BOOST_REQUIRE(resources.error);
  BOOST_TEST((resources.error->code() == errc::conflict)); // the default scheduler
  BOOST_TEST(resources.error->message().find("runs with the default scheduler") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
