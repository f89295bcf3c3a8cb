// Metrics on real processes, scraped by a real Prometheus (Debian's): the
// cluster's, the job's, every task's and every process's, named and
// labelled as Flink's Prometheus reporter does, with values that fit the
// job; and the REST metric paths the web UI reads, from the same registry.

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "cluster/job_info.hpp"
#include "support/local_cluster.hpp"
#include "support/prometheus_server.hpp"
#include "support/wait.hpp"

using namespace flinkcpp::testing;

namespace {

constexpr int per_subtask = 2500;
constexpr int emitted = 2 * per_subtask; // at -p 2

/// A cluster whose processes serve metrics at ports from `first` on (the
/// jobmanager takes the first free one, then each taskmanager as it starts).
struct metrics_cluster {
  std::uint16_t first = free_port();
  temp_dir dir;
  local_cluster cluster{
    {"metrics.reporters=prom",
     "metrics.reporter.prom.port=" + std::to_string(first) + "-" + std::to_string(first + 9),
     "execution.checkpointing.interval=200ms", "state.checkpoints.dir=" + dir.file("checkpoints")}};
  std::string job;
  /// Epoch milliseconds before the job started: its records' event time
  /// comes after.
  std::int64_t started_ms = flinkcpp::epoch_millis();

  std::vector<std::string> targets() const {
    std::vector<std::string> out;
    for (int p = first; p <= first + 9; ++p)
      out.push_back("127.0.0.1:" + std::to_string(p));
    return out;
  }

  metrics_cluster() {
    cluster.start_jobmanager();
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(1));
    cluster.start_taskmanager(2);
    BOOST_REQUIRE(cluster.wait_for_taskmanagers(2));
    auto r =
      run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "2", FLINKCPP_METRICS_JOB,
                     "--emit", std::to_string(per_subtask), "--rate", "20000"});
    BOOST_REQUIRE(r.exit_code == 0);
    job = submitted_job_id(r);
  }

  ~metrics_cluster() { run_flink_cpp({"cancel", "-m", cluster.rest_address(), job}); }
};

/// Waits until `expr` yields a single series whose value satisfies `fits`.
template <class Fits>
bool wait_for_value(const prometheus_server& p, const std::string& expr, Fits fits) {
  return wait_until([&] {
    auto v = p.value(expr);
    return !std::isnan(v) && fits(v);
  });
}

/// Waits until `expr` yields `count` series.
bool wait_for_series(const prometheus_server& p, const std::string& expr, std::size_t count) {
  return wait_until([&] { return p.query(expr).size() == count; });
}

/// Waits until `expr` yields at least `count` series.
bool wait_for_series_at_least(const prometheus_server& p, const std::string& expr,
                              std::size_t count) {
  return wait_until([&] { return p.query(expr).size() >= count; });
}

bool equals(double want, double got) {
  return got == want;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(metrics, metrics_cluster)

BOOST_AUTO_TEST_CASE(prometheus_scrapes_flinks_metrics_from_every_process) {
  prometheus_server prometheus{targets()};
  auto job_selector = "{job_id=\"" + job + "\"}";
  // The cluster, as the jobmanager sees it.
  BOOST_TEST(wait_for_value(prometheus, "flink_jobmanager_numRegisteredTaskManagers",
                            [](double v) { return equals(2, v); }));
  BOOST_TEST(prometheus.value("flink_jobmanager_taskSlotsTotal") == 4);
  BOOST_TEST(prometheus.value("flink_jobmanager_numRunningJobs") == 1);
  BOOST_TEST(prometheus.value("flink_jobmanager_taskSlotsAvailable") == 2); // -p 2, slot sharing
  // The job: running, checkpointing, never restarted.
  BOOST_TEST(wait_for_value(prometheus,
                            "flink_jobmanager_job_numberOfCompletedCheckpoints" + job_selector,
                            [](double v) { return v >= 1; }));
  BOOST_TEST(prometheus.value("flink_jobmanager_job_uptime" + job_selector) > 0);
  BOOST_TEST(prometheus.value("flink_jobmanager_job_numRestarts" + job_selector) == 0);
  BOOST_TEST(prometheus.value("flink_jobmanager_job_fullRestarts" + job_selector) == 0);
  // Flink's job status metrics: time in the current state, 0 in the others.
  BOOST_TEST(prometheus.value("flink_jobmanager_job_runningTime" + job_selector) > 0);
  for (const char* state :
       {"createdTime", "initializingTime", "restartingTime", "failingTime", "cancellingTime"})
    BOOST_TEST(prometheus.value(std::string{"flink_jobmanager_job_"} + state + job_selector) == 0,
               state);
  BOOST_TEST(prometheus.value("flink_jobmanager_job_lastCheckpointDuration" + job_selector) >= 0);
  BOOST_TEST(prometheus.value("flink_jobmanager_job_numberOfFailedCheckpoints" + job_selector) ==
             0);
  // Records out of the source tasks equal records into the next ones, across
  // the forward edge, once the source has emitted all it will.
  auto out =
    "sum(flink_taskmanager_job_task_numRecordsOut{job_id=\"" + job + "\",task_name=~\"Source.*\"})";
  auto in =
    "sum(flink_taskmanager_job_task_numRecordsIn{job_id=\"" + job + "\",task_name=~\"doubled.*\"})";
  BOOST_TEST(wait_for_value(prometheus, out, [](double v) { return equals(emitted, v); }));
  BOOST_TEST(wait_for_value(prometheus, in, [](double v) { return equals(emitted, v); }));
  // Each task's labels are Flink's task scope variables.
  auto series = prometheus.query("flink_taskmanager_job_task_numRecordsIn{job_id=\"" + job + "\"}");
  BOOST_TEST(series.size() == 4u); // two tasks at parallelism 2
  for (const auto& s : series) {
    const auto& m = s["metric"];
    for (const char* label : {"job_name", "task_id", "task_name", "subtask_index", "tm_id", "host",
                              "task_attempt_id", "task_attempt_num"})
      BOOST_TEST(!m.value(label, std::string{}).empty(), label << " in " << m.dump());
    BOOST_TEST(m["job_name"] == "metrics");
    BOOST_TEST(m["task_attempt_num"] == "0");
    // Label values as Flink's reporter filters them: [a-zA-Z0-9:_] only.
    BOOST_TEST(m["host"] == "127_0_0_1", m.dump());
    BOOST_TEST(
      std::regex_match(m["tm_id"].get<std::string>(), std::regex{"127_0_0_1:[0-9]+_[0-9a-f]+"}),
      m.dump());
    BOOST_TEST(std::regex_match(m["task_name"].get<std::string>(), std::regex{"[A-Za-z0-9:_]+"}),
               m.dump());
  }
  // Operators of a chain, with Flink's operator scope: each takes what the
  // one before it emitted (numbers -> first in one task, doubled -> the sink
  // in the other), the chain's head what its task took.
  auto op = [&](const std::string& name, const std::string& operator_name) {
    return "flink_taskmanager_job_task_operator_" + name + "{job_id=\"" + job +
           "\",operator_name=\"" + operator_name + "\"}";
  };
  BOOST_TEST(wait_for_value(prometheus, "sum(" + op("numRecordsOut", "first") + ")",
                            [](double v) { return equals(emitted, v); }));
  BOOST_TEST(wait_for_value(prometheus, "sum(" + op("numRecordsIn", "doubled") + ")",
                            [](double v) { return equals(emitted, v); }));
  // A user counter of a group, with Flink's user-scope name.
  BOOST_TEST(wait_for_value(prometheus, "sum(" + op("doubling_records", "doubled") + ")",
                            [](double v) { return equals(emitted, v); }));
  auto ignoring_operator = " - on(job_id,task_id,subtask_index) ";
  auto links = prometheus.query(op("numRecordsIn", "first") + ignoring_operator +
                                op("numRecordsOut", "numbers"));
  BOOST_TEST(links.size() == 2u); // one per source subtask
  for (const auto& s : links)
    BOOST_TEST(s["value"][1] == "0", s.dump());
  auto operators =
    prometheus.query("flink_taskmanager_job_task_operator_numRecordsIn" + job_selector);
  BOOST_TEST(operators.size() == 10u); // five operators at parallelism 2
  for (const auto& s : operators) {
    const auto& m = s["metric"];
    for (const char* label :
         {"operator_id", "operator_name", "task_name", "subtask_index", "tm_id"})
      BOOST_TEST(!m.value(label, std::string{}).empty(), label << " in " << m.dump());
  }
  // The source's own metrics (FLIP-33) on its operator: the records it
  // emitted, the time since it last emitted, and the lag of its records'
  // event time, NaN here: the datagen's records get theirs downstream.
  BOOST_TEST(wait_for_series(prometheus, op("numRecordsIn", "numbers") + " > 0", 2));
  BOOST_TEST(wait_for_series(prometheus, op("sourceIdleTime", "numbers") + " >= 0", 2));
  auto lag = prometheus.query(op("currentEmitEventTimeLag", "numbers"));
  BOOST_TEST(lag.size() == 2u);
  for (const auto& s : lag)
    BOOST_TEST(s["value"][1] == "NaN", s.dump());
  for (const char* name : {"numRecordsOut", "numRecordsInPerSecond", "numRecordsOutPerSecond"})
    BOOST_TEST(
      prometheus.query(std::string{"flink_taskmanager_job_task_operator_"} + name + job_selector)
          .size() == 10u,
      name);
  for (const char* name : {"numRecordsInPerSecond", "numRecordsOutPerSecond", "numBytesInPerSecond",
                           "numBytesOutPerSecond", "busyTimeMsPerSecond", "idleTimeMsPerSecond",
                           "backPressuredTimeMsPerSecond", "isBackPressured", "buffers_inPoolUsage",
                           "buffers_outPoolUsage"})
    BOOST_TEST(
      prometheus.query(std::string{"flink_taskmanager_job_task_"} + name + job_selector).size() ==
        4u,
      name);
  // Event time: the assigner's watermark trails the records' emission time
  // (after the job started, before now); once the sources stopped emitting
  // it settles, and the other task takes exactly it across the forward
  // edge: its input, and each of its operators' input and output. The
  // operators before the assigner have none.
  BOOST_TEST(wait_for_series(prometheus,
                             op("currentOutputWatermark", "timestamps") + " > " +
                               std::to_string(started_ms - 101) + " < time() * 1000",
                             2));
  auto across_the_edge = [&](const std::string& downstream) {
    return wait_until([&] {
      auto gaps = prometheus.query(downstream + " - on(job_id,subtask_index) " +
                                   op("currentOutputWatermark", "timestamps"));
      if (gaps.size() != 2)
        return false;
      for (const auto& g : gaps)
        if (g["value"][1] != "0")
          return false;
      return true;
    });
  };
  BOOST_TEST(across_the_edge("flink_taskmanager_job_task_currentInputWatermark{job_id=\"" + job +
                             "\",task_name=~\"doubled.*\"}"));
  for (const char* name : {"currentInputWatermark", "currentOutputWatermark"})
    BOOST_TEST(across_the_edge(op(name, "doubled")), name);
  BOOST_TEST(across_the_edge(op("currentInputWatermark", "Discarding_Sink")));
  for (const auto& s : prometheus.query(op("currentOutputWatermark", "numbers")))
    BOOST_TEST(std::stod(s["value"][1].get<std::string>()) == -9.223372036854775808e18, s.dump());
  BOOST_TEST(prometheus.query(op("currentOutputWatermark", "numbers")).size() == 2u);
  // Busy, idle and back-pressured time share each second.
  auto shares =
    prometheus.query("flink_taskmanager_job_task_busyTimeMsPerSecond" + job_selector +
                     " + flink_taskmanager_job_task_idleTimeMsPerSecond" + job_selector +
                     " + flink_taskmanager_job_task_backPressuredTimeMsPerSecond" + job_selector);
  BOOST_TEST(shares.size() == 4u);
  for (const auto& s : shares)
    BOOST_TEST(std::abs(std::stod(s["value"][1].get<std::string>()) - 1000.0) < 1e-3);
  // Every process reports itself (a taskmanager without tasks may not have
  // been scraped yet).
  BOOST_TEST(wait_for_series(prometheus, "flink_taskmanager_Status_Process_Memory_RSS > 0", 2));
  BOOST_TEST(wait_for_series(prometheus, "flink_taskmanager_Status_Process_Threads_Count > 0", 2));
  BOOST_TEST(wait_for_series(prometheus, "flink_jobmanager_Status_Process_Memory_RSS > 0", 1));
  BOOST_TEST(wait_for_series(prometheus, "flink_jobmanager_Status_Process_CPU_Load >= 0", 1));
}

BOOST_AUTO_TEST_CASE(the_rest_metric_paths_answer_from_the_same_metrics) {
  auto [status, jm] =
    cluster.get("/jobmanager/metrics?get=numRegisteredTaskManagers,taskSlotsTotal");
  BOOST_TEST(status == 200);
  BOOST_TEST(
    jm.dump() ==
    R"([{"id":"numRegisteredTaskManagers","value":"2"},{"id":"taskSlotsTotal","value":"4"}])");
  auto [lstatus, listed] = cluster.get("/jobmanager/metrics");
  BOOST_TEST(listed.dump().find(R"({"id":"Status.Process.Memory.RSS"})") != std::string::npos);

  auto [pstatus, plan] = cluster.get("/jobs/" + job + "/plan");
  std::string doubled;
  for (const auto& n : plan["plan"]["nodes"])
    if (n["description"].get<std::string>().find("doubled") != std::string::npos)
      doubled = n["id"];
  BOOST_REQUIRE(!doubled.empty());
  auto vertex = "/jobs/" + job + "/vertices/" + doubled;
  // Taskmanagers report with their heartbeats: wait for all records to show.
  BOOST_TEST(wait_until([&] {
    auto [s, sums] = cluster.get(vertex + "/subtasks/metrics?get=numRecordsIn");
    return s == 200 && sums.size() == 1 && sums[0].value("sum", 0.0) == emitted;
  }));
  auto [vstatus, per_subtask] = cluster.get(vertex + "/metrics?get=0.numRecordsIn,1.numRecordsIn");
  BOOST_TEST(per_subtask.size() == 2u);
  auto [bstatus, pressure] = cluster.get(vertex + "/backpressure");
  BOOST_TEST(pressure["status"] == "ok");
  BOOST_TEST(pressure["subtasks"].size() == 2u);
  BOOST_TEST(pressure["backpressureLevel"] == "ok"); // it idles

  // Each subtask's input watermark, once the assigner's reached it.
  nlohmann::json watermarks;
  BOOST_TEST(wait_until([&] {
               auto [s, w] = cluster.get(vertex + "/watermarks");
               watermarks = w;
               if (s != 200 || w.size() != 2)
                 return false;
               for (const auto& each : w)
                 if (std::stoll(each["value"].get<std::string>()) <= started_ms - 101)
                   return false;
               return true;
             }),
             watermarks.dump());
  std::set<std::string> ids;
  for (const auto& w : watermarks)
    ids.insert(w["id"].get<std::string>());
  BOOST_TEST((ids == std::set<std::string>{"0.currentInputWatermark", "1.currentInputWatermark"}));

  auto [tstatus, tms] = cluster.get("/taskmanagers");
  auto tm = tms["taskmanagers"][0]["id"].get<std::string>();
  BOOST_TEST(wait_until([&] {
    auto [s, m] = cluster.get("/taskmanagers/" + tm + "/metrics?get=Status.Process.Threads.Count");
    return s == 200 && m.size() == 1;
  }));
  BOOST_TEST(cluster.get("/taskmanagers/nobody/metrics").first == 404);
  BOOST_TEST(cluster.get("/jobs/" + job + "/vertices/0000/metrics").first == 404);
}

namespace {

/// `text` with each $name of `variables` replaced by its value.
std::string substituted(std::string text, const std::map<std::string, std::string>& variables) {
  for (const auto& [name, value] : variables)
    text = std::regex_replace(text, std::regex{"\\$" + name + "\\b"}, value);
  return text;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in{path};
  return nlohmann::json::parse(in, nullptr, false);
}

} // namespace

BOOST_AUTO_TEST_CASE(every_dashboard_panel_shows_data) {
  prometheus_server prometheus{targets()};
  // Wait until the job's tasks and checkpoints are scraped.
  BOOST_REQUIRE(wait_for_value(
    prometheus, "flink_jobmanager_job_numberOfCompletedCheckpoints{job_id=\"" + job + "\"}",
    [](double v) { return v >= 1; }));
  BOOST_REQUIRE(wait_for_series(prometheus, "flink_taskmanager_Status_Process_Memory_RSS", 2));
  for (const char* file : {"flink-cpp-job.json", "flink-cpp-cluster.json"}) {
    BOOST_TEST_CONTEXT(file) {
      auto dashboard = read_json(std::string{FLINKCPP_CHART_DIR} + "/dashboards/" + file);
      BOOST_REQUIRE(dashboard.is_object());
      // Variables filled as Grafana fills them: the first value offered,
      // or every value (".*") for those that allow all.
      std::map<std::string, std::string> variables;
      for (const auto& v : dashboard["templating"]["list"]) {
        auto name = v["name"].get<std::string>();
        if (v["type"] == "datasource") {
          BOOST_TEST(v["query"] == "prometheus");
          continue;
        }
        std::smatch m;
        auto query = substituted(v["query"]["query"].get<std::string>(), variables);
        BOOST_REQUIRE(std::regex_match(query, m, std::regex{R"(label_values\((.+), (\w+)\))"}));
        std::vector<std::string> offered;
        BOOST_TEST(wait_until([&] {
                     offered = prometheus.label_values(m[2], m[1]);
                     return !offered.empty();
                   }),
                   name << ": " << query);
        variables[name] = v.value("includeAll", false) ? ".*" : offered.front();
      }
      for (const auto& panel : dashboard["panels"]) {
        BOOST_TEST(panel["datasource"]["uid"] == "${datasource}");
        for (const auto& target : panel["targets"]) {
          auto expr = substituted(target["expr"].get<std::string>(), variables);
          BOOST_TEST(wait_for_series_at_least(prometheus, expr, 1),
                     panel["title"].get<std::string>() << ": " << expr);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_alert_rules_parse) {
  auto checked = run_process({"/usr/bin/promtool", "check", "rules",
                              std::string{FLINKCPP_CHART_DIR} + "/alerts/flink-cpp.rules.yaml"});
  BOOST_TEST(checked.exit_code == 0, checked.out << checked.err);
  BOOST_TEST(checked.out.find("SUCCESS: 4 rules found") != std::string::npos, checked.out);
}

BOOST_AUTO_TEST_SUITE_END()
