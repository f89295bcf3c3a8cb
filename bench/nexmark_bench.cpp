// Nexmark per core: each query of the built-in `nexmark` job, in events per
// CPU-second of the whole flink-cpp process (generator included, as Flink's
// suite measures with its generator source), beside Flink 2.0's published
// per-core figure (the nexmark suite's GUIDE_V2), and the generator alone
// (a loop in this process) as the ceiling; then the suite's SQL version of
// the query (engine/examples/nexmark/sql, where there is one) on the same
// events, and its ratio to the job's events per CPU-second.
//
//   bench_nexmark [--events N] [--queries q0,q1,...] [--backend hashmap|leveldb]
//                 [--no-sql]
//
// Each query runs as `flink-cpp run -t local -p 2 nexmark --query qN
// --events N` with its rows discarded (the suite's blackhole sink), its SQL
// as `flink-cpp run -t local -p 2 sql --file ddl+qN.sql` into the suite's
// blackhole table; a run's CPU time is the child's user + system time
// (wait4). Targets: >= 10x Flink's figure on q0, q1 and q2, >= 5x on the
// others on the hashmap backend, on leveldb at least Flink's figure; SQL
// at least 0.8 of the job.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "nexmark/generator.hpp"
#include "process_cost.hpp"

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;

/// Flink 2.0's events per second per core (nexmark GUIDE_V2).
const std::map<std::string, double> flink_per_core{
  {"q0", 379e3},  {"q1", 395e3}, {"q2", 414e3}, {"q3", 219e3}, {"q4", 28e3},
  {"q5", 75e3},   {"q7", 23e3},  {"q8", 162e3}, {"q9", 14e3},  {"q11", 46e3},
  {"q12", 194e3}, {"q16", 45e3}, {"q20", 18e3}};

using flinkcpp::bench::cost;

/// Runs argv with its output discarded; its wall time and CPU time (user +
/// system, of it and its threads). Exits when it fails.
cost run(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto started = clock_type::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", args[0]);
    std::exit(1);
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  cost c;
  c.wall = std::chrono::duration<double>(clock_type::now() - started).count();
  c.cpu = flinkcpp::bench::cpu_seconds(usage);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string command;
    for (const auto& a : argv)
      command += a + " ";
    std::fprintf(stderr, "failed: %s\n", command.c_str());
    std::exit(1);
  }
  return c;
}

double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

std::string read_all(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// `text` with every `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

/// The suite's SQL of `query` over `events` events (the event table, its
/// views, the query) in a file, or "" when the query has no SQL version.
std::string sql_file(const std::string& query, std::int64_t events) {
  const std::string dir = FLINKCPP_NEXMARK_SQL_DIR;
  auto text = read_all(dir + "/" + query + ".sql");
  if (text.empty())
    return {};
  auto ddl = replaced(read_all(dir + "/ddl.sql"), "${EVENTS_NUM}", std::to_string(events));
  ddl = replaced(ddl, "${TPS}", "10000000");
  auto path =
    (std::filesystem::temp_directory_path() / ("bench_nexmark_" + query + ".sql")).string();
  std::ofstream{path} << ddl << text;
  return path;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in{list};
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty())
      out.push_back(item);
  return out;
}

} // namespace

int main(int argc, char** argv) {
  std::int64_t events = 20'000'000;
  std::string queries = "q0,q1,q2,q3,q4,q5,q7,q8,q9,q11,q12,q14,q15,q16,q17,q18,q19,q20,q21,q22";
  std::string backend = "hashmap";
  CLI::App app{"Nexmark queries in events per CPU-second, beside Flink 2.0's per-core figures"};
  app.add_option("--events", events, "Events per query")
    ->check(CLI::Range(std::int64_t{1000}, std::int64_t{10'000'000'000}));
  app.add_option("--queries", queries, "Comma-separated queries");
  app.add_option("--backend", backend, "State backend")
    ->check(CLI::IsMember({"hashmap", "leveldb"}));
  bool no_sql = false;
  app.add_flag("--no-sql", no_sql, "Leave out the SQL versions");
  CLI11_PARSE(app, argc, argv);

  flinkcpp::nexmark::generator_config config;
  auto cpu_started = thread_cpu_seconds();
  std::size_t bytes = 0; // keeps the events from being optimized away
  for (std::int64_t i = 0; i < events; ++i) {
    auto e = flinkcpp::nexmark::event_of(config, i);
    bytes += e.bid ? e.bid->extra.size() : 1;
  }
  auto generator = static_cast<double>(events) / (thread_cpu_seconds() - cpu_started);

  std::printf("nexmark, %lld events per query, -p 2, %s backend, embedded mini-cluster\n",
              static_cast<long long>(events), backend.c_str());
  std::printf("  %-9s %9s %9s %14s %14s %8s %8s %9s %14s %8s\n", "query", "wall s", "CPU s",
              "events/CPU-s", "Flink/core", "ratio", "target", "SQL CPU s", "SQL ev/CPU-s",
              "SQL/job");
  std::printf("  %-9s %9s %9s %14.0f %14s %8s %8s   (%zu bytes of extras)\n", "generator", "-", "-",
              generator, "-", "-", "-", bytes);
  for (const auto& query : split(queries)) {
    const std::vector<std::string> local{
      FLINKCPP_BINARY, "run", "-t", "local", "-p", "2", "-D", "state.backend.type=" + backend};
    auto job = local;
    for (const auto& a : {std::string{"nexmark"}, std::string{"--query"}, query,
                          std::string{"--events"}, std::to_string(events)})
      job.push_back(a);
    auto c = run(job);
    auto per_cpu_second = static_cast<double>(events) / c.cpu;
    std::printf("  %-9s %9.2f %9.2f %14.0f", query.c_str(), c.wall, c.cpu, per_cpu_second);
    auto flink = flink_per_core.find(query);
    if (flink == flink_per_core.end()) {
      std::printf(" %14s %8s %8s", "-", "-", "-");
    } else {
      double target = backend == "leveldb"                              ? 1.0
                      : query == "q0" || query == "q1" || query == "q2" ? 10.0
                                                                        : 5.0;
      std::printf(" %14.0f %8.2f %7.0fx", flink->second, per_cpu_second / flink->second, target);
    }
    auto script = no_sql ? std::string{} : sql_file(query, events);
    if (script.empty()) {
      std::printf(" %9s %14s %8s\n", "-", "-", "-");
      continue;
    }
    auto sql = local;
    for (const auto& a : {std::string{"sql"}, std::string{"--file"}, script})
      sql.push_back(a);
    auto q = run(sql);
    std::filesystem::remove(script);
    auto sql_per_cpu_second = static_cast<double>(events) / q.cpu;
    std::printf(" %9.2f %14.0f %8.2f\n", q.cpu, sql_per_cpu_second,
                sql_per_cpu_second / per_cpu_second);
  }
  if (!no_sql)
    std::printf("SQL/job target: >= 0.8\n");
  return 0;
}
