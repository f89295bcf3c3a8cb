// The Kafka sink against a mock Kafka cluster speaking the wire protocol,
// what it wrote read back by kcat: records reach their topics and
// partitions (a topic selector, keys, a partitioner); the transaction
// coordinator client fences transactional ids and commits a transaction a
// producer that is gone pre-committed, as a restored exactly-once sink
// does; request errors and a broker down and back lose and repeat nothing;
// bad settings and unreachable brokers fail saying so.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "connectors/kafka/transaction_coordinator.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/kafka_sink.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "support/inline_io.hpp"
#include "support/kafka_cluster.hpp"
#include "support/kafka_transactions_proxy.hpp"
#include "support/local_job.hpp"
#include "support/process.hpp"
#include "support/wait.hpp"

using namespace flinkcpp;
using flinkcpp::testing::kafka_cluster;
using flinkcpp::testing::run_flink_cpp;
using flinkcpp::testing::run_job;

namespace {

job_settings with(int parallelism) {
  return testing::job_settings_of("kafka-sink", parallelism);
}

/// A serializer writing each number as its value to `topic`.
kafka_record_serializer_builder<std::int64_t> numbers_to(const std::string& topic) {
  auto b = kafka_record_serializer<std::int64_t>::builder();
  b.set_topic(topic).set_value_serializer([](const std::int64_t& n) { return std::to_string(n); });
  return b;
}

/// Runs a job writing 0..n-1 to `sink` at `parallelism`; the failure, if any.
std::string write_numbers(const kafka_sink<std::int64_t>& sink, std::int64_t n, int parallelism) {
  auto r = run_job([&](stream_environment& env) { env.from_sequence(0, n - 1).sink_to(sink); },
                   with(parallelism));
  return r.status == job_status::finished ? std::string{} : "failed: " + r.failure;
}

std::vector<std::string> numbers(std::int64_t from, std::int64_t to) {
  std::vector<std::string> out;
  for (auto i = from; i < to; ++i)
    out.push_back(std::to_string(i));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// The context of a writer of subtask 0 of 1 whose blocking work runs at
/// once, on the caller's thread.
struct inline_writer_context final : sink_writer_context {
  int subtask_index() const override { return 0; }
  int parallelism() const override { return 1; }
  int attempt_number() const override { return 0; }
  bool checkpointing() const override { return true; }
  std::function<void()> waker() const override {
    return [] {};
  }
  spi::io_executor& io() override { return io_executor; }
  const spi::processing_clock& clock() const override { return spi::processing_clock::system(); }
  metric_group& metrics() override { return group; }

  testing::inline_io io_executor;
  metric_group group;
};

/// The message `f` throws as std::invalid_argument; empty if it does not.
template <class F>
std::string refusal(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(kafka_sinks)

BOOST_AUTO_TEST_CASE(every_record_reaches_the_topic_with_each_delivery_guarantee) {
  kafka_cluster kafka;
  for (auto guarantee : {delivery_guarantee::none, delivery_guarantee::at_least_once}) {
    auto topic = guarantee == delivery_guarantee::none ? "none" : "at-least-once";
    kafka.create_topic(topic, 4);
    auto sink = kafka_sink<std::int64_t>::builder()
                  .set_bootstrap_servers(kafka.bootstrap_servers())
                  .set_record_serializer(numbers_to(topic).build())
                  .set_delivery_guarantee(guarantee)
                  .build();
    BOOST_TEST(write_numbers(sink, 2000, 2) == "");
    BOOST_TEST(sorted(kafka.consume(topic)) == numbers(0, 2000), topic);
  }
}

BOOST_AUTO_TEST_CASE(produce_errors_the_broker_answers_are_retried_without_duplicates) {
  // Produce requests (api key 0) answered with retriable errors: the
  // idempotent producer of an at-least-once sink sends them again, and the
  // broker keeps each record once.
  kafka_cluster kafka;
  kafka.create_topic("retried", 2);
  kafka.fail_requests(0,
                      {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                       RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS});
  auto sink = kafka_sink<std::int64_t>::builder()
                .set_bootstrap_servers(kafka.bootstrap_servers())
                .set_record_serializer(numbers_to("retried").build())
                .set_delivery_guarantee(delivery_guarantee::at_least_once)
                .build();
  BOOST_TEST(write_numbers(sink, 1000, 2) == "");
  BOOST_TEST(sorted(kafka.consume("retried")) == numbers(0, 1000));
}

BOOST_AUTO_TEST_CASE(exactly_once_records_are_read_committed_once_their_checkpoint_completed) {
  // Through a proxy that reads what a read_committed consumer would: every
  // record of an exactly-once sink in a transaction, visible once committed,
  // each once; an at-least-once sink's records outside transactions.
  kafka_cluster kafka;
  kafka.create_topic("eo", 4);
  kafka.create_topic("alo", 4);
  testing::kafka_transactions_proxy proxy{kafka};
  for (auto guarantee : {delivery_guarantee::exactly_once, delivery_guarantee::at_least_once}) {
    auto topic = guarantee == delivery_guarantee::exactly_once ? "eo" : "alo";
    auto sink = kafka_sink<std::int64_t>::builder()
                  .set_bootstrap_servers(proxy.bootstrap_servers())
                  .set_record_serializer(numbers_to(topic).build())
                  .set_delivery_guarantee(guarantee)
                  .set_transactional_id_prefix("read-committed")
                  .build();
    BOOST_TEST(write_numbers(sink, 3000, 2) == "");
    std::vector<std::string> values;
    for (const auto& r : proxy.read_committed(topic))
      values.push_back(r.value.value_or("(null)"));
    BOOST_TEST(sorted(values) == numbers(0, 3000), topic);
  }
  BOOST_TEST(proxy.committed_transactions() >= 1);
  BOOST_TEST(proxy.problems() == std::vector<std::string>{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_broker_down_and_back_loses_repeats_and_reorders_nothing) {
  // One writer into one partition, at least once, while the broker goes
  // down and comes back: the job goes on, the producer keeps what it could
  // not deliver and sends it once the broker is back, so the partition holds
  // exactly 0, 1, 2, ... up to where the job stopped.
  kafka_cluster kafka;
  kafka.create_topic("steady", 1);
  auto sink = kafka_sink<std::int64_t>::builder()
                .set_bootstrap_servers(kafka.bootstrap_servers())
                .set_record_serializer(numbers_to("steady").build())
                .set_delivery_guarantee(delivery_guarantee::at_least_once)
                .build();
  auto graph = testing::build_graph(
    [&](stream_environment& env) {
      env.datagen([](std::int64_t i) { return i; }, stream_environment::unbounded, 2000)
        .sink_to(sink);
    },
    with(1));
  testing::background_job job{graph};
  auto delivered = [&] { return kafka.consume("steady").size(); };
  bool started = testing::wait_until([&] { return delivered() >= 200; });
  bool resumed = false;
  if (started) {
    BOOST_TEST(kafka.bounce_broker(1));
    auto before = delivered();
    resumed = testing::wait_until([&] { return delivered() >= before + 500; });
  }
  auto result = job.cancel();
  BOOST_TEST(started);
  BOOST_TEST(resumed);
  BOOST_TEST((result.status == job_status::canceled), result.failure);
  auto got = kafka.consume("steady");
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < got.size(); ++i)
    expected.push_back(std::to_string(i));
  BOOST_TEST(got == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(keys_a_topic_selector_and_a_partitioner_place_each_record) {
  kafka_cluster kafka;
  kafka.create_topic("even", 3);
  kafka.create_topic("odd", 3);
  auto serializer =
    numbers_to("unused")
      .set_topic_selector([](const std::int64_t& n) { return n % 2 == 0 ? "even" : "odd"; })
      .set_key_serializer([](const std::int64_t& n) { return "k" + std::to_string(n % 5); })
      .set_partitioner([](const std::int64_t& n, const std::optional<std::string>& key,
                          const std::optional<std::string>&, const std::string&,
                          std::int32_t partitions, int, int) {
        BOOST_REQUIRE(key.has_value());
        return static_cast<std::int32_t>(n % partitions);
      })
      .build();
  auto sink = kafka_sink<std::int64_t>::builder()
                .set_bootstrap_servers(kafka.bootstrap_servers())
                .set_record_serializer(serializer)
                .set_delivery_guarantee(delivery_guarantee::at_least_once)
                .build();
  BOOST_TEST(write_numbers(sink, 300, 2) == "");
  std::map<std::string, std::vector<std::string>> by_topic;
  for (const auto* topic : {"even", "odd"}) {
    for (const auto& line : kafka.consume(topic, "%k %s %p")) {
      auto first = line.find(' ');
      auto second = line.rfind(' ');
      auto key = line.substr(0, first);
      auto n = std::stoll(line.substr(first + 1, second - first - 1));
      auto partition = std::stoll(line.substr(second + 1));
      BOOST_TEST(key == "k" + std::to_string(n % 5));
      BOOST_TEST(partition == n % 3);
      BOOST_TEST((n % 2 == 0) == (std::string{topic} == "even"));
      by_topic[topic].push_back(std::to_string(n));
    }
  }
  auto all = by_topic["even"];
  all.insert(all.end(), by_topic["odd"].begin(), by_topic["odd"].end());
  BOOST_TEST(sorted(all) == numbers(0, 300));
}

BOOST_AUTO_TEST_CASE(kafka_wordcount_counts_a_bounded_topic_with_each_delivery_guarantee) {
  kafka_cluster kafka;
  kafka.create_topic("lines", 8);
  for (int p = 0; p < 8; ++p)
    kafka.produce("lines", p, {"To be, or NOT to be", "that is the question", "to be"});
  // Each run in a group of its own: a group's committed offsets are where
  // the next job of the group starts.
  for (const auto* delivery : {"exactly-once", "at-least-once", "none"}) {
    auto output = std::string{"counts-"} + delivery;
    kafka.create_topic(output, 3);
    auto r =
      run_flink_cpp({"run", "-t", "local", "-p", "2", "-D", "execution.checkpointing.interval=20ms",
                     "kafka-wordcount", "--bootstrap-servers", kafka.bootstrap_servers(),
                     "--input-topic", "lines", "--output-topic", output, "--delivery", delivery,
                     "--group-id", output, "--bounded"});
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    // Every update, keyed by its word: the last of each word is its total.
    std::map<std::string, std::string> last;
    std::size_t updates = 0;
    for (const auto& record : kafka.consume(output, "%k %s")) {
      auto space = record.find(' ');
      last[record.substr(0, space)] = record.substr(space + 1);
      ++updates;
    }
    BOOST_TEST(updates == 8u * 12u, delivery);
    BOOST_TEST((last == std::map<std::string, std::string>{{"to", "(to,24)"},
                                                           {"be", "(be,24)"},
                                                           {"or", "(or,8)"},
                                                           {"not", "(not,8)"},
                                                           {"that", "(that,8)"},
                                                           {"is", "(is,8)"},
                                                           {"the", "(the,8)"},
                                                           {"question", "(question,8)"}}),
               delivery << ": " << [&] {
                 std::string all;
                 for (const auto& [word, value] : last)
                   all += word + "=" + value + " ";
                 return all;
               }());
  }
  auto bad = run_flink_cpp({"run", "-t", "local", "kafka-wordcount", "--bootstrap-servers",
                            kafka.bootstrap_servers(), "--input-topic", "lines", "--output-topic",
                            "x", "--delivery", "twice"});
  BOOST_TEST(bad.exit_code == 1);
  BOOST_TEST(
    bad.err.find("--delivery: expected exactly-once, at-least-once or none, got 'twice'") !=
      std::string::npos,
    bad.err);
}

BOOST_AUTO_TEST_CASE(the_coordinator_fences_transactional_ids_and_commits_what_others_began) {
  kafka_cluster kafka;
  kafka.create_topic("txn", 1);
  kafka::transaction_coordinator coordinator{kafka.bootstrap_servers(), std::chrono::seconds{10},
                                             std::chrono::minutes{1}};
  // A never used id gets epoch 0. (The mock hands out a new producer id
  // each time instead of bumping the epoch, as Kafka does.)
  auto first = coordinator.init_producer_id("probe-0-0");
  BOOST_TEST(first.epoch == 0);
  auto again = coordinator.init_producer_id("probe-0-0");
  BOOST_TEST((again.id != first.id || again.epoch > first.epoch));
  // A transaction of a producer that is gone commits through the
  // coordinator with its id and epoch, and only with those.
  BOOST_TEST(coordinator.end_transaction("probe-0-0", again, true) ==
             kafka::transaction_coordinator::none);
  BOOST_TEST(coordinator.end_transaction("probe-0-0", {again.id, 7}, true) !=
             kafka::transaction_coordinator::none);
}

BOOST_AUTO_TEST_CASE(unreachable_coordinators_fail_naming_the_servers) {
  kafka::transaction_coordinator coordinator{"127.0.0.1:1", std::chrono::milliseconds{300},
                                             std::chrono::minutes{1}};
  BOOST_CHECK_EXCEPTION(coordinator.init_producer_id("x-0-0"), std::runtime_error,
                        [](const std::runtime_error& e) {
                          std::string what = e.what();
                          return what.find("the transaction coordinator of 'x-0-0' (via "
                                           "127.0.0.1:1) did not answer within 300 ms") == 0;
                        });
}

BOOST_AUTO_TEST_CASE(records_brokers_never_take_fail_the_job_naming_the_topic) {
  auto sink = kafka_sink<std::int64_t>::builder()
                .set_bootstrap_servers("127.0.0.1:1")
                .set_record_serializer(numbers_to("nowhere").build())
                .set_delivery_guarantee(delivery_guarantee::at_least_once)
                .set_property("message.timeout.ms", "500")
                .build();
  auto failure = write_numbers(sink, 10, 1);
  BOOST_TEST(failure.find("cannot write a record to Kafka topic 'nowhere'") != std::string::npos,
             failure);
}

BOOST_AUTO_TEST_CASE(a_barrier_after_a_record_the_brokers_refused_never_becomes_durable) {
  // A failed delivery fails the job, and the barrier's flush must not hold
  // before it does: a checkpoint completed then would commit a transaction
  // (or count output) without that record.
  kafka_sink_settings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.guarantee = delivery_guarantee::at_least_once;
  settings.api_timeout = std::chrono::milliseconds{300};
  settings.properties["message.timeout.ms"] = "300";
  inline_writer_context context;
  detail::kafka_producer_writer writer{settings, context, {}, std::string{"nowhere"}};
  BOOST_TEST_REQUIRE(writer.ready());
  kafka_producer_record record;
  record.topic = "nowhere";
  record.value = "1";
  writer.produce(record);
  auto durable = writer.flush(false);
  BOOST_TEST_REQUIRE(static_cast<bool>(durable));
  std::string failure;
  while (failure.empty()) { // until librdkafka gives the record up (message.timeout.ms)
    writer.ready();
    try {
      writer.check();
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  BOOST_TEST(failure.find("cannot write a record to Kafka topic 'nowhere'") != std::string::npos,
             failure);
  BOOST_TEST(!durable());
  writer.abort();
}

BOOST_AUTO_TEST_CASE(each_new_producer_looks_up_the_topics_the_writer_writes_to) {
  // librdkafka learns the partitions of a topic it was not asked about on
  // its next topic scan, up to a second after the first record to it: a
  // writer's producers look up the serializer's topic as they start, and a
  // transaction's producer also the topics the transaction before wrote to.
  kafka_cluster kafka;
  kafka.create_topic("named", 5);
  kafka.create_topic("selected", 3);
  for (auto guarantee : {delivery_guarantee::at_least_once, delivery_guarantee::exactly_once}) {
    kafka_sink_settings settings;
    settings.bootstrap_servers = kafka.bootstrap_servers();
    settings.guarantee = guarantee;
    settings.transactional_id_prefix = "look-up";
    inline_writer_context context;
    detail::kafka_producer_writer writer{settings, context, {}, std::string{"named"}};
    BOOST_TEST_REQUIRE(writer.ready());
    BOOST_TEST(writer.partitions_of("named").value_or(-1) == 5);
    if (guarantee != delivery_guarantee::exactly_once) {
      writer.abort();
      continue;
    }
    kafka_producer_record record;
    record.topic = "selected";
    record.value = "1";
    writer.produce(record);
    // The barrier: the next transaction's producer takes over. One that
    // comes before the producer's statistics told its id is declined (the
    // next checkpoint's is taken); the writer's ready() serves them.
    bool taken = false;
    while (!taken) {
      try {
        writer.flush(false);
        taken = true;
      } catch (const spi::snapshot_declined& declined) {
        BOOST_TEST(std::string{declined.what()}.find("has not reported its id yet") !=
                   std::string::npos);
        writer.ready();
      }
    }
    BOOST_TEST(writer.partitions_of("selected").value_or(-1) == 3);
    writer.check();
    writer.abort();
  }
}

BOOST_AUTO_TEST_CASE(bad_settings_are_refused_saying_what_is_wrong) {
  auto serializer = numbers_to("t").build();
  BOOST_TEST(refusal([&] {
               kafka_sink<std::int64_t>::builder().set_record_serializer(serializer).build();
             }) == "Kafka sink: no bootstrap servers set (set_bootstrap_servers)");
  BOOST_TEST(refusal([&] {
               kafka_sink<std::int64_t>::builder().set_bootstrap_servers("b:9092").build();
             }) == "Kafka sink: no record serializer: call set_record_serializer");
  BOOST_TEST(refusal([&] {
               kafka_sink<std::int64_t>::builder()
                 .set_bootstrap_servers("b:9092")
                 .set_record_serializer(serializer)
                 .set_delivery_guarantee(delivery_guarantee::exactly_once)
                 .build();
             }) == "Kafka sink: exactly-once delivery needs a transactional id prefix "
                   "(set_transactional_id_prefix), unique to the job");
  BOOST_TEST(refusal([&] {
               kafka_sink<std::int64_t>::builder()
                 .set_bootstrap_servers("b:9092")
                 .set_record_serializer(serializer)
                 .set_property("linger.ms", "soon")
                 .build();
             }).find("Kafka client property 'linger.ms' = 'soon' is refused") == 0);
  BOOST_TEST(refusal([&] {
               kafka_sink<std::int64_t>::builder().set_property("transaction.timeout.ms", "-1");
             }) == "Kafka sink property 'transaction.timeout.ms' must be a positive number of "
                   "milliseconds, got '-1'");
  BOOST_TEST(refusal([] { kafka_record_serializer<int>::builder().build(); }) ==
             "Kafka record serializer: no topic: call set_topic or set_topic_selector");
}

BOOST_AUTO_TEST_SUITE_END()
