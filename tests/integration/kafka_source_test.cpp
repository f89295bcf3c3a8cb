// The Kafka source end to end in the embedded mini-cluster, against a mock
// Kafka cluster speaking the wire protocol, records written by kcat: a
// bounded read is exact at any parallelism; an unbounded one picks up the
// partitions of topics created while it runs; bad settings, unreachable
// brokers, missing topics and unreadable records fail the job saying so,
// or are skipped when asked.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <librdkafka/rdkafka.h>

#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "support/inline_io.hpp"
#include "support/kafka_cluster.hpp"
#include "support/local_job.hpp"
#include "support/manual_clock.hpp"
#include "support/process.hpp"
#include "support/wait.hpp"

using namespace flinkcpp;
using flinkcpp::testing::kafka_cluster;
using flinkcpp::testing::run_job;

namespace {

job_settings with(int parallelism) {
  return testing::job_settings_of("kafka", parallelism);
}

/// A source of the values of `topics` as strings.
kafka_source_builder<std::string> strings_of(const kafka_cluster& kafka,
                                             std::vector<std::string> topics) {
  auto builder = kafka_source<std::string>::builder();
  builder.set_bootstrap_servers(kafka.bootstrap_servers())
    .set_topics(std::move(topics))
    .set_value_only_deserializer([](std::string_view v) { return std::string{v}; });
  return builder;
}

/// Lines "p<partition>-<i>" for i in 0..n-1.
std::vector<std::string> values(int partition, int n) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    out.push_back("p" + std::to_string(partition) + "-" + std::to_string(i));
  return out;
}

/// Tags each line with whether it has an event time.
struct event_time_tag final : process_function<std::string, std::string> {
  void process_element(const std::string& line, context& ctx,
                       collector<std::string>& out) override {
    out.collect(line + (ctx.timestamp() > 0 ? " timed" : " untimed"));
  }
};

/// What the sinks of a job got, from every subtask.
struct received {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::string> items;

  auto sink() {
    return [this](const std::string& x) {
      std::lock_guard<std::mutex> guard{mutex};
      items.push_back(x);
      arrived.notify_all();
    };
  }
  /// Waits (a minute at most) until `n` arrived; false if they did not.
  bool wait_for(std::size_t n) {
    std::unique_lock<std::mutex> lock{mutex};
    return arrived.wait_for(lock, std::chrono::minutes{1}, [&] { return items.size() >= n; });
  }
  std::vector<std::string> sorted() {
    std::lock_guard<std::mutex> guard{mutex};
    auto copy = items;
    std::sort(copy.begin(), copy.end());
    return copy;
  }
};

/// The records a job reading `source` to its end at `parallelism` got, sorted.
std::vector<std::string> read_to_end(const kafka_source<std::string>& source, int parallelism) {
  received out;
  auto r = run_job(
    [&](stream_environment& env) {
      env.from_source(source, watermark_strategy<std::string>::no_watermarks(), "Kafka")
        .add_sink(out.sink());
    },
    with(parallelism));
  BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
  return out.sorted();
}

/// Why a job reading `source` failed.
std::string failure_reading(const kafka_source<std::string>& source) {
  auto r = run_job(
    [&](stream_environment& env) {
      env.from_source(source, watermark_strategy<std::string>::no_watermarks(), "Kafka").discard();
    },
    with(1));
  BOOST_TEST((r.status == job_status::failed));
  return r.failure;
}

/// The context of a reader run by a test alone (no job): subtask 0 of 1,
/// I/O run inline, a manual clock, its own metric group.
struct lone_reader_context final : source_reader_context {
  testing::inline_io io_executor;
  testing::manual_clock manual_clock;
  metric_group group;
  int subtask_index() const override { return 0; }
  int parallelism() const override { return 1; }
  void send_split_request() override {}
  std::function<void()> waker() const override {
    return [] {};
  }
  spi::io_executor& io() override { return io_executor; }
  const spi::processing_clock& clock() const override { return manual_clock; }
  metric_group& metrics() override { return group; }
  /// The value of metric `name` of the group, -2 if it has none.
  double metric(const std::string& name) const {
    for (const auto& m : group.read(0))
      if (m.name == name)
        return m.value;
    return -2;
  }
};

/// Keeps what a lone reader emits, whatever its split.
template <class T>
struct kept_records final : reader_output<T> {
  std::vector<T> records;
  void collect(T r) override { records.push_back(std::move(r)); }
  void collect(T r, std::int64_t) override { records.push_back(std::move(r)); }
  void emit_watermark(std::int64_t) override {}
  void mark_idle() override {}
  void mark_active() override {}
  source_output<T>& output_for_split(const std::string&) override { return *this; }
  void release_output_for_split(const std::string&) override {}
};

} // namespace

BOOST_AUTO_TEST_SUITE(kafka_sources)

BOOST_AUTO_TEST_CASE(a_bounded_read_of_8_partitions_is_exact_at_parallelism_1_and_4) {
  kafka_cluster kafka;
  kafka.create_topic("input", 8);
  std::vector<std::string> expected;
  for (int p = 0; p < 8; ++p) {
    auto v = values(p, 50 + p * 10);
    kafka.produce("input", p, v);
    expected.insert(expected.end(), v.begin(), v.end());
  }
  std::sort(expected.begin(), expected.end());
  auto source =
    strings_of(kafka, {"input"}).set_group_id("bounded").set_bounded(offsets_initializer::latest());
  for (int parallelism : {1, 4})
    BOOST_TEST_CONTEXT("-p " << parallelism) {
      BOOST_TEST(read_to_end(source.build(), parallelism) == expected);
    }
}

BOOST_AUTO_TEST_CASE(an_unbounded_read_picks_up_partitions_that_appear_while_it_runs) {
  // Topics matching the pattern are partitions to discover: those of a
  // topic created while the job runs are read from their start.
  kafka_cluster kafka;
  kafka.create_topic("events-a", 2);
  kafka.produce("events-a", 0, values(0, 3));
  kafka.produce("events-a", 1, values(1, 2));
  received out;
  auto graph = testing::build_graph(
    [&](stream_environment& env) {
      auto source =
        kafka_source<std::string>::builder()
          .set_bootstrap_servers(kafka.bootstrap_servers())
          .set_topic_pattern("events-.*")
          .set_property("partition.discovery.interval.ms", "50")
          .set_value_only_deserializer([](std::string_view v) { return "v:" + std::string{v}; })
          .build();
      env.from_source(source, watermark_strategy<std::string>::no_watermarks(), "Kafka")
        .add_sink(out.sink());
    },
    with(2));
  testing::background_job job{graph};
  bool first = out.wait_for(5);
  if (first) {
    kafka.create_topic("events-b", 3);
    kafka.produce("events-b", 2, values(2, 4));
    kafka.produce("events-a", 0, {"late"});
  }
  bool second = first && out.wait_for(10);
  auto result = job.cancel();
  BOOST_TEST(first);
  BOOST_TEST(second);
  BOOST_TEST((result.status == job_status::canceled), result.failure);
  std::vector<std::string> expected{"v:late"};
  for (int p = 0; p < 3; ++p)
    for (const auto& v : values(p, std::vector<int>{3, 2, 4}[static_cast<std::size_t>(p)]))
      expected.push_back("v:" + v);
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(out.sorted() == expected);
}

BOOST_AUTO_TEST_CASE(each_starting_offset_starts_where_flink_starts) {
  kafka_cluster kafka;
  kafka.create_topic("input", 1);
  kafka.produce("input", 0, values(0, 10));
  kafka.commit("readers", "input", 0, 4);
  auto read = [&](offsets_initializer starting, const std::string& group) {
    auto builder = strings_of(kafka, {"input"});
    builder.set_starting_offsets(std::move(starting)).set_bounded(offsets_initializer::latest());
    if (!group.empty())
      builder.set_group_id(group);
    return read_to_end(builder.build(), 1);
  };
  auto from = [](int first) {
    std::vector<std::string> v;
    for (int i = first; i < 10; ++i)
      v.push_back("p0-" + std::to_string(i));
    std::sort(v.begin(), v.end());
    return v;
  };
  BOOST_TEST(read(offsets_initializer::earliest(), "") == from(0));
  BOOST_TEST(read(offsets_initializer::latest(), "").empty());
  BOOST_TEST(read(offsets_initializer::committed_offsets(), "readers") == from(4));
  BOOST_TEST(read(offsets_initializer::committed_offsets(offset_reset::earliest), "others") ==
             from(0));
  BOOST_TEST(read(offsets_initializer::specific({{{"input", 0}, 7}}), "") == from(7));
  // (timestamp(ms) is not checked here: librdkafka's mock brokers answer
  // no offset for any timestamp.)

  auto none = failure_reading(strings_of(kafka, {"input"})
                                .set_group_id("others")
                                .set_starting_offsets(offsets_initializer::committed_offsets())
                                .build());
  BOOST_TEST(none.find("no starting offset for Kafka topic 'input', partition 0 (group "
                       "'others' committed none)") != std::string::npos,
             none);
}

BOOST_AUTO_TEST_CASE(a_record_deserializer_sees_key_value_headers_timestamp_and_position) {
  kafka_cluster kafka;
  kafka.create_topic("keyed", 1);
  kafka.produce("keyed", 0, {"k1:v1", "k2:v2"}, {"-K", ":", "-H", "origin=test"});
  received out;
  auto r = run_job(
    [&](stream_environment& env) {
      auto source =
        kafka_source<std::string>::builder()
          .set_bootstrap_servers(kafka.bootstrap_servers())
          .set_topics({"keyed"})
          .set_bounded(offsets_initializer::latest())
          .set_deserializer(kafka_record_deserializer<std::string>::of(
            [](const kafka_record& rec, collector<std::string>& emit) {
              std::string headers;
              for (const auto& h : rec.headers())
                headers += std::string{h.key} + "=" + std::string{h.value.value_or("null")};
              emit.collect(std::string{rec.topic} + "/" + std::to_string(rec.partition) + "/" +
                           std::to_string(rec.offset) + " " + std::string{rec.key.value_or("-")} +
                           " " + std::string{rec.value.value_or("-")} + " " + headers + " " +
                           (rec.timestamp > 0 ? "stamped" : "unstamped"));
            }))
          .build();
      // The Kafka timestamp is the record's event time.
      env.from_source(source, watermark_strategy<std::string>::no_watermarks(), "K")
        .process(event_time_tag{})
        .add_sink(out.sink());
    },
    with(1));
  BOOST_TEST_REQUIRE((r.status == job_status::finished), r.failure);
  BOOST_TEST(out.sorted() ==
             (std::vector<std::string>{"keyed/0/0 k1 v1 origin=test stamped timed",
                                       "keyed/0/1 k2 v2 origin=test stamped timed"}));
}

BOOST_AUTO_TEST_CASE(a_read_survives_request_errors_and_a_broker_down_and_back) {
  kafka_cluster kafka;
  kafka.create_topic("input", 4);
  std::vector<std::string> expected;
  for (int p = 0; p < 4; ++p) {
    auto v = values(p, 20);
    kafka.produce("input", p, v);
    expected.insert(expected.end(), v.begin(), v.end());
  }
  // Errors a client retries, on the enumerator's requests (metadata, list
  // offsets) and the readers' fetches.
  kafka.fail_requests(3, {RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR__TRANSPORT});
  kafka.fail_requests(
    2, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  kafka.fail_requests(1, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR__TRANSPORT,
                          RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  received out;
  auto graph = testing::build_graph(
    [&](stream_environment& env) {
      env
        .from_source(strings_of(kafka, {"input"})
                       .set_property("partition.discovery.interval.ms", "50")
                       .build(),
                     watermark_strategy<std::string>::no_watermarks(), "Kafka")
        .add_sink(out.sink());
    },
    with(2));
  testing::background_job job{graph};
  bool first = out.wait_for(expected.size());
  bool second = false;
  if (first) {
    // The job's clients and its discovery meanwhile find no broker.
    BOOST_TEST(kafka.bounce_broker(1));
    auto more = values(9, 5);
    kafka.produce("input", 3, more);
    expected.insert(expected.end(), more.begin(), more.end());
    second = out.wait_for(expected.size());
  }
  auto result = job.cancel();
  BOOST_TEST(first);
  BOOST_TEST(second);
  BOOST_TEST((result.status == job_status::canceled), result.failure);
  std::sort(expected.begin(), expected.end());
  BOOST_TEST(out.sorted() == expected);
}

BOOST_AUTO_TEST_CASE(a_reader_reports_flinks_kafka_metrics_and_counts_what_it_skips) {
  // One reader alone (no job): its metric group holds Flink's KafkaSourceReader
  // metrics, the standard numRecordsInErrors, and Kafka's records-lag-max.
  kafka_cluster kafka;
  kafka.create_topic("m", 1);
  kafka.produce("m", 0, {"1", "x", "3"});
  lone_reader_context context;
  kept_records<std::int64_t> out;
  auto source = kafka_source<std::int64_t>::builder()
                  .set_bootstrap_servers(kafka.bootstrap_servers())
                  .set_topics({"m"})
                  .set_group_id("metrics")
                  .set_skip_unreadable_records(true)
                  .set_property("statistics.interval.ms", "100")
                  .set_value_only_deserializer([](std::string_view v) -> std::int64_t {
                    if (v != "1" && v != "3")
                      throw std::invalid_argument("not a number");
                    return v == "1" ? 1 : 3;
                  })
                  .build();
  auto reader = source.create_reader(context);
  reader->add_splits({kafka_partition_split{"m", 0, 0, 3}});
  reader->notify_no_more_splits();
  const std::string partition = "KafkaSourceReader.topic.m.partition.0.";
  BOOST_TEST(context.metric(partition + "currentOffset") == -1); // nothing read yet
  BOOST_TEST(
    testing::wait_until([&] { return reader->poll_next(out, 100) == input_status::end_of_input; }));
  BOOST_TEST(out.records == (std::vector<std::int64_t>{1, 3}));
  BOOST_TEST(context.metric("numRecordsInErrors") == 1);
  BOOST_TEST(context.metric(partition + "currentOffset") == 2);
  reader->snapshot_state(checkpoint_id{1});
  BOOST_TEST(context.metric(partition + "committedOffset") == -1);
  reader->notify_checkpoint_complete(checkpoint_id{1});
  // The commit's answer comes back through the reader's polls.
  BOOST_TEST(testing::wait_until([&] {
    reader->poll_next(out, 100);
    return context.metric(partition + "committedOffset") == 3;
  }));
  BOOST_TEST(kafka.committed("metrics", "m", 1) == 3);
  BOOST_TEST(testing::wait_until([&] {
    reader->poll_next(out, 100);
    return context.metric("KafkaSourceReader.KafkaConsumer.records-lag-max") >= 0;
  }));
  reader->close();
}

BOOST_AUTO_TEST_CASE(a_reader_whose_brokers_are_gone_still_closes) {
  // A reader with an offset commit its brokers will never answer (they went
  // down after it read): librdkafka's own close waits for them, and a
  // subtask blocked in it would hold a scheduler thread for as long (a
  // taskmanager stuck, deaf to SIGTERM). The reader's close ends anyway.
  kafka_cluster kafka;
  kafka.create_topic("gone", 1);
  kafka.produce("gone", 0, {"a", "b"});
  lone_reader_context context;
  kept_records<std::string> out;
  auto source = strings_of(kafka, {"gone"}).set_group_id("gone").build();
  auto reader = source.create_reader(context);
  reader->add_splits(
    {kafka_partition_split{"gone", 0, 0, kafka_partition_split::no_stopping_offset}});
  BOOST_TEST(testing::wait_until([&] {
    reader->poll_next(out, 100);
    return out.records.size() == 2;
  }));
  kafka.set_broker_up(1, false);
  reader->snapshot_state(checkpoint_id{1});
  reader->notify_checkpoint_complete(checkpoint_id{1}); // a commit nobody answers
  auto closed = std::async(std::launch::async, [&] { reader->close(); });
  BOOST_TEST((closed.wait_for(std::chrono::minutes{1}) == std::future_status::ready),
             "the reader's close is still waiting for the brokers");
  kafka.set_broker_up(1, true); // the abandoned close ends too
}

BOOST_AUTO_TEST_CASE(settings_that_cannot_work_are_refused_when_building) {
  kafka_cluster kafka;
  auto message = [](auto build) {
    try {
      build();
    } catch (const std::invalid_argument& e) {
      return std::string{e.what()};
    }
    return std::string{"(built)"};
  };
  BOOST_TEST(message([&] { strings_of(kafka, {}).build(); }).find("set either topics") !=
             std::string::npos);
  BOOST_TEST(message([&] {
               kafka_source<std::string>::builder().set_topics({"t"}).build();
             }).find("no deserializer") != std::string::npos);
  BOOST_TEST(message([&] {
               kafka_source<std::string>::builder()
                 .set_topics({"t"})
                 .set_value_only_deserializer([](std::string_view v) { return std::string{v}; })
                 .build();
             }).find("no bootstrap servers") != std::string::npos);
  BOOST_TEST(message([&] {
               strings_of(kafka, {"t"}).set_property("no.such.property", "1").build();
             }).find("'no.such.property'") != std::string::npos);
  BOOST_TEST(message([&] {
               strings_of(kafka, {"t"})
                 .set_starting_offsets(offsets_initializer::committed_offsets())
                 .build();
             }).find("need a group id") != std::string::npos);
  BOOST_TEST(message([&] {
               strings_of(kafka, {"t"}).set_property("partition.discovery.interval.ms", "soon");
             }).find("must be milliseconds") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unreachable_brokers_and_missing_topics_fail_the_job_naming_them) {
  kafka_cluster kafka;
  auto unreachable = failure_reading(
    kafka_source<std::string>::builder()
      .set_bootstrap_servers("127.0.0.1:1")
      .set_topics({"input"})
      .set_property("default.api.timeout.ms", "1500")
      .set_value_only_deserializer([](std::string_view v) { return std::string{v}; })
      .build());
  BOOST_TEST(unreachable.find("the Kafka brokers at 127.0.0.1:1") != std::string::npos,
             unreachable);
  auto missing = failure_reading(strings_of(kafka, {"missing"}).build());
  BOOST_TEST(missing.find("Kafka topic 'missing' does not exist") != std::string::npos, missing);
}

BOOST_AUTO_TEST_CASE(an_unreadable_record_fails_the_job_naming_it_or_is_skipped_when_asked) {
  kafka_cluster kafka;
  kafka.create_topic("numbers", 1);
  kafka.produce("numbers", 0, {"1", "2", "x", "4"});
  auto numbers = [&] {
    auto builder = kafka_source<std::int64_t>::builder();
    builder.set_bootstrap_servers(kafka.bootstrap_servers())
      .set_topics({"numbers"})
      .set_bounded(offsets_initializer::latest())
      .set_value_only_deserializer([](std::string_view v) -> std::int64_t {
        if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos)
          throw std::invalid_argument("not a number: '" + std::string{v} + "'");
        return std::stoll(std::string{v});
      });
    return builder;
  };
  auto failed = run_job(
    [&](stream_environment& env) {
      env.from_source(numbers().build(), watermark_strategy<std::int64_t>::no_watermarks(), "K")
        .discard();
    },
    with(1));
  BOOST_TEST((failed.status == job_status::failed));
  BOOST_TEST(failed.failure.find("topic 'numbers', partition 0, offset 2: not a number: 'x'") !=
               std::string::npos,
             failed.failure);

  std::mutex mutex;
  std::vector<std::int64_t> got;
  auto skipped = run_job(
    [&](stream_environment& env) {
      env
        .from_source(numbers().set_skip_unreadable_records(true).build(),
                     watermark_strategy<std::int64_t>::no_watermarks(), "K")
        .add_sink([&](std::int64_t x) {
          std::lock_guard<std::mutex> guard{mutex};
          got.push_back(x);
        });
    },
    with(1));
  BOOST_TEST_REQUIRE((skipped.status == job_status::finished), skipped.failure);
  BOOST_TEST(got == (std::vector<std::int64_t>{1, 2, 4}));
}

BOOST_AUTO_TEST_SUITE_END()
