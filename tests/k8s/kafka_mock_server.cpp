// A Kafka cluster in a pod, for the k8s tier's run of the kafka example:
// librdkafka's mock cluster (one broker, on the pod's loopback) behind the
// tests' Kafka proxy, which listens on every address of the pod and names
// the broker by a host clients in other pods resolve (a Service's name).
//
//   kafka_mock_server --host HOST --port PORT --topic NAME:PARTITIONS...
//                     --input TOPIC FILE --report TOPIC
//
// Creates the topics, writes each line of FILE as a record (no key) to the
// input topic, then, until SIGTERM or SIGINT, prints a line whenever what a
// read_committed consumer reads of the report topic changes:
//   committed TOPIC: N records: VALUE VALUE ...
// the last value of each key, in the order of the keys. Exits 2 on bad
// arguments, 1 if the cluster cannot start or the input cannot be written.

#include <array>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <librdkafka/rdkafka.h>

#include "support/kafka_cluster.hpp"
#include "support/kafka_transactions_proxy.hpp"

namespace {

volatile std::sig_atomic_t stopping = 0;

void stop(int) {
  stopping = 1;
}

/// Writes every line of `file` to `topic` at `servers`, one record each.
void produce_lines(const std::string& servers, const std::string& topic, const std::string& file) {
  std::ifstream in{file};
  if (!in)
    throw std::runtime_error("cannot read " + file);
  char error[512];
  auto* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", servers.c_str(), error, sizeof error);
  auto* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (producer == nullptr)
    throw std::runtime_error(std::string{"cannot create a producer: "} + error);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    std::array<rd_kafka_vu_t, 3> fields{};
    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields[0].u.cstr = topic.c_str();
    fields[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[1].u.i = RD_KAFKA_MSG_F_COPY;
    fields[2].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[2].u.mem.ptr = line.data();
    fields[2].u.mem.size = line.size();
    if (rd_kafka_error_t* e = rd_kafka_produceva(producer, fields.data(), fields.size())) {
      std::string what = rd_kafka_error_string(e);
      rd_kafka_error_destroy(e);
      rd_kafka_destroy(producer);
      throw std::runtime_error("cannot write to " + topic + ": " + what);
    }
    ++lines;
  }
  auto err = rd_kafka_flush(producer, 30000);
  rd_kafka_destroy(producer);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("cannot write to " + topic + ": " + rd_kafka_err2str(err));
  std::printf("wrote %d records to %s\n", lines, topic.c_str());
}

/// The report line for the committed records of `topic`.
std::string report(const flinkcpp::testing::kafka_transactions_proxy& proxy,
                   const std::string& topic) {
  auto records = proxy.read_committed(topic);
  std::map<std::string, std::string> last;
  for (const auto& r : records)
    last[r.key.value_or("")] = r.value.value_or("");
  std::string line = "committed " + topic + ": " + std::to_string(records.size()) + " records:";
  for (const auto& [key, value] : last)
    line += " " + value;
  return line;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"A mock Kafka cluster behind a proxy, for a pod"};
  std::string host;
  std::int32_t port = 9092;
  std::vector<std::string> topics;
  std::vector<std::string> input;
  std::string report_topic;
  app.add_option("--host", host, "The host clients reach the proxy at")->required();
  app.add_option("--port", port, "The proxy's port")->check(CLI::Range(1, 65535));
  app.add_option("--topic", topics, "A topic to create, NAME:PARTITIONS")->required();
  app.add_option("--input", input, "TOPIC FILE: each line of FILE a record of TOPIC")->expected(2);
  app.add_option("--report", report_topic, "The topic whose committed records are printed")
    ->required();
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGTERM, stop);
  std::signal(SIGINT, stop);
  try {
    flinkcpp::testing::kafka_cluster cluster;
    for (const auto& t : topics) {
      auto colon = t.rfind(':');
      if (colon == std::string::npos)
        throw std::invalid_argument("--topic " + t + ": expected NAME:PARTITIONS");
      cluster.create_topic(t.substr(0, colon), std::stoi(t.substr(colon + 1)));
    }
    if (!input.empty())
      produce_lines(cluster.bootstrap_servers(), input[0], input[1]);
    flinkcpp::testing::kafka_transactions_proxy proxy{cluster.bootstrap_servers(),
                                                      {"0.0.0.0", port, host}};
    std::printf("serving %s (the brokers: %s)\n", proxy.bootstrap_servers().c_str(),
                cluster.bootstrap_servers().c_str());
    std::fflush(stdout);
    std::string reported;
    while (stopping == 0) {
      auto now = report(proxy, report_topic);
      if (now != reported) {
        reported = now;
        std::printf("%s\n", now.c_str());
        for (const auto& p : proxy.problems())
          std::printf("proxy problem: %s\n", p.c_str());
        std::fflush(stdout);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{200});
    }
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "kafka_mock_server: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kafka_mock_server: %s\n", e.what());
    return 1;
  }
  return 0;
}
