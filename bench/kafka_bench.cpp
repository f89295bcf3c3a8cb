// Kafka -> job -> Kafka, against kcat piping the same records, same run.
//
//   bench_kafka [--records N] [--repeat N]
//
// N defaults to 200000: the mock cluster keeps at most 5 MB of each
// partition (it drops its oldest message sets beyond), so the input's
// records go to its partitions in turn and N stays below ~350000 (the
// count check reports a copy of a cut input).
//
// A mock Kafka cluster (librdkafka's, in this process) holds N records of
// ~100 bytes in 8 partitions. The baseline copies them with two kcat
// processes piped together (a consumer of the N records, to the end of the
// partitions, into a producer); the job is kafka_copy at -p 2 in the
// embedded mini-cluster (flink-cpp run -t local), exactly once with a
// checkpoint every second. Both write into a fresh topic of 8 partitions;
// each copy is checked to hold N records by its log end offsets. (kcat's
// producers get a queue for all N: with the default one, kcat drops what
// does not fit.) Prints kcat / job for wall time and for CPU time (the
// child processes': the brokers' work is this process's and counts in
// neither). Target: >= 1.0. Each runs --repeat times, alternating; the
// best wall and the best CPU time of each count.

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <librdkafka/rdkafka.h>

#include "support/kafka_cluster.hpp"
#include "support/process.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

struct cost {
  double wall = 0;
  double cpu = 0;
};

double children_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

/// Runs `args` and returns its cost; exits when it fails.
cost timed(const std::vector<std::string>& args) {
  auto started = clock_type::now();
  auto cpu = children_cpu_seconds();
  auto r = flinkcpp::testing::run_process(args);
  cost c{std::chrono::duration<double>(clock_type::now() - started).count(),
         children_cpu_seconds() - cpu};
  if (r.exit_code != 0) {
    std::fprintf(stderr, "%s failed (%d): %s\n", args.front().c_str(), r.exit_code, r.err.c_str());
    std::exit(1);
  }
  return c;
}

/// Writes `records` records of ~100 bytes to the topic "input", in turn to
/// each of its `partitions` (a producer's own choice may put most into one,
/// more than the mock keeps of a partition), and waits until every one is
/// acknowledged. Returns the failure, if any.
std::string load(const std::string& servers, long records, int partitions) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [key, value] :
       {std::pair<const char*, std::string>{"bootstrap.servers", servers},
        {"queue.buffering.max.messages", "1000000"},
        {"linger.ms", "20"}})
    if (rd_kafka_conf_set(conf, key, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK)
      return error;
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (producer == nullptr)
    return error;
  std::string failure;
  for (long i = 0; i < records && failure.empty(); ++i) {
    auto value =
      "record " + std::to_string(i) + " " + std::string(88 - std::to_string(i).size(), 'x');
    std::array<rd_kafka_vu_t, 4> fields{};
    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields[0].u.cstr = "input";
    fields[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[1].u.i = RD_KAFKA_MSG_F_COPY;
    fields[2].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[2].u.mem.ptr = value.data();
    fields[2].u.mem.size = value.size();
    fields[3].vtype = RD_KAFKA_VTYPE_PARTITION;
    fields[3].u.i32 = static_cast<std::int32_t>(i % partitions);
    for (;;) {
      rd_kafka_error_t* e = rd_kafka_produceva(producer, fields.data(), fields.size());
      if (e == nullptr)
        break;
      bool full = rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR__QUEUE_FULL;
      if (!full)
        failure = rd_kafka_error_string(e);
      rd_kafka_error_destroy(e);
      if (!full)
        break;
      rd_kafka_poll(producer, 10);
    }
  }
  if (failure.empty() && rd_kafka_flush(producer, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR)
    failure = "not every record was acknowledged within 2 minutes";
  rd_kafka_destroy(producer);
  return failure;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"Kafka -> job -> Kafka against kcat piping the same records"};
  long records = 200000;
  int repeat = 3;
  app.add_option("--records", records, "records to copy")->check(CLI::PositiveNumber);
  app.add_option("--repeat", repeat, "runs of each copy; the best counts")
    ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  flinkcpp::testing::kafka_cluster kafka;
  constexpr int partitions = 8;
  kafka.create_topic("input", partitions);
  if (auto loaded = load(kafka.bootstrap_servers(), records, partitions); !loaded.empty()) {
    std::fprintf(stderr, "cannot load the input: %s\n", loaded.c_str());
    return 1;
  }
  cost best_kcat;
  cost best_job;
  for (int round = 0; round < repeat; ++round) {
    auto kcat_topic = "kcat-" + std::to_string(round);
    auto job_topic = "job-" + std::to_string(round);
    kafka.create_topic(kcat_topic, partitions);
    kafka.create_topic(job_topic, partitions);
    auto k =
      timed({"/bin/sh", "-c",
             "kcat -C -b " + kafka.bootstrap_servers() + " -t input -o beginning -e -q -c " +
               std::to_string(records) + " | kcat -P -b " + kafka.bootstrap_servers() + " -t " +
               kcat_topic + " -X linger.ms=5 -X queue.buffering.max.messages=10000000"});
    auto j =
      timed({FLINKCPP_BINARY, "run", "-t", "local", "-p", "2", "-D",
             "execution.checkpointing.interval=1s", FLINKCPP_KAFKA_COPY_JOB, "--bootstrap-servers",
             kafka.bootstrap_servers(), "--input-topic", "input", "--output-topic", job_topic});
    for (const auto& topic : {kcat_topic, job_topic}) {
      auto copied = kafka.log_end_offsets(topic, partitions);
      if (copied != records) {
        std::fprintf(stderr, "%s holds %lld records, not %ld\n", topic.c_str(),
                     static_cast<long long>(copied), records);
        return 1;
      }
    }
    if (round == 0 || k.wall < best_kcat.wall)
      best_kcat.wall = k.wall;
    if (round == 0 || k.cpu < best_kcat.cpu)
      best_kcat.cpu = k.cpu;
    if (round == 0 || j.wall < best_job.wall)
      best_job.wall = j.wall;
    if (round == 0 || j.cpu < best_job.cpu)
      best_job.cpu = j.cpu;
  }
  std::printf("records: %ld\n", records);
  std::printf("kcat pipe: wall %.3f s, cpu %.3f s\n", best_kcat.wall, best_kcat.cpu);
  std::printf("job (exactly once, -p 2): wall %.3f s, cpu %.3f s\n", best_job.wall, best_job.cpu);
  std::printf("ratio kcat/job: wall %.2f, cpu %.2f (target >= 1.0)\n",
              best_kcat.wall / best_job.wall, best_kcat.cpu / best_job.cpu);
  return 0;
}
