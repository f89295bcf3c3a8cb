#pragma once

// Flink's KafkaSource: the records of Kafka topics as a source of the
// source API (flinkcpp/source.hpp), on librdkafka. Each partition is a
// split whose offset is in every checkpoint, so correctness never depends
// on offsets committed to Kafka; those are committed when a checkpoint
// completes, for monitoring. The enumerator in the job master discovers the
// partitions of the topics (or of every topic matching a pattern), once or
// periodically, resolves where each starts (and, bounded, stops), and
// assigns each to a reader as Flink does; every reader consumes its
// partitions with one client, without blocking its subtask.
//
//   auto source = kafka_source<std::string>::builder()
//                   .set_bootstrap_servers("broker:9092")
//                   .set_topics({"input"})
//                   .set_group_id("my-group")
//                   .set_starting_offsets(offsets_initializer::earliest())
//                   .set_value_only_deserializer(raw_format{})
//                   .build();
//   env.from_source(source, watermark_strategy<std::string>::no_watermarks(), "Kafka");

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"
#include "flinkcpp/source.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A partition of a topic.
struct kafka_topic_partition {
  std::string topic;
  std::int32_t partition = 0;

  friend auto operator<=>(const kafka_topic_partition&, const kafka_topic_partition&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, kafka_topic_partition& x) {
  return f(x.topic, x.partition);
}

/// One header of a Kafka record; views valid as long as the record's.
struct kafka_header {
  std::string_view key;
  std::optional<std::string_view> value;
};

/// A record as a deserializer sees it (Flink's ConsumerRecord): views into
/// the client's buffers, valid only during the deserializer's call.
struct kafka_record {
  std::string_view topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  /// Its timestamp (ms since the epoch, create or log-append time); -1: none.
  std::int64_t timestamp = -1;
  std::optional<std::string_view> key;
  /// nullopt: a tombstone (a null value).
  std::optional<std::string_view> value;
  /// The client's message; read by headers().
  const void* message = nullptr;

  /// Its headers, in order (read on demand: most deserializers need none).
  std::vector<kafka_header> headers() const;
};

/// Makes records of Kafka records (Flink's KafkaRecordDeserializationSchema):
/// any number of T per Kafka record. A throwing deserializer fails the job
/// naming the record's topic, partition and offset, unless the source skips
/// unreadable records (kafka_source_builder::set_skip_unreadable_records).
/// A cheap copyable value; called from the reader's subtask thread.
template <class T>
class kafka_record_deserializer {
public:
  using function = std::function<void(const kafka_record&, collector<T>&)>;

  /// fn(record, out): emits what it makes of `record` to `out`.
  static kafka_record_deserializer of(function fn) {
    return kafka_record_deserializer{std::move(fn)};
  }

  /// Flink's valueOnly: for each record's value (a tombstone's is empty),
  /// fn(value) -> T, or fn.deserialize(value) for a format of T
  /// (flinkcpp/format.hpp: raw_format, json_format, csv_format).
  template <class F>
  static kafka_record_deserializer value_only(F fn) {
    if constexpr (is_format_v<F>) {
      static_assert(std::is_same_v<typename F::record_type, T>,
                    "the format reads records of another type than the source's");
      return of([format = std::move(fn)](const kafka_record& r, collector<T>& out) {
        out.collect(format.deserialize(r.value.value_or(std::string_view{})));
      });
    } else {
      return of([fn = std::move(fn)](const kafka_record& r, collector<T>& out) {
        out.collect(T(fn(r.value.value_or(std::string_view{}))));
      });
    }
  }

  void deserialize(const kafka_record& record, collector<T>& out) const { fn_(record, out); }
  explicit operator bool() const noexcept { return static_cast<bool>(fn_); }

  kafka_record_deserializer() = default;

private:
  explicit kafka_record_deserializer(function fn) : fn_(std::move(fn)) {}
  function fn_;
};

/// What to do for a partition without a committed offset (or out of an
/// explicit map): Kafka's auto.offset.reset.
enum class offset_reset { earliest, latest, none };

/// Where partitions start, or stop (Flink's OffsetsInitializer). Resolved by
/// the enumerator when it discovers a partition. A plain value.
struct offsets_initializer {
  enum class kind { earliest, latest, committed, timestamp, specific };
  kind what = kind::earliest;
  offset_reset reset = offset_reset::none;
  std::int64_t timestamp_ms = 0;
  std::map<kafka_topic_partition, std::int64_t> offsets;

  /// Each partition's first offset.
  static offsets_initializer earliest() { return {}; }
  /// Each partition's end when it is discovered (what is written later).
  static offsets_initializer latest() {
    offsets_initializer o;
    o.what = kind::latest;
    return o;
  }
  /// The group's committed offsets; where there is none, `reset` (none:
  /// the job fails naming the partition).
  static offsets_initializer committed_offsets(offset_reset reset = offset_reset::none) {
    offsets_initializer o;
    o.what = kind::committed;
    o.reset = reset;
    return o;
  }
  /// The first record whose timestamp is at least `ms` (the end where none is).
  static offsets_initializer timestamp(std::int64_t ms) {
    offsets_initializer o;
    o.what = kind::timestamp;
    o.timestamp_ms = ms;
    return o;
  }
  /// These offsets; other partitions by `reset`.
  static offsets_initializer specific(std::map<kafka_topic_partition, std::int64_t> offsets,
                                      offset_reset reset = offset_reset::earliest) {
    offsets_initializer o;
    o.what = kind::specific;
    o.offsets = std::move(offsets);
    o.reset = reset;
    return o;
  }
};

/// A split: one partition from `offset` (the next record to read) to
/// `stopping_offset` (excluded; no_stopping_offset: never) (Flink's
/// KafkaPartitionSplit).
struct kafka_partition_split {
  static constexpr std::int64_t no_stopping_offset = std::numeric_limits<std::int64_t>::min();

  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::int64_t stopping_offset = no_stopping_offset;

  /// "topic-partition", as Flink names it.
  std::string split_id() const { return id_of(topic, partition); }
  static std::string id_of(std::string_view topic, std::int32_t partition) {
    return std::string{topic} + "-" + std::to_string(partition);
  }

  friend bool operator==(const kafka_partition_split&, const kafka_partition_split&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, kafka_partition_split& x) {
  return f(x.topic, x.partition, x.offset, x.stopping_offset);
}

/// The enumerator's state (Flink's KafkaSourceEnumState): the partitions
/// it discovered, and the splits of those no reader has got yet.
struct kafka_source_state {
  std::vector<kafka_topic_partition> discovered;
  std::vector<kafka_partition_split> unassigned;
  bool initial_discovery_done = false;
};

template <class Inspector>
auto inspect(Inspector& f, kafka_source_state& x) {
  return f(x.discovered, x.unassigned, x.initial_discovery_done);
}

/// What a Kafka source reads and how (kafka_source_builder fills it).
struct kafka_source_settings {
  std::string bootstrap_servers;
  std::vector<std::string> topics;
  std::string topic_pattern; ///< ECMAScript regex matched against whole topic names
  std::string group_id;
  offsets_initializer starting;
  std::optional<offsets_initializer> stopping; ///< set: bounded
  /// librdkafka client properties (Flink's properties.*), checked by build().
  std::map<std::string, std::string> properties;
  /// partition.discovery.interval.ms: 0 disables (always off when bounded).
  std::chrono::milliseconds discovery_interval{std::chrono::minutes{5}};
  /// default.api.timeout.ms: how long the enumerator waits for brokers.
  std::chrono::milliseconds api_timeout{std::chrono::minutes{1}};
  /// commit.offsets.on.checkpoint (needs a group id).
  bool commit_offsets_on_checkpoint = true;
  bool skip_unreadable_records = false;
  std::string client_id_prefix = "flink-cpp-kafka-source";
};

namespace detail {

/// Gets each record a kafka_partition_reader polls.
class kafka_record_visitor {
public:
  virtual ~kafka_record_visitor() = default;
  /// A record of the split whose slot is `split_output` (null until the
  /// visitor stores something there; kept while the reader holds the split).
  virtual void on_record(const kafka_record& record, void*& split_output) = 0;
  /// The reader passed split `split_id`'s stopping offset: it is done.
  virtual void on_split_finished(const std::string& split_id) = 0;
};

/// One reader's Kafka consumer (librdkafka), assigned the partitions of its
/// splits. Never blocks: poll takes what the client has fetched, and the
/// client calls `wake` (from its threads) when records arrive after a poll
/// found none. Reports Flink's KafkaSourceReader metrics into `metrics`
/// (KafkaSourceReader.topic.<t>.partition.<p>.currentOffset and
/// committedOffset). Errors the client cannot recover from throw from
/// poll, naming the partition. Subtask thread only.
class kafka_partition_reader {
public:
  /// Throws std::invalid_argument for properties the client refuses.
  kafka_partition_reader(const kafka_source_settings& settings, int subtask,
                         std::function<void()> wake, metric_group metrics);
  ~kafka_partition_reader();
  kafka_partition_reader(const kafka_partition_reader&) = delete;
  kafka_partition_reader& operator=(const kafka_partition_reader&) = delete;

  /// Starts reading `splits` (at their offsets).
  void add(std::vector<kafka_partition_split> splits);
  /// Passes up to `max_records` fetched records to `visitor`; returns how
  /// many it passed (finished splits go to the visitor too).
  std::size_t poll(std::size_t max_records, kafka_record_visitor& visitor);
  /// How many splits it reads.
  std::size_t splits() const;
  /// Its splits at their positions; remembered for checkpoint `checkpoint`.
  std::vector<kafka_partition_split> snapshot(checkpoint_id checkpoint);
  /// Commits the offsets of checkpoint `checkpoint` (and forgets older
  /// ones), asynchronously, if the settings say so.
  void checkpoint_complete(checkpoint_id checkpoint);
  /// Closes the client (leaving no group: the reader never joined one).
  void close();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The enumerator of a Kafka source (restored from `state` if given).
std::unique_ptr<split_enumerator<kafka_partition_split, kafka_source_state>>
make_kafka_enumerator(split_enumerator_context<kafka_partition_split>& context,
                      const kafka_source_settings& settings,
                      std::optional<kafka_source_state> state);

/// Throws std::invalid_argument naming what is wrong with `settings`
/// (no servers, no topics, a property the client refuses, ...).
void validate_kafka_source_settings(const kafka_source_settings& settings);

/// Reads one subtask's partitions and emits what `deserializer` makes of
/// their records, each through its split's output (per-partition
/// watermarks) with the Kafka timestamp as event time; a reader without
/// partitions marks itself idle.
template <class T>
class kafka_source_reader final : public source_reader<T, kafka_partition_split>,
                                  private kafka_record_visitor {
public:
  kafka_source_reader(source_reader_context& context, const kafka_source_settings& settings,
                      kafka_record_deserializer<T> deserializer)
    : deserializer_(std::move(deserializer)),
      skip_unreadable_(settings.skip_unreadable_records),
      errors_(&context.metrics().counter("numRecordsInErrors")),
      consumer_(settings, context.subtask_index(), context.waker(), context.metrics()) {}

  input_status poll_next(reader_output<T>& output, std::size_t max_records) override {
    output_ = &output;
    if (consumer_.poll(max_records, *this) > 0)
      return input_status::more_available;
    if (consumer_.splits() == 0) {
      if (no_more_)
        return input_status::end_of_input;
      output.mark_idle();
    }
    return input_status::nothing_available;
  }

  std::vector<kafka_partition_split> snapshot_state(checkpoint_id checkpoint) override {
    return consumer_.snapshot(checkpoint);
  }
  void add_splits(std::vector<kafka_partition_split> splits) override {
    consumer_.add(std::move(splits));
  }
  void notify_no_more_splits() override { no_more_ = true; }
  void notify_checkpoint_complete(checkpoint_id checkpoint) override {
    consumer_.checkpoint_complete(checkpoint);
  }
  void close() override { consumer_.close(); }

private:
  /// Emits into one split's output with the record's timestamp.
  struct timestamped final : collector<T> {
    using collector<T>::collect;
    source_output<T>* out = nullptr;
    std::int64_t timestamp = 0;
    void collect(T&& record) override { out->collect(std::move(record), timestamp); }
  };

  void on_record(const kafka_record& record, void*& split_output) override {
    if (split_output == nullptr)
      split_output =
        &output_->output_for_split(kafka_partition_split::id_of(record.topic, record.partition));
    emit_.out = static_cast<source_output<T>*>(split_output);
    emit_.timestamp = record.timestamp;
    try {
      deserializer_.deserialize(record, emit_);
    } catch (const std::exception& e) {
      if (!skip_unreadable_)
        throw std::runtime_error("cannot deserialize the Kafka record of topic '" +
                                 std::string{record.topic} + "', partition " +
                                 std::to_string(record.partition) + ", offset " +
                                 std::to_string(record.offset) + ": " + e.what());
      errors_->inc();
    }
  }
  void on_split_finished(const std::string& split_id) override {
    output_->release_output_for_split(split_id);
  }

  kafka_record_deserializer<T> deserializer_;
  bool skip_unreadable_;
  counter* errors_;
  kafka_partition_reader consumer_;
  reader_output<T>* output_ = nullptr;
  timestamped emit_;
  bool no_more_ = false;
};

} // namespace detail

template <class T>
class kafka_source_builder;

/// A Kafka source of records T (Flink's KafkaSource), made by builder().
/// Immutable; shared by every reader and the enumerator.
template <class T>
class kafka_source final : public source<T, kafka_partition_split, kafka_source_state> {
public:
  static kafka_source_builder<T> builder();

  const kafka_source_settings& settings() const noexcept { return settings_; }

  boundedness get_boundedness() const override {
    return settings_.stopping ? boundedness::bounded : boundedness::continuous_unbounded;
  }
  std::unique_ptr<source_reader<T, kafka_partition_split>>
  create_reader(source_reader_context& context) const override {
    return std::make_unique<detail::kafka_source_reader<T>>(context, settings_, deserializer_);
  }
  std::unique_ptr<split_enumerator<kafka_partition_split, kafka_source_state>>
  create_enumerator(split_enumerator_context<kafka_partition_split>& context) const override {
    return detail::make_kafka_enumerator(context, settings_, std::nullopt);
  }
  std::unique_ptr<split_enumerator<kafka_partition_split, kafka_source_state>>
  restore_enumerator(split_enumerator_context<kafka_partition_split>& context,
                     kafka_source_state state) const override {
    return detail::make_kafka_enumerator(context, settings_, std::move(state));
  }

private:
  friend class kafka_source_builder<T>;
  kafka_source(kafka_source_settings settings, kafka_record_deserializer<T> deserializer)
    : settings_(std::move(settings)),
      deserializer_(std::move(deserializer)) {}

  kafka_source_settings settings_;
  kafka_record_deserializer<T> deserializer_;
};

/// Builds a kafka_source (Flink's KafkaSourceBuilder). Setters return the
/// builder; build() checks the whole and throws std::invalid_argument
/// saying what is missing or wrong.
template <class T>
class kafka_source_builder {
public:
  /// "host:port[,host:port...]".
  kafka_source_builder& set_bootstrap_servers(std::string servers) {
    settings_.bootstrap_servers = std::move(servers);
    return *this;
  }
  kafka_source_builder& set_topics(std::vector<std::string> topics) {
    settings_.topics = std::move(topics);
    return *this;
  }
  /// Every topic whose whole name matches `regex` (ECMAScript), also those
  /// created while the job runs (with partition discovery).
  kafka_source_builder& set_topic_pattern(std::string regex) {
    settings_.topic_pattern = std::move(regex);
    return *this;
  }
  kafka_source_builder& set_group_id(std::string group_id) {
    settings_.group_id = std::move(group_id);
    return *this;
  }
  /// Where partitions start (default: earliest).
  kafka_source_builder& set_starting_offsets(offsets_initializer starting) {
    settings_.starting = std::move(starting);
    return *this;
  }
  /// Makes the source bounded: each partition stops at `stopping` as
  /// resolved at discovery (latest(): the end it had then).
  kafka_source_builder& set_bounded(offsets_initializer stopping) {
    settings_.stopping = std::move(stopping);
    return *this;
  }
  kafka_source_builder& set_deserializer(kafka_record_deserializer<T> deserializer) {
    deserializer_ = std::move(deserializer);
    return *this;
  }
  /// fn(value) -> T, or a format of T (Flink's setValueOnlyDeserializer;
  /// see kafka_record_deserializer::value_only).
  template <class F>
  kafka_source_builder& set_value_only_deserializer(F fn) {
    deserializer_ = kafka_record_deserializer<T>::value_only(std::move(fn));
    return *this;
  }
  /// Skips records the deserializer throws on, counting them in the
  /// reader's numRecordsInErrors, instead of failing the job.
  kafka_source_builder& set_skip_unreadable_records(bool skip) {
    settings_.skip_unreadable_records = skip;
    return *this;
  }
  kafka_source_builder& set_client_id_prefix(std::string prefix) {
    settings_.client_id_prefix = std::move(prefix);
    return *this;
  }
  /// A client property (librdkafka's names), or one of the source's own
  /// as Flink names them: partition.discovery.interval.ms,
  /// commit.offsets.on.checkpoint, client.id.prefix, default.api.timeout.ms.
  kafka_source_builder& set_property(const std::string& key, std::string value);

  /// Throws std::invalid_argument naming what is missing or wrong.
  kafka_source<T> build() const {
    if (!deserializer_)
      throw std::invalid_argument("Kafka source: no deserializer set (set_deserializer or "
                                  "set_value_only_deserializer)");
    detail::validate_kafka_source_settings(settings_);
    return kafka_source<T>{settings_, deserializer_};
  }

private:
  kafka_source_settings settings_;
  kafka_record_deserializer<T> deserializer_;
};

namespace detail {
/// Sets `key` in `settings`: one of the source's own options, or a client
/// property. Throws std::invalid_argument for a malformed value.
void set_kafka_source_property(kafka_source_settings& settings, const std::string& key,
                               std::string value);
} // namespace detail

template <class T>
kafka_source_builder<T>& kafka_source_builder<T>::set_property(const std::string& key,
                                                               std::string value) {
  detail::set_kafka_source_property(settings_, key, std::move(value));
  return *this;
}

template <class T>
kafka_source_builder<T> kafka_source<T>::builder() {
  return {};
}

} // namespace flinkcpp

FLINKCPP_API_END
