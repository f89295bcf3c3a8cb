// Cluster benchmarks, each against a baseline measured in the same run (these
// machines are noisy: compare ratios, not absolute times).
//
//   bench_cluster [--megabytes N] [--repeat N] [--dir DIR]
//
// 1. Throughput: WordCount (BATCH, -p 2) on a jobmanager and two taskmanager
//    processes of one slot each, against the embedded mini-cluster with the
//    same slots (two taskmanagers of one slot, one process), on the same input.
//    Both results are compared with each other. Prints the ratio of the job
//    runtimes, embedded / processes (target: >= 0.7).
// 2. Metrics: the same WordCount on two such clusters, one serving
//    Prometheus metrics on every process and scraped every 100 ms, the other
//    without a reporter. Prints the ratio of the job runtimes, without /
//    with (target: >= 0.97).
// 3. TLS: the same WordCount on two such clusters, one with internal TLS
//    (security.ssl.internal.enabled: RPC and data between the processes
//    mutually authenticated and encrypted), the other plaintext. Prints the
//    ratios of the job runtimes and of the taskmanagers' CPU time, plaintext
//    / TLS (target: >= 0.8).
// 4. Recovery: a steady keyed job at -p 2 on two taskmanagers, with a standby
//    taskmanager registered. One taskmanager running subtasks is killed with
//    SIGKILL (its connections drop) or frozen with SIGSTOP (only missed
//    heartbeats reveal it); prints the time from the signal until every
//    subtask of the job runs again (target: < 2 s), against Flink's default
//    heartbeat timeout of 50 s.
// 5. REST under slow clients: /overview latencies of a jobmanager, asked
//    one request after another, while 1,000 connections hold a request
//    open by sending a header line every half second (slowloris), against
//    the same jobmanager without them. Prints medians and worst cases, their
//    ratio, and the jobmanager's memory and threads held by the slow
//    clients (target: worst < 1 s).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <httplib.h>

#include "bench_options.hpp"
#include "support/local_cluster.hpp"
#include "support/process_usage.hpp"
#include "support/raw_connection.hpp"
#include "support/test_certificates.hpp"
#include "support/wait.hpp"

namespace {

using namespace flinkcpp::testing;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const process_result& r) {
  std::fprintf(stderr, "%s (exit code %d): %s\n", what.c_str(), r.exit_code, r.err.c_str());
  std::exit(1);
}

/// The "Job Runtime: N ms" a finished `run` prints (on standard output from
/// a cluster, as Flink's client; on standard error from the embedded one), in
/// seconds.
double job_runtime(const process_result& r) {
  const std::string marker = "Job Runtime: ";
  auto text = r.out + r.err;
  auto at = text.rfind(marker);
  if (r.exit_code != 0 || at == std::string::npos)
    fail("the job did not finish", r);
  return std::stod(text.substr(at + marker.size())) / 1000.0;
}

std::string job_id_of(const process_result& r) {
  auto id = submitted_job_id(r);
  if (r.exit_code != 0 || id.empty())
    fail("the job was not submitted", r);
  return id;
}

/// A jobmanager and two one-slot taskmanagers, registered.
void start_two_slots(local_cluster& cluster) {
  cluster.start_jobmanager();
  cluster.start_taskmanager(1);
  cluster.start_taskmanager(1);
  if (!cluster.wait_for_taskmanagers(2)) {
    std::fprintf(stderr, "the taskmanagers did not register\n");
    std::exit(1);
  }
}

/// Best job runtimes of WordCount on processes and in the embedded cluster.
void throughput(const std::string& input, double megabytes, int repeat) {
  local_cluster cluster;
  start_two_slots(cluster);
  auto job = [&](const std::string& output) {
    return std::vector<std::string>{"-p",        "2",       "-D",  "execution.runtime-mode=BATCH",
                                    "wordcount", "--input", input, "--output",
                                    output};
  };
  double best_processes = 1e9;
  double best_embedded = 1e9;
  for (int i = 0; i < repeat; ++i) {
    auto remote_out = cluster.dir().file("processes-" + std::to_string(i));
    std::vector<std::string> remote{"run", "-m", cluster.rest_address()};
    auto args = job(remote_out);
    remote.insert(remote.end(), args.begin(), args.end());
    best_processes = std::min(best_processes, job_runtime(run_flink_cpp(remote)));

    auto local_out = cluster.dir().file("embedded-" + std::to_string(i));
    std::vector<std::string> local{"run",
                                   "-t",
                                   "local",
                                   "-D",
                                   "minicluster.number-of-taskmanagers=2",
                                   "-D",
                                   "taskmanager.numberOfTaskSlots=1"};
    args = job(local_out);
    local.insert(local.end(), args.begin(), args.end());
    best_embedded = std::min(best_embedded, job_runtime(run_flink_cpp(local)));

    auto a = lines_of(read_file(remote_out));
    auto b = lines_of(read_file(local_out));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a.empty() || a != b) {
      std::fprintf(stderr, "the two runs counted differently\n");
      std::exit(1);
    }
    fs::remove(remote_out);
    fs::remove(local_out);
  }
  std::printf("wordcount throughput, %.0f MB, BATCH, -p 2 on two slots:\n", megabytes);
  std::printf("  embedded mini-cluster (1 process)        %7.3f s  %7.1f MB/s\n", best_embedded,
              megabytes / best_embedded);
  std::printf("  jobmanager + 2 taskmanager processes     %7.3f s  %7.1f MB/s\n", best_processes,
              megabytes / best_processes);
  std::printf("  ratio processes / embedded               %7.2f   (target >= 0.7)\n",
              best_embedded / best_processes);
}

/// Best runtimes of WordCount with and without the Prometheus reporter.
void metrics_cost(const std::string& input, double megabytes, int repeat) {
  auto first = free_port();
  auto ports = std::to_string(first) + "-" + std::to_string(first + 9);
  local_cluster with{{"metrics.reporters=prom", "metrics.reporter.prom.port=" + ports}};
  local_cluster without;
  start_two_slots(with);
  start_two_slots(without);
  std::atomic<bool> scraping{true};
  std::thread scraper{[&] {
    while (scraping) {
      for (int p = first; p <= first + 9; ++p) {
        httplib::Client client{"127.0.0.1", p};
        client.Get("/metrics");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{100}); // the scrape interval
    }
  }};
  auto run = [&](const local_cluster& cluster, const std::string& output) {
    return job_runtime(run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "2", "-D",
                                      "execution.runtime-mode=BATCH", "wordcount", "--input", input,
                                      "--output", output}));
  };
  double best_with = 1e9;
  double best_without = 1e9;
  for (int i = 0; i < repeat; ++i) { // alternated, so that noise hits both
    best_without = std::min(best_without, run(without, without.dir().file("out")));
    best_with = std::min(best_with, run(with, with.dir().file("out")));
    fs::remove(without.dir().file("out"));
    fs::remove(with.dir().file("out"));
  }
  scraping = false;
  scraper.join();
  std::printf("wordcount throughput, %.0f MB, BATCH, -p 2, metrics scraped every 100 ms:\n",
              megabytes);
  std::printf("  without a metrics reporter               %7.3f s\n", best_without);
  std::printf("  Prometheus reporter on every process     %7.3f s\n", best_with);
  std::printf("  ratio without / with                     %7.2f   (target >= 0.97)\n",
              best_without / best_with);
}

/// Best runtimes and taskmanager CPU times of WordCount with and without
/// internal TLS.
void tls_cost(const std::string& input, double megabytes, int repeat) {
  temp_dir keys;
  test_authority authority{"bench CA"};
  authority.write_truststore(keys.file("ca.pem"));
  authority.issue_pem(keys.file("node.pem"));
  local_cluster tls{{"security.ssl.internal.enabled=true",
                     "security.ssl.internal.keystore=" + keys.file("node.pem"),
                     "security.ssl.internal.truststore=" + keys.file("ca.pem")}};
  local_cluster plain;
  start_two_slots(tls);
  start_two_slots(plain);
  struct cost {
    double wall = 1e9;
    double cpu = 1e9;
  };
  auto run = [&](const local_cluster& cluster, cost& best) {
    auto cpu = [&] {
      return cpu_seconds(cluster.taskmanager_pid(0)) + cpu_seconds(cluster.taskmanager_pid(1));
    };
    auto before = cpu();
    auto wall = job_runtime(run_flink_cpp({"run", "-m", cluster.rest_address(), "-p", "2", "-D",
                                           "execution.runtime-mode=BATCH", "wordcount", "--input",
                                           input, "--output", cluster.dir().file("out")}));
    best.wall = std::min(best.wall, wall);
    best.cpu = std::min(best.cpu, cpu() - before);
    fs::remove(cluster.dir().file("out"));
  };
  cost with_tls;
  cost without;
  for (int i = 0; i < repeat; ++i) { // alternated, so that noise hits both
    run(plain, without);
    run(tls, with_tls);
  }
  std::printf("wordcount throughput, %.0f MB, BATCH, -p 2 across two taskmanagers:\n", megabytes);
  std::printf("  plaintext                                %7.3f s  cpu %7.3f s\n", without.wall,
              without.cpu);
  std::printf("  internal TLS (security.ssl.internal.*)   %7.3f s  cpu %7.3f s\n", with_tls.wall,
              with_tls.cpu);
  std::printf("  ratio plaintext / TLS                    %7.2f   cpu %7.2f   (target >= 0.8)\n",
              without.wall / with_tls.wall, without.cpu / with_tls.cpu);
}

std::int64_t epoch_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Whether the job restarted after `since` (epoch ms) and all its subtasks run.
bool running_again(const local_cluster& cluster, const std::string& job, std::int64_t since) {
  auto [status, details] = cluster.get("/jobs/" + job);
  if (status != 200 || details.value("state", std::string{}) != "RUNNING")
    return false;
  if (details["timestamps"].value("RESTARTING", std::int64_t{0}) < since)
    return false;
  int total = 0;
  for (const auto& [state, count] : details["status-counts"].items())
    total += count.get<int>();
  return details["status-counts"].value("RUNNING", 0) == total;
}

/// Seconds from each of `repeat` signals to a taskmanager until the job runs
/// again; the signalled taskmanager is killed afterwards.
std::vector<double> recovery_times(int signal, int repeat, std::vector<std::string> heartbeats) {
  heartbeats.push_back("restart-strategy.type=fixed-delay");
  heartbeats.push_back("restart-strategy.fixed-delay.attempts=1000");
  heartbeats.push_back("restart-strategy.fixed-delay.delay=100ms");
  local_cluster cluster{heartbeats};
  cluster.start_jobmanager();
  std::vector<std::size_t> active{cluster.start_taskmanager(1), cluster.start_taskmanager(1)};
  if (!cluster.wait_for_taskmanagers(2)) {
    std::fprintf(stderr, "the taskmanagers did not register\n");
    std::exit(1);
  }
  auto job = job_id_of(run_flink_cpp({"run", "-m", cluster.rest_address(), "-d", "-p", "2",
                                      FLINKCPP_STEADY_JOB, "--rate", "200000"}));
  if (!wait_until([&] { return running_again(cluster, job, 0); })) {
    std::fprintf(stderr, "the steady job did not start\n");
    std::exit(1);
  }
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    active.push_back(cluster.start_taskmanager(1)); // the standby
    if (!cluster.wait_for_taskmanagers(3)) {
      std::fprintf(stderr, "the standby taskmanager did not register\n");
      std::exit(1);
    }
    auto victim = active.front();
    active.erase(active.begin());
    auto since = epoch_millis();
    auto start = clock_type::now();
    cluster.signal_taskmanager(victim, signal);
    if (!wait_until([&] { return running_again(cluster, job, since); },
                    std::chrono::seconds{120})) {
      std::fprintf(stderr, "the job did not run again within 120 s\n");
      std::exit(1);
    }
    times.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
    cluster.stop_taskmanager(victim, SIGKILL); // a frozen one is left behind otherwise
    if (!cluster.wait_for_taskmanagers(2)) {
      std::fprintf(stderr, "the lost taskmanager stayed registered\n");
      std::exit(1);
    }
  }
  run_flink_cpp({"cancel", "-m", cluster.rest_address(), job});
  return times;
}

/// Seconds each of `requests` GET /overview took, one after another, each
/// on a new connection.
std::vector<double> overview_latencies(const local_cluster& cluster, int requests) {
  std::vector<double> times;
  for (int i = 0; i < requests; ++i) {
    auto start = clock_type::now();
    auto [status, body] = cluster.get("/overview");
    if (status != 200) {
      std::fprintf(stderr, "/overview answered %d: %s\n", status, body.dump().c_str());
      std::exit(1);
    }
    times.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times;
}

/// The number of threads of process `pid`.
std::size_t thread_count(pid_t pid) {
  return static_cast<std::size_t>(
    std::distance(fs::directory_iterator{"/proc/" + std::to_string(pid) + "/task"}, {}));
}

void rest_under_slow_clients(int repeat) {
  constexpr int slow_clients = 1000;
  const int requests = 100 * repeat;
  allow_open_files(slow_clients + 200);
  local_cluster cluster;
  cluster.start_jobmanager();
  cluster.start_taskmanager(1);
  if (!cluster.wait_for_taskmanagers(1)) {
    std::fprintf(stderr, "the taskmanager did not register\n");
    std::exit(1);
  }
  auto jobmanager = cluster.jobmanager_pid();
  overview_latencies(cluster, 10); // warm up
  auto memory_before = resident_bytes(jobmanager);
  auto threads_before = thread_count(jobmanager);
  auto quiet = overview_latencies(cluster, requests);

  std::vector<std::unique_ptr<raw_connection>> slow;
  for (int i = 0; i < slow_clients; ++i) {
    slow.push_back(std::make_unique<raw_connection>(cluster.rest_port()));
    slow.back()->send_all("GET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  }
  std::mutex m;
  std::condition_variable done_cv;
  bool done = false;
  std::thread trickle{[&] {
    std::unique_lock lock{m};
    while (!done_cv.wait_for(lock, std::chrono::milliseconds{500}, [&] { return done; }))
      for (const auto& c : slow)
        c->send_all("X-Slow: 1\r\n");
  }};
  auto loaded = overview_latencies(cluster, requests);
  auto memory_loaded = resident_bytes(jobmanager);
  auto threads_loaded = thread_count(jobmanager);
  {
    std::lock_guard lock{m};
    done = true;
  }
  done_cv.notify_all();
  trickle.join();

  auto median = [](const std::vector<double>& t) { return t[t.size() / 2]; };
  std::printf("GET /overview, %d requests one after another, each on a new connection:\n",
              requests);
  std::printf("  alone                                    median %7.2f ms  worst %7.2f ms\n",
              median(quiet) * 1e3, quiet.back() * 1e3);
  std::printf("  with %d slow clients holding requests  median %7.2f ms  worst %7.2f ms   "
              "(target: worst < 1000 ms)\n",
              slow_clients, median(loaded) * 1e3, loaded.back() * 1e3);
  std::printf("  ratio alone / with slow clients (median) %7.2f\n", median(quiet) / median(loaded));
  std::printf("  jobmanager: %zu -> %zu threads, resident memory %.1f -> %.1f MB\n", threads_before,
              threads_loaded, static_cast<double>(memory_before) / 1e6,
              static_cast<double>(memory_loaded) / 1e6);
}

void print_times(const char* what, std::vector<double> times) {
  std::sort(times.begin(), times.end());
  std::printf("  %-58s median %6.3f s  worst %6.3f s   (target < 2 s)\n", what,
              times[times.size() / 2], times.back());
}

} // namespace

int main(int argc, char** argv) {
  auto opts =
    flinkcpp::bench::parse_bench_options("Cluster benchmarks: throughput across processes, "
                                         "recovery from a lost taskmanager",
                                         argc, argv);
  auto repeat = opts.repeat;
  throughput(opts.corpus, static_cast<double>(opts.megabytes), repeat);
  metrics_cost(opts.corpus, static_cast<double>(opts.megabytes), repeat);
  tls_cost(opts.corpus, static_cast<double>(opts.megabytes), repeat);
  rest_under_slow_clients(repeat);

  std::printf("recovery of a -p 2 job from a lost taskmanager, %d times each:\n", repeat);
  print_times("SIGKILL (connections drop), heartbeats 10 s / 50 s",
              recovery_times(SIGKILL, repeat, {"heartbeat.interval=10s", "heartbeat.timeout=50s"}));
  print_times(
    "SIGSTOP (heartbeats only), heartbeats 200 ms / 1 s",
    recovery_times(SIGSTOP, repeat, {"heartbeat.interval=200ms", "heartbeat.timeout=1s"}));
  std::printf("  (Flink's default heartbeat.timeout, 50 s, is how long a hung taskmanager goes "
              "unnoticed there)\n");
  return 0;
}
