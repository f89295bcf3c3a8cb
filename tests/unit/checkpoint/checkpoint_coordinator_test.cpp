// The checkpoint coordinator's bookkeeping: numbering, acknowledgements,
// retention, subsumption, failures against the tolerance, and what a job
// restores from.

#include <boost/test/unit_test.hpp>

#include <chrono>

#include "checkpoint/checkpoint_coordinator.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "support/local_job.hpp"

using namespace flinkcpp;
using namespace std::chrono_literals;

namespace {

/// A job of two vertices: a source (parallelism 2) and a sink (1): three subtasks.
std::shared_ptr<const job_graph> two_vertices() {
  return flinkcpp::testing::build_graph([](stream_environment& env) {
    env.from_sequence(1, 10).set_parallelism(2).rebalance().discard().set_parallelism(1);
  });
}

checkpoint_settings settings(int retained = 1, int tolerable = 0) {
  checkpoint_settings s;
  s.interval = 100ms;
  s.retained = retained;
  s.tolerable_failures = tolerable;
  s.storage = checkpoint_storage{"/checkpoints", ""};
  return s;
}

/// Acknowledges `id` from every subtask; returns whether that completed it.
bool acknowledge_all(checkpoint_coordinator& c, checkpoint_id id) {
  bool complete = false;
  complete |= c.acknowledge(id, 0, 0, {}, 1);
  complete |= c.acknowledge(id, 0, 1, {}, 2);
  complete |= c.acknowledge(id, 1, 0, {}, 3);
  return complete;
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_coordination)

BOOST_AUTO_TEST_CASE(a_checkpoint_completes_with_its_last_acknowledgement) {
  auto job = job_id::derived_from("job");
  checkpoint_coordinator c{settings(), job, two_vertices()};
  auto id = c.begin(snapshot_kind::checkpoint, 100, {});
  BOOST_TEST(id == checkpoint_id{1});
  BOOST_TEST(c.directory_of(id) == "/checkpoints/" + job.to_string() + "/chk-1");
  auto source = operator_id::derived_from("source");
  c.add_coordinator_state(id, {source, "ranges", "unassigned"});
  c.add_coordinator_state(checkpoint_id{9}, {source, "ranges", "not pending"});
  BOOST_TEST(!c.acknowledge(id, 0, 0, {}, 101));
  BOOST_TEST(!c.acknowledge(id, 0, 0, {}, 102)); // twice counts once
  BOOST_TEST(!c.acknowledge(id, 0, 1, {}, 103));
  BOOST_TEST(c.acknowledge(id, 1, 0, {}, 104));
  auto m = c.metadata_of(id);
  BOOST_TEST(m.id == id);
  BOOST_TEST(m.operators.size() == 2u); // every operator of the graph
  BOOST_REQUIRE(m.coordinator_of(source) != nullptr);
  BOOST_TEST(*m.coordinator_of(source) == "unassigned");
  BOOST_TEST(m.coordinators.size() == 1u);
  BOOST_TEST(c.latest() == nullptr);
  BOOST_TEST(c.complete(id, 110).empty());
  BOOST_REQUIRE(c.latest() != nullptr);
  BOOST_TEST(c.latest()->metadata.id == id);
  BOOST_TEST(c.completed_count() == 1);
  auto records = c.records();
  BOOST_REQUIRE(records.size() == 1u);
  BOOST_TEST(records[0].status == "COMPLETED");
  BOOST_TEST(records[0].acknowledged == 3);
  BOOST_TEST(records[0].latest_ack_timestamp == 104);
}

BOOST_AUTO_TEST_CASE(old_checkpoints_retire_and_older_pending_ones_are_subsumed) {
  checkpoint_coordinator c{settings(2), job_id::derived_from("job"), two_vertices()};
  auto one = c.begin(snapshot_kind::checkpoint, 1, {});
  auto two = c.begin(snapshot_kind::checkpoint, 2, {});
  BOOST_TEST(acknowledge_all(c, two));
  auto retired = c.complete(two, 3);
  BOOST_TEST((retired == std::vector<std::string>{c.directory_of(one)})); // subsumed
  BOOST_TEST(!c.is_pending(one));
  for (int i = 0; i < 2; ++i) {
    auto next = c.begin(snapshot_kind::checkpoint, 4, {});
    BOOST_TEST(acknowledge_all(c, next));
    retired = c.complete(next, 5);
  }
  BOOST_TEST((retired == std::vector<std::string>{c.directory_of(two)})); // two retained
  BOOST_TEST(c.latest()->metadata.id == checkpoint_id{4});
}

BOOST_AUTO_TEST_CASE(failures_beyond_the_tolerance_fail_the_job) {
  checkpoint_coordinator c{settings(1, 1), job_id::derived_from("job"), two_vertices()};
  BOOST_TEST(!c.fail(c.begin(snapshot_kind::checkpoint, 1, {}), "declined", 2));
  BOOST_TEST(!c.fail(c.begin(snapshot_kind::checkpoint, 3, {}), "overtaken", 4, false));
  BOOST_TEST(c.fail(c.begin(snapshot_kind::checkpoint, 5, {}), "expired", 6));
  auto ok = c.begin(snapshot_kind::checkpoint, 7, {});
  BOOST_TEST(acknowledge_all(c, ok));
  c.complete(ok, 8); // a success resets the count
  BOOST_TEST(!c.fail(c.begin(snapshot_kind::checkpoint, 9, {}), "declined", 10));
  BOOST_TEST(c.failed_count() == 4);
  BOOST_TEST(c.records().front().failure == "declined");
}

BOOST_AUTO_TEST_CASE(concurrency_and_pause_are_respected) {
  auto s = settings();
  s.min_pause = 50ms;
  checkpoint_coordinator c{s, job_id::derived_from("job"), two_vertices()};
  auto now = checkpoint_coordinator::clock::now();
  BOOST_TEST((c.delay_until_allowed(now) == std::optional<std::chrono::milliseconds>{0ms}));
  auto id = c.begin(snapshot_kind::checkpoint, 1, {});
  BOOST_TEST(!c.delay_until_allowed(now).has_value()); // one may be in flight
  acknowledge_all(c, id);
  c.complete(id, 2);
  auto wait = c.delay_until_allowed(checkpoint_coordinator::clock::now());
  BOOST_REQUIRE(wait.has_value());
  BOOST_TEST(wait->count() > 0);
  BOOST_TEST(wait->count() <= 50);
}

BOOST_AUTO_TEST_CASE(no_periodic_checkpoint_starts_while_a_stop_with_savepoint_is_pending) {
  auto s = settings();
  s.max_concurrent = 2;
  checkpoint_coordinator c{s, job_id::derived_from("job"), two_vertices()};
  auto now = checkpoint_coordinator::clock::now();
  auto savepoint = c.begin(snapshot_kind::savepoint, 1, "/savepoints/sp-1");
  BOOST_TEST((c.delay_until_allowed(now) == std::optional<std::chrono::milliseconds>{0ms}));
  auto stop = c.begin(snapshot_kind::stop_savepoint, 2, "/savepoints/sp-2");
  BOOST_TEST(!c.delay_until_allowed(now).has_value()); // the job ends with it
  c.fail(stop, "declined", 3);
  BOOST_TEST((c.delay_until_allowed(now) == std::optional<std::chrono::milliseconds>{0ms}));
  BOOST_TEST(c.is_pending(savepoint));
}

BOOST_AUTO_TEST_CASE(savepoints_are_kept_apart_from_checkpoints) {
  checkpoint_coordinator c{settings(), job_id::derived_from("job"), two_vertices()};
  auto sp = c.begin(snapshot_kind::savepoint, 1, "/savepoints/sp-1");
  BOOST_TEST(c.final_directory_of(sp) == "/savepoints/sp-1");
  BOOST_TEST(acknowledge_all(c, sp));
  BOOST_TEST(c.metadata_of(sp).savepoint);
  BOOST_TEST(c.complete(sp, 2).empty());
  BOOST_TEST(c.latest() == nullptr); // failover restores from checkpoints only
  BOOST_TEST(c.records().front().external_path == "/savepoints/sp-1");
}

BOOST_AUTO_TEST_CASE(a_restored_savepoint_is_used_until_a_checkpoint_completes) {
  checkpoint_coordinator c{settings(), job_id::derived_from("job"), two_vertices()};
  restore_point initial;
  initial.metadata.id = checkpoint_id{41};
  initial.directory = "/savepoints/old";
  c.set_initial_restore_point(initial);
  BOOST_TEST(c.latest()->directory == "/savepoints/old");
  auto id = c.begin(snapshot_kind::checkpoint, 1, {});
  BOOST_TEST(id == checkpoint_id{42}); // numbering goes on
  acknowledge_all(c, id);
  c.complete(id, 2);
  BOOST_TEST(c.latest()->metadata.id == id);
  BOOST_TEST(c.drop_latest() == c.directory_of(id)); // unreadable: fall back...
  BOOST_TEST(c.latest() == nullptr);                 // ...the savepoint was superseded
}

BOOST_AUTO_TEST_CASE(retention_decides_what_is_deleted_at_the_end) {
  for (auto [retention, kept_on_failure, kept_on_cancel] :
       {std::tuple{checkpoint_retention::no_externalized, false, false},
        std::tuple{checkpoint_retention::delete_on_cancellation, true, false},
        std::tuple{checkpoint_retention::retain_on_cancellation, true, true}}) {
    auto s = settings();
    s.retention = retention;
    checkpoint_coordinator c{s, job_id::derived_from("job"), two_vertices()};
    auto id = c.begin(snapshot_kind::checkpoint, 1, {});
    acknowledge_all(c, id);
    c.complete(id, 2);
    BOOST_TEST(c.directories_at_end("FAILED").empty() == kept_on_failure);
    BOOST_TEST(c.directories_at_end("CANCELED").empty() == kept_on_cancel);
    BOOST_TEST(!c.directories_at_end("FINISHED").empty());
  }
}

BOOST_AUTO_TEST_SUITE_END()
