#pragma once

// Flink's KafkaSink: records written to Kafka topics by a sink of the sink
// API (flinkcpp/sink.hpp), on librdkafka, with Flink's delivery guarantees:
// - none: records are produced and nothing waits for them;
// - at_least_once: every checkpoint barrier waits until the broker
//   acknowledged each record written before it;
// - exactly_once: Kafka transactions as Flink's KafkaSink runs them: each
//   writer writes into one transaction per checkpoint, with the
//   transactional id "<prefix>-<subtask>-<n>"; the barrier pre-commits it
//   (every record acknowledged) and hands it out as a committable; the
//   committer commits it once the checkpoint completed. A restored job
//   commits the transactions of its checkpoint and aborts those its
//   attempts began after it. Readers see the output with
//   isolation.level=read_committed.
//
//   auto sink = kafka_sink<std::string>::builder()
//                 .set_bootstrap_servers("broker:9092")
//                 .set_record_serializer(kafka_record_serializer<std::string>::builder()
//                                          .set_topic("output")
//                                          .set_value_serialization_schema(raw_format{})
//                                          .build())
//                 .set_delivery_guarantee(delivery_guarantee::exactly_once)
//                 .set_transactional_id_prefix("my-job")
//                 .build();
//   stream.sink_to(sink);

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"
#include "flinkcpp/sink.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// What a sink promises about each record (Flink's DeliveryGuarantee).
enum class delivery_guarantee { none, at_least_once, exactly_once };

/// A record to produce (Flink's ProducerRecord), filled by a serializer.
/// The writer keeps one and hands it to the serializer for every record, so
/// the strings keep their capacity.
struct kafka_producer_record {
  std::string topic;
  /// -1: the producer's partitioner decides (by key).
  std::int32_t partition = -1;
  std::optional<std::string> key;
  /// nullopt: a tombstone.
  std::optional<std::string> value;
  /// ms since the epoch; -1: the producer's clock.
  std::int64_t timestamp = -1;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Chooses a record's partition among `partitions` (Flink's
/// FlinkKafkaPartitioner): (record, key, value, topic, partitions, subtask,
/// parallelism) -> partition.
template <class T>
using kafka_partitioner =
  std::function<std::int32_t(const T&, const std::optional<std::string>& key,
                             const std::optional<std::string>& value, const std::string& topic,
                             std::int32_t partitions, int subtask, int parallelism)>;

/// Flink's FlinkFixedPartitioner: each writer subtask into one partition
/// (subtask % partitions).
template <class T>
kafka_partitioner<T> fixed_partitioner() {
  return [](const T&, const std::optional<std::string>&, const std::optional<std::string>&,
            const std::string&, std::int32_t partitions, int subtask,
            int) { return static_cast<std::int32_t>(subtask % partitions); };
}

template <class T>
class kafka_record_serializer_builder;

/// Makes the Kafka record of a record (Flink's
/// KafkaRecordSerializationSchema). A cheap copyable value, used from the
/// writer's subtask thread.
template <class T>
class kafka_record_serializer {
public:
  /// fn(record, context, out) fills `out` (reset before each call).
  using function =
    std::function<void(const T&, const sink_write_context&, kafka_producer_record& out)>;

  static kafka_record_serializer of(function fn) { return kafka_record_serializer{std::move(fn)}; }
  static kafka_record_serializer_builder<T> builder();

  void serialize(const T& record, const sink_write_context& context,
                 kafka_producer_record& out) const {
    fn_(record, context, out);
  }
  /// The partitioner (empty: Kafka's, by key).
  const kafka_partitioner<T>& partitioner() const noexcept { return partitioner_; }
  /// The one topic every record goes to, if the builder was given one
  /// (set_topic); the writer learns its partitions ahead of the records.
  const std::optional<std::string>& topic() const noexcept { return topic_; }
  explicit operator bool() const noexcept { return static_cast<bool>(fn_); }

  kafka_record_serializer() = default;

private:
  friend class kafka_record_serializer_builder<T>;
  explicit kafka_record_serializer(function fn, kafka_partitioner<T> partitioner = {},
                                   std::optional<std::string> topic = {})
    : fn_(std::move(fn)),
      partitioner_(std::move(partitioner)),
      topic_(std::move(topic)) {}

  function fn_;
  kafka_partitioner<T> partitioner_;
  std::optional<std::string> topic_;
};

/// Builds a kafka_record_serializer as Flink's
/// KafkaRecordSerializationSchemaBuilder: a topic or a topic selector, a
/// value serializer, optionally a key serializer and a partitioner. Records
/// keep their event time as Kafka timestamp. build() throws
/// std::invalid_argument saying what is missing.
template <class T>
class kafka_record_serializer_builder {
public:
  kafka_record_serializer_builder& set_topic(std::string topic) {
    topic_ = [topic](const T&) { return topic; };
    fixed_topic_ = std::move(topic);
    return *this;
  }
  /// fn(record) -> the topic to write it to.
  kafka_record_serializer_builder& set_topic_selector(std::function<std::string(const T&)> fn) {
    topic_ = std::move(fn);
    fixed_topic_.reset();
    return *this;
  }
  /// fn(record) -> the value's bytes.
  kafka_record_serializer_builder& set_value_serializer(std::function<std::string(const T&)> fn) {
    value_ = std::move(fn);
    return *this;
  }
  /// fn(record) -> the key's bytes (without one, records have no key).
  kafka_record_serializer_builder& set_key_serializer(std::function<std::string(const T&)> fn) {
    key_ = std::move(fn);
    return *this;
  }
  /// The value's bytes in `format`, a format of T (flinkcpp/format.hpp:
  /// raw_format, json_format, csv_format; Flink's setValueSerializationSchema).
  template <class Format>
  kafka_record_serializer_builder& set_value_serialization_schema(Format format) {
    value_ = serializer_of(std::move(format));
    return *this;
  }
  /// The key's bytes in `format`, a format of T (Flink's
  /// setKeySerializationSchema).
  template <class Format>
  kafka_record_serializer_builder& set_key_serialization_schema(Format format) {
    key_ = serializer_of(std::move(format));
    return *this;
  }
  kafka_record_serializer_builder& set_partitioner(kafka_partitioner<T> partitioner) {
    partitioner_ = std::move(partitioner);
    return *this;
  }

  kafka_record_serializer<T> build() const {
    if (!topic_)
      throw std::invalid_argument("Kafka record serializer: no topic: call set_topic or "
                                  "set_topic_selector");
    if (!value_)
      throw std::invalid_argument("Kafka record serializer: no value serializer: call "
                                  "set_value_serializer");
    return kafka_record_serializer<T>{
      [topic = topic_, value = value_, key = key_](const T& record, const sink_write_context& ctx,
                                                   kafka_producer_record& out) {
        out.topic = topic(record);
        out.value = value(record);
        if (key)
          out.key = key(record);
        if (ctx.timestamp != min_watermark)
          out.timestamp = ctx.timestamp;
      },
      partitioner_, fixed_topic_};
  }

private:
  template <class Format>
  static std::function<std::string(const T&)> serializer_of(Format format) {
    static_assert(is_format_v<Format>, "not a format (flinkcpp/format.hpp)");
    static_assert(std::is_same_v<typename Format::record_type, T>,
                  "the format writes records of another type than the sink's");
    return
      [format = std::move(format)](const T& record) { return serialize_to_string(format, record); };
  }

  std::function<std::string(const T&)> topic_;
  std::optional<std::string> fixed_topic_;
  std::function<std::string(const T&)> value_;
  std::function<std::string(const T&)> key_;
  kafka_partitioner<T> partitioner_;
};

template <class T>
kafka_record_serializer_builder<T> kafka_record_serializer<T>::builder() {
  return {};
}

/// What a Kafka sink writes to and how (kafka_sink_builder fills it).
struct kafka_sink_settings {
  std::string bootstrap_servers;
  delivery_guarantee guarantee = delivery_guarantee::none;
  /// exactly_once: the transactional ids' prefix; unique per job writing to
  /// the same cluster.
  std::string transactional_id_prefix;
  /// librdkafka client properties (Flink's properties.*), checked by build().
  std::map<std::string, std::string> properties;
  /// transaction.timeout.ms: longer than the time from a checkpoint's
  /// barrier to its completion, and than a restart takes.
  std::chrono::milliseconds transaction_timeout{std::chrono::hours{1}};
  /// max.block.ms: how long initializing a transaction, ending one or
  /// asking for a topic's partitions may take before the job fails.
  std::chrono::milliseconds api_timeout{std::chrono::minutes{1}};
  std::string client_id_prefix = "flink-cpp-kafka-sink";
};

/// An exactly-once writer's transaction, pre-committed: what its committer
/// commits (Flink's KafkaCommittable).
struct kafka_committable {
  std::string transactional_id;
  std::int64_t producer_id = -1;
  std::int16_t epoch = -1;
};

template <class Inspector>
auto inspect(Inspector& f, kafka_committable& x) {
  return f(x.transactional_id, x.producer_id, x.epoch);
}

/// An exactly-once writer's state (Flink's KafkaWriterState): the number of
/// its next transaction; those from there on are aborted on restore.
struct kafka_writer_state {
  std::string transactional_id_prefix;
  std::int32_t subtask = 0;
  std::int64_t next_transaction = 0;
};

template <class Inspector>
auto inspect(Inspector& f, kafka_writer_state& x) {
  return f(x.transactional_id_prefix, x.subtask, x.next_transaction);
}

namespace detail {

/// One writer's producer(s) (librdkafka): produces records without
/// blocking, tracks their acknowledgements, and for exactly_once runs the
/// transaction of each checkpoint. The client wakes the subtask (through
/// the context's waker) when acknowledgements arrive. Failures (a record
/// the broker refused, a fatal client error) throw from check(), naming
/// the topic. Subtask thread only; the methods are those of sink_writer.
class kafka_producer_writer {
public:
  /// `topic`: the one topic all records go to, if known ahead. Throws
  /// std::invalid_argument for properties the client refuses.
  kafka_producer_writer(const kafka_sink_settings& settings, sink_writer_context& context,
                        const std::vector<kafka_writer_state>& restored,
                        const std::optional<std::string>& topic);
  ~kafka_producer_writer();
  kafka_producer_writer(const kafka_producer_writer&) = delete;
  kafka_producer_writer& operator=(const kafka_producer_writer&) = delete;

  /// The partition count of `topic` if known; else nullopt, having begun to
  /// look it up (ready() says no until it is known).
  std::optional<std::int32_t> partitions_of(const std::string& topic);

  /// Produces `record` (copied).
  void produce(const kafka_producer_record& record);

  bool ready();
  std::function<bool()> flush(bool end_of_input);
  std::vector<kafka_committable> prepare_commit();
  std::vector<kafka_writer_state> snapshot_state();
  void check();
  bool quiescent() const;
  void abort() noexcept;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

/// The exactly-once committer's work: commits each transaction, through the
/// producer that wrote it while it lives in this process, else through the
/// transaction coordinator (a restored checkpoint's). One already committed
/// (or aborted by a newer producer of its id) counts as committed; brokers
/// that cannot answer now make it retry later. Blocking.
void commit_kafka_transactions(const kafka_sink_settings& settings,
                               std::vector<commit_request<kafka_committable>>& requests);

/// Throws std::invalid_argument naming what is wrong with `settings`.
void validate_kafka_sink_settings(const kafka_sink_settings& settings);

/// Sets `key` as Flink's KafkaSink builder's setProperty does.
void set_kafka_sink_property(kafka_sink_settings& settings, const std::string& key,
                             const std::string& value);

/// Serializes each record and hands it to the producer writer.
template <class T>
class kafka_sink_writer final : public sink_writer<T, kafka_committable, kafka_writer_state> {
public:
  kafka_sink_writer(const kafka_sink_settings& settings, kafka_record_serializer<T> serializer,
                    sink_writer_context& context, const std::vector<kafka_writer_state>& restored)
    : serializer_(std::move(serializer)),
      subtask_(context.subtask_index()),
      parallelism_(context.parallelism()),
      producer_(settings, context, restored, serializer_.topic()) {}

  void write(T&& record, const sink_write_context& context) override {
    out_.topic.clear();
    out_.partition = -1;
    out_.key.reset();
    out_.value.reset();
    out_.timestamp = -1;
    out_.headers.clear();
    serializer_.serialize(record, context, out_);
    if (const auto& partitioner = serializer_.partitioner()) {
      auto partitions = producer_.partitions_of(out_.topic);
      if (!partitions) {
        held_.emplace_back(std::move(record), context);
        return;
      }
      out_.partition =
        partitioner(record, out_.key, out_.value, out_.topic, *partitions, subtask_, parallelism_);
    }
    producer_.produce(out_);
  }

  bool ready() override {
    if (!held_.empty()) {
      auto held = std::exchange(held_, {});
      for (auto& [record, context] : held)
        write(std::move(record), context);
      if (!held_.empty())
        return false;
    }
    return producer_.ready();
  }

  std::function<bool()> flush(bool end_of_input) override {
    if (!held_.empty())
      // Records before the barrier wait for their topic's partition count
      // (the end of the input comes once the writer is ready()).
      throw spi::snapshot_declined("the Kafka sink is still asking for a topic's partitions");
    return producer_.flush(end_of_input);
  }
  std::vector<kafka_committable> prepare_commit() override { return producer_.prepare_commit(); }
  std::vector<kafka_writer_state> snapshot_state(checkpoint_id) override {
    return producer_.snapshot_state();
  }
  void check() override { producer_.check(); }
  bool quiescent() const override { return producer_.quiescent(); }
  void abort() noexcept override { producer_.abort(); }

private:
  kafka_record_serializer<T> serializer_;
  int subtask_;
  int parallelism_;
  kafka_producer_writer producer_;
  kafka_producer_record out_;
  std::vector<std::pair<T, sink_write_context>> held_; ///< waiting for partition counts
};

} // namespace detail

template <class T>
class kafka_sink_builder;

/// A Kafka sink of records T (Flink's KafkaSink), made by builder().
/// Immutable; shared by every writer.
template <class T>
class kafka_sink final : public sink<T, kafka_committable, kafka_writer_state> {
public:
  static kafka_sink_builder<T> builder();

  const kafka_sink_settings& settings() const noexcept { return settings_; }

  std::unique_ptr<sink_writer<T, kafka_committable, kafka_writer_state>>
  create_writer(sink_writer_context& context,
                std::vector<kafka_writer_state> restored) const override {
    return std::make_unique<detail::kafka_sink_writer<T>>(settings_, serializer_, context,
                                                          restored);
  }

  std::unique_ptr<committer<kafka_committable>> create_committer() const override {
    return std::make_unique<transaction_committer>(settings_);
  }

  /// Every writer sees every state: subtask 0 aborts the transactions of
  /// subtasks a rescale removed.
  spi::redistribution writer_state_redistribution() const override {
    return spi::redistribution::union_all;
  }

private:
  friend class kafka_sink_builder<T>;

  class transaction_committer final : public committer<kafka_committable> {
  public:
    explicit transaction_committer(kafka_sink_settings settings) : settings_(std::move(settings)) {}
    void commit(std::vector<commit_request<kafka_committable>>& requests) override {
      detail::commit_kafka_transactions(settings_, requests);
    }

  private:
    kafka_sink_settings settings_;
  };

  kafka_sink(kafka_sink_settings settings, kafka_record_serializer<T> serializer)
    : settings_(std::move(settings)),
      serializer_(std::move(serializer)) {}

  kafka_sink_settings settings_;
  kafka_record_serializer<T> serializer_;
};

/// Builds a kafka_sink (Flink's KafkaSinkBuilder). Setters return the
/// builder; build() checks the whole and throws std::invalid_argument
/// saying what is missing or wrong.
template <class T>
class kafka_sink_builder {
public:
  /// "host:port[,host:port...]".
  kafka_sink_builder& set_bootstrap_servers(std::string servers) {
    settings_.bootstrap_servers = std::move(servers);
    return *this;
  }
  kafka_sink_builder& set_record_serializer(kafka_record_serializer<T> serializer) {
    serializer_ = std::move(serializer);
    return *this;
  }
  kafka_sink_builder& set_delivery_guarantee(delivery_guarantee guarantee) {
    settings_.guarantee = guarantee;
    return *this;
  }
  kafka_sink_builder& set_transactional_id_prefix(std::string prefix) {
    settings_.transactional_id_prefix = std::move(prefix);
    return *this;
  }
  /// A client property (Flink's properties.*: librdkafka's names, such as
  /// "linger.ms"), or "transaction.timeout.ms".
  kafka_sink_builder& set_property(const std::string& key, const std::string& value) {
    detail::set_kafka_sink_property(settings_, key, value);
    return *this;
  }

  kafka_sink<T> build() const {
    if (!serializer_)
      throw std::invalid_argument("Kafka sink: no record serializer: call set_record_serializer");
    detail::validate_kafka_sink_settings(settings_);
    return kafka_sink<T>{settings_, serializer_};
  }

private:
  kafka_sink_settings settings_;
  kafka_record_serializer<T> serializer_;
};

template <class T>
kafka_sink_builder<T> kafka_sink<T>::builder() {
  return {};
}

} // namespace flinkcpp

FLINKCPP_API_END
