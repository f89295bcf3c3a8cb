// The built-in `sessions` example through the flink-cpp binary: event-time
// session windows with out-of-order and late records, at several
// parallelisms and through taskmanager SIGKILLs, against a reference
// computed here.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "support/local_cluster.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;
namespace fs = std::filesystem;

namespace {

struct event {
  std::string user;
  std::int64_t time = 0;
  std::int64_t value = 0;
  std::string line() const {
    return user + "," + std::to_string(time) + "," + std::to_string(value);
  }
};

struct expected_output {
  std::vector<std::string> sessions;
  std::vector<std::string> late;
};

/// What the example must write for `events`, in this order, with the watermark
/// following each event (largest timestamp - out-of-orderness - 1), as Flink's
/// session windows, event-time trigger and allowed lateness define it: a session
/// fires when the watermark passes its end - 1, and again at once for each record
/// added to it after that; it is gone once the watermark reaches end - 1 +
/// lateness; a record that would open a session already gone by then is late.
expected_output reference(const std::vector<event>& events, std::int64_t gap,
                          std::int64_t out_of_orderness, std::int64_t lateness) {
  struct session {
    std::int64_t start, end, count, sum;
  };
  std::map<std::string, std::vector<session>> open;
  expected_output out;
  auto emit = [&](const std::string& user, const session& s) {
    out.sessions.push_back(user + "," + std::to_string(s.start) + "," + std::to_string(s.end) +
                           "," + std::to_string(s.count) + "," + std::to_string(s.sum));
  };
  std::int64_t watermark = std::numeric_limits<std::int64_t>::min();
  std::int64_t largest = watermark;
  auto advance = [&](std::int64_t to) {
    for (auto& [user, sessions] : open) {
      for (const auto& s : sessions)
        if (s.end - 1 > watermark && s.end - 1 <= to)
          emit(user, s);
      std::erase_if(sessions, [&](const session& s) { return s.end - 1 + lateness <= to; });
    }
    watermark = to;
  };
  for (const auto& e : events) {
    auto& sessions = open[e.user];
    session merged{e.time, e.time + gap, 1, e.value};
    bool joined = false;
    for (const auto& s : sessions)
      if (s.start <= merged.end && s.end >= merged.start) {
        joined = true;
        merged = {std::min(s.start, merged.start), std::max(s.end, merged.end),
                  s.count + merged.count, s.sum + merged.sum};
      }
    if (!joined && merged.end - 1 + lateness <= watermark) {
      out.late.push_back(e.line());
    } else {
      std::erase_if(sessions,
                    [&](const session& s) { return s.start <= e.time + gap && s.end >= e.time; });
      sessions.push_back(merged);
      if (merged.end - 1 <= watermark)
        emit(e.user, merged);
    }
    if (e.time > largest) {
      largest = e.time;
      if (largest - out_of_orderness - 1 > watermark)
        advance(largest - out_of_orderness - 1);
    }
  }
  advance(std::numeric_limits<std::int64_t>::max());
  std::sort(out.sessions.begin(), out.sessions.end());
  std::sort(out.late.begin(), out.late.end());
  return out;
}

/// `n` clicks of 12 users over time, some out of order by up to 3 s, some
/// (1 in 40) late by 5 to 40 s; gaps between a user's clicks of up to 6 s.
std::vector<event> clicks(int n, unsigned seed) {
  std::mt19937 rng{seed};
  std::vector<event> out;
  std::int64_t now = 1'700'000'000'000;
  for (int i = 0; i < n; ++i) {
    now += static_cast<std::int64_t>(rng() % 500);
    std::int64_t time = now - static_cast<std::int64_t>(rng() % 3000);
    if (rng() % 40 == 0)
      time -= 5000 + static_cast<std::int64_t>(rng() % 35000);
    out.push_back(
      {"user" + std::to_string(rng() % 12), time, static_cast<std::int64_t>(rng() % 100) - 20});
  }
  return out;
}

std::string text_of(const std::vector<event>& events) {
  std::string text;
  for (const auto& e : events)
    text += e.line() + "\n";
  return text;
}

std::vector<std::string> sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

/// The example's arguments: gap 4 s, out-of-orderness 2 s, lateness 10 s.
std::vector<std::string> sessions_args(const std::string& input, const temp_dir& dir) {
  return {"sessions",
          "--input",
          input,
          "--gap",
          "4",
          "--out-of-orderness",
          "2",
          "--lateness",
          "10",
          "--output",
          dir.file("sessions"),
          "--late-output",
          dir.file("late")};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// 300000 clicks of `seed` in dir/clicks.csv with the output they must
/// give, and a cluster for them: a jobmanager and two taskmanagers of two
/// slots, checkpointing every 100 ms, with `settings` besides.
struct clicks_on_a_cluster {
  std::vector<event> events;
  expected_output expected;
  temp_dir dir;
  local_cluster cluster;
  std::vector<std::size_t> taskmanagers;

  clicks_on_a_cluster(unsigned seed, std::vector<std::string> settings)
    : events(clicks(300000, seed)),
      expected(reference(events, 4000, 2000, 10000)),
      cluster{concat({"execution.checkpointing.interval=100ms",
                      "state.checkpoints.dir=" + dir.file("checkpoints")},
                     settings)} {
    write_file(dir.file("clicks.csv"), text_of(events));
    cluster.start_jobmanager();
    taskmanagers = {cluster.start_taskmanager(2), cluster.start_taskmanager(2)};
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
  }

  /// Runs the example with `options` for flink-cpp run.
  process_result run(const std::vector<std::string>& options) {
    return run_flink_cpp(concat(concat({"run", "-m", cluster.rest_address()}, options),
                                sessions_args(dir.file("clicks.csv"), dir)));
  }

  /// Checks the committed output against the expected one, naming the
  /// first lines missing and extra on a failure.
  void check_output() {
    for (const auto& [name, want] :
         {std::pair{"sessions", &expected.sessions}, std::pair{"late", &expected.late}}) {
      auto got = sorted(output_lines(dir.file(name)));
      std::vector<std::string> missing;
      std::vector<std::string> extra;
      std::set_difference(want->begin(), want->end(), got.begin(), got.end(),
                          std::back_inserter(missing));
      std::set_difference(got.begin(), got.end(), want->begin(), want->end(),
                          std::back_inserter(extra));
      BOOST_TEST(got == *want,
                 name << ": " << missing.size() << " missing (first: "
                      << (missing.empty() ? "" : missing.front()) << "), " << extra.size()
                      << " extra (first: " << (extra.empty() ? "" : extra.front()) << ")");
    }
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(sessions)

BOOST_AUTO_TEST_CASE(sessions_are_exact_at_every_parallelism) {
  auto events = clicks(4000, 11);
  auto expected = reference(events, 4000, 2000, 10000);
  BOOST_TEST_REQUIRE(expected.late.size() > 20u); // the input has late records
  BOOST_TEST_REQUIRE(expected.sessions.size() > 200u);
  // Some sessions fired more than once (late records within the lateness).
  std::map<std::string, int> firings;
  for (const auto& line : expected.sessions)
    ++firings[line.substr(0, line.find(',', line.find(',') + 1))];
  BOOST_TEST_REQUIRE(
    std::any_of(firings.begin(), firings.end(), [](const auto& f) { return f.second > 1; }));
  for (int p : {1, 2, 4}) {
    temp_dir dir;
    write_file(dir.file("clicks.csv"), text_of(events));
    auto r = run_flink_cpp(concat({"run", "-t", "local", "-p", std::to_string(p)},
                                  sessions_args(dir.file("clicks.csv"), dir)));
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    BOOST_TEST(sorted(output_lines(dir.file("sessions"))) == expected.sessions, "-p " << p);
    BOOST_TEST(sorted(output_lines(dir.file("late"))) == expected.late, "-p " << p);
  }
}

BOOST_AUTO_TEST_CASE(a_directory_is_read_file_after_file) {
  auto events = clicks(1500, 5);
  temp_dir dir;
  std::vector<event> first(events.begin(), events.begin() + 700);
  std::vector<event> second(events.begin() + 700, events.end());
  fs::create_directories(dir.file("in"));
  write_file(dir.file("in/a.csv"), text_of(first));
  write_file(dir.file("in/b.csv"), text_of(second));
  auto expected = reference(events, 4000, 2000, 10000);
  auto r =
    run_flink_cpp(concat({"run", "-t", "local", "-p", "2"}, sessions_args(dir.file("in"), dir)));
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(sorted(output_lines(dir.file("sessions"))) == expected.sessions);
  BOOST_TEST(sorted(output_lines(dir.file("late"))) == expected.late);
}

BOOST_AUTO_TEST_CASE(a_bad_line_fails_the_job_naming_it_unless_skipped) {
  auto events = clicks(300, 9);
  auto text = text_of(events);
  auto cut = text.find('\n', text.size() / 2) + 1;
  text.insert(cut, "user3,12:30,7\n");
  auto bad_line =
    std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(cut), '\n') + 1;
  {
    temp_dir dir;
    write_file(dir.file("clicks.csv"), text);
    auto r = run_flink_cpp(
      concat({"run", "-t", "local", "-p", "2"}, sessions_args(dir.file("clicks.csv"), dir)));
    BOOST_TEST(r.exit_code != 0);
    BOOST_TEST(r.err.find("line " + std::to_string(bad_line) + " of '" + dir.file("clicks.csv") +
                          "' is not 'user,timestamp_ms,value': the timestamp is not an integer") !=
                 std::string::npos,
               r.err);
  }
  temp_dir dir;
  write_file(dir.file("clicks.csv"), text);
  auto r =
    run_flink_cpp(concat({"run", "-t", "local", "-p", "2"},
                         concat(sessions_args(dir.file("clicks.csv"), dir), {"--skip-bad-lines"})));
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  auto expected = reference(events, 4000, 2000, 10000);
  BOOST_TEST(sorted(output_lines(dir.file("sessions"))) == expected.sessions);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_refused_saying_what_was_expected) {
  temp_dir dir;
  write_file(dir.file("clicks.csv"), text_of(clicks(10, 1)));
  auto args = sessions_args(dir.file("clicks.csv"), dir);
  args[4] = "soon"; // --gap
  auto r = run_flink_cpp(concat({"run", "-t", "local"}, args));
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("--gap must be a number of seconds (0 or more, decimals allowed), got "
                        "'soon'") != std::string::npos,
             r.err);
  args = sessions_args(dir.file("clicks.csv"), dir);
  args.resize(args.size() - 2); // no --late-output
  r = run_flink_cpp(concat({"run", "-t", "local"}, args));
  BOOST_TEST(r.exit_code != 0);
  BOOST_TEST(r.err.find("late-output") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(sessions_stay_exact_through_killed_taskmanagers) {
  clicks_on_a_cluster c{21,
                        {"restart-strategy.type=fixed-delay",
                         "restart-strategy.fixed-delay.attempts=100",
                         "restart-strategy.fixed-delay.delay=10ms"}};
  auto& cluster = c.cluster;
  auto& alive = c.taskmanagers;
  auto r = c.run({"-d", "-p", "3"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto job = submitted_job_id(r);
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  auto killed = kill_after_checkpoints(cluster, job, alive, 2);
  BOOST_TEST(killed == 2); // the job outlasted both kills
  BOOST_REQUIRE(wait_until([&] { return state() == "FINISHED"; }, std::chrono::seconds{120}));
  c.check_output();
}

BOOST_AUTO_TEST_CASE(sessions_stay_exact_through_a_rescale_from_2_to_3) {
  // Stopped with a savepoint at -p 2 on the hashmap backend, resumed at -p 3
  // on LevelDB: open sessions, their timers and the late records' fate
  // move with their keys. Input large enough that the stop comes first.
  temp_dir savepoints;
  clicks_on_a_cluster c{
    33, {"state.savepoints.dir=" + savepoints.path().string(), "restart-strategy.type=none"}};
  auto& cluster = c.cluster;
  auto r = c.run({"-d", "-p", "2"});
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto job = submitted_job_id(r);
  BOOST_REQUIRE(wait_until([&] {
    auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
    return status == 200 && body["counts"].value("completed", 0L) > 0;
  }));
  auto stopped = run_flink_cpp({"stop", "-m", cluster.rest_address(), job});
  BOOST_REQUIRE_MESSAGE(stopped.exit_code == 0, stopped.out << stopped.err);
  const std::string marker = "Savepoint completed. Path: ";
  auto at = stopped.out.find(marker);
  BOOST_REQUIRE(at != std::string::npos);
  auto savepoint =
    stopped.out.substr(at + marker.size(), stopped.out.find('\n', at) - at - marker.size());
  BOOST_TEST(output_lines(c.dir.file("sessions")).size() < c.expected.sessions.size());
  auto resumed = c.run({"-p", "3", "-s", savepoint, "-D", "state.backend.type=leveldb"});
  BOOST_TEST_REQUIRE(resumed.exit_code == 0, resumed.err);
  c.check_output();
}

BOOST_AUTO_TEST_SUITE_END()
