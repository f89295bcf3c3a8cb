#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "connectors/kafka/kafka_client.hpp"
#include "connectors/kafka/kafka_settings.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "util/logging.hpp"

#include <nlohmann/json.hpp>

namespace flinkcpp::detail {

namespace {

/// A partition list, destroyed with it.
struct partition_list {
  rd_kafka_topic_partition_list_t* list;
  explicit partition_list(int size) : list(rd_kafka_topic_partition_list_new(size)) {}
  ~partition_list() { rd_kafka_topic_partition_list_destroy(list); }
  partition_list(const partition_list&) = delete;
  partition_list& operator=(const partition_list&) = delete;
  void add(const std::string& topic, std::int32_t partition, std::int64_t offset) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset = offset;
  }
};

/// Errors after which reading a partition cannot go on.
bool fatal(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR__FATAL:
      return true;
    default:
      return false;
  }
}

} // namespace

/// The offsets a reader reports as gauges: shared with the gauges, which
/// outlive the reader's hold of the partition.
struct partition_offsets {
  std::atomic<std::int64_t> current{-1};
  std::atomic<std::int64_t> committed{-1};
};

struct kafka_partition_reader::impl {
  struct partition {
    kafka_partition_split split; ///< split.offset: the next offset to read
    void* output = nullptr;      ///< the visitor's slot
    std::shared_ptr<partition_offsets> offsets;
    /// The client's handle of its topic, once a message showed it (one per
    /// topic and client): later messages match it without comparing names.
    const rd_kafka_topic_t* topic = nullptr;
  };

  kafka_source_settings settings;
  std::function<void()> wake;
  metric_group metrics;
  kafka::client_handle client;
  rd_kafka_queue_t* queue = nullptr;
  std::vector<partition> partitions;
  std::map<std::string, std::shared_ptr<partition_offsets>> gauges; ///< by split id
  /// What to commit when each checkpoint completes, by checkpoint.
  std::map<std::int64_t, std::vector<kafka_partition_split>> snapshots;
  /// Splits finished since the last snapshot, at their end: committed with
  /// the next one (as Flink's offsetsOfFinishedSplits).
  std::vector<kafka_partition_split> finished;
  std::vector<rd_kafka_message_t*> batch;
  /// Topics whose metadata the client was asked for (see learn_topic).
  std::set<std::string> known_topics;
  /// records-lag-max; -1 before librdkafka's first statistics.
  std::shared_ptr<std::atomic<std::int64_t>> lag_max =
    std::make_shared<std::atomic<std::int64_t>>(-1);
  std::shared_ptr<spdlog::logger> log = logger("kafka");

  /// Asks the brokers for `topic`'s partitions once, before the first of
  /// them is assigned: a consumer assigned partitions of a topic it has no
  /// metadata for waits for its next topic scan, a second later, to fetch
  /// them. Waits at most that second. Returns false when the brokers did
  /// not answer (the topic is asked for again next time; the scan finds it
  /// meanwhile).
  bool learn_topic(const std::string& topic) {
    if (known_topics.contains(topic))
      return true;
    kafka::topic_handle handle{rd_kafka_topic_new(client.get(), topic.c_str(), nullptr)};
    if (!handle)
      return false;
    bool answered =
      kafka::ask_partitions(client.get(), handle.get(), std::chrono::seconds{1}).error ==
      RD_KAFKA_RESP_ERR_NO_ERROR;
    if (answered)
      known_topics.insert(topic);
    return answered;
  }

  /// The consumer queue got records after a poll drained it (librdkafka's
  /// thread; the runtime's wake does not throw).
  static void on_queue(rd_kafka_t*, void* opaque) noexcept { static_cast<impl*>(opaque)->wake(); }

  static void on_commit(rd_kafka_t*, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* offsets, void* opaque) {
    auto* self = static_cast<impl*>(opaque);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      self->log->warn("Committing offsets to Kafka failed (checkpoints keep the positions; "
                      "only monitoring sees old offsets): {}",
                      rd_kafka_err2str(err));
      return;
    }
    try { // nothing may escape into librdkafka's C frames
      for (int i = 0; i < offsets->cnt; ++i) {
        const auto& tp = offsets->elems[i];
        auto it = self->gauges.find(kafka_partition_split::id_of(tp.topic, tp.partition));
        if (it != self->gauges.end() && tp.err == RD_KAFKA_RESP_ERR_NO_ERROR)
          it->second->committed.store(tp.offset, std::memory_order_relaxed);
      }
    } catch (const std::exception&) {
      // out of memory: the gauge stays behind until the next commit
    }
  }

  /// librdkafka's statistics (JSON, every statistics.interval.ms): the
  /// largest consumer lag of its partitions is Kafka's records-lag-max.
  static int on_statistics(rd_kafka_t*, char* json, std::size_t size, void* opaque) {
    auto* self = static_cast<impl*>(opaque);
    try { // nothing may escape into librdkafka's C frames
      auto stats = nlohmann::json::parse(json, json + size, nullptr, false);
      if (!stats.is_object() || !stats["topics"].is_object())
        return 0;
      std::int64_t lag_max = -1;
      for (const auto& [name, topic] : stats["topics"].items()) {
        if (!topic.is_object() || !topic["partitions"].is_object())
          continue;
        for (const auto& [id, partition] : topic["partitions"].items())
          if (id != "-1" && partition.is_object() && partition["consumer_lag"].is_number())
            lag_max = std::max(lag_max, partition["consumer_lag"].get<std::int64_t>());
      }
      self->lag_max->store(lag_max, std::memory_order_relaxed);
    } catch (const std::exception& e) {
      self->log->warn("Cannot read librdkafka's statistics: {}", e.what());
    }
    return 0; // librdkafka frees `json`
  }

  static void configure(rd_kafka_conf_t* conf, void* opaque) {
    rd_kafka_conf_set_opaque(conf, opaque);
    rd_kafka_conf_set_offset_commit_cb(conf, &impl::on_commit);
    rd_kafka_conf_set_stats_cb(conf, &impl::on_statistics);
  }

  partition* find(const rd_kafka_message_t& m) {
    for (auto& p : partitions) {
      if (p.split.partition != m.partition)
        continue;
      if (p.topic == m.rkt)
        return &p;
      if (p.topic == nullptr && p.split.topic == rd_kafka_topic_name(m.rkt)) {
        p.topic = m.rkt;
        return &p;
      }
    }
    return nullptr;
  }

  std::shared_ptr<partition_offsets> offsets_of(const kafka_partition_split& split) {
    auto& g = gauges[split.split_id()];
    if (!g) {
      g = std::make_shared<partition_offsets>();
      auto group = metrics.add_group("KafkaSourceReader")
                     .add_group("topic")
                     .add_group(split.topic)
                     .add_group("partition")
                     .add_group(std::to_string(split.partition));
      group.gauge("currentOffset", [g] { return static_cast<double>(g->current.load()); });
      group.gauge("committedOffset", [g] { return static_cast<double>(g->committed.load()); });
    }
    return g;
  }

  /// Stops reading partition `p` (its end reached) and tells the visitor.
  void finish(partition& p, kafka_record_visitor& visitor) {
    partition_list list{1};
    list.add(p.split.topic, p.split.partition, RD_KAFKA_OFFSET_INVALID);
    if (auto* error = rd_kafka_incremental_unassign(client.get(), list.list)) {
      std::string what = rd_kafka_error_string(error);
      rd_kafka_error_destroy(error);
      throw std::runtime_error("cannot stop reading Kafka " +
                               kafka::describe(p.split.topic, p.split.partition) + ": " + what);
    }
    auto id = p.split.split_id();
    finished.push_back(p.split);
    partitions.erase(partitions.begin() + (&p - partitions.data()));
    visitor.on_split_finished(id);
  }

  static bool at_end(const kafka_partition_split& s, std::int64_t offset) {
    return s.stopping_offset != kafka_partition_split::no_stopping_offset &&
           offset >= s.stopping_offset;
  }

  /// Passes one fetched message on; returns whether it was a record.
  bool take(rd_kafka_message_t& m, kafka_record_visitor& visitor) {
    auto* p = m.rkt != nullptr ? find(m) : nullptr;
    if (m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (p != nullptr && at_end(p->split, m.offset)) {
        p->split.offset = std::max(p->split.offset, m.offset); // past transaction markers
        finish(*p, visitor);
      }
      return false;
    }
    if (m.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::string where = m.rkt != nullptr
                            ? kafka::describe(rd_kafka_topic_name(m.rkt), m.partition)
                            : std::string{"the client"};
      if (fatal(m.err))
        throw std::runtime_error("reading Kafka " + where +
                                 " failed: " + rd_kafka_message_errstr(&m));
      log->warn("Reading Kafka {}: {} (retrying)", where, rd_kafka_message_errstr(&m));
      return false;
    }
    if (p == nullptr)
      return false; // of a partition finished earlier in this batch
    if (at_end(p->split, m.offset)) {
      finish(*p, visitor);
      return false;
    }
    kafka_record r;
    r.topic = rd_kafka_topic_name(m.rkt);
    r.partition = m.partition;
    r.offset = m.offset;
    rd_kafka_timestamp_type_t type{};
    r.timestamp = rd_kafka_message_timestamp(&m, &type);
    if (m.key != nullptr)
      r.key = std::string_view{static_cast<const char*>(m.key), m.key_len};
    if (m.payload != nullptr)
      r.value = std::string_view{static_cast<const char*>(m.payload), m.len};
    r.message = &m;
    p->split.offset = m.offset + 1; // also when the visitor skips it
    p->offsets->current.store(m.offset, std::memory_order_relaxed);
    visitor.on_record(r, p->output);
    if (at_end(p->split, p->split.offset))
      finish(*p, visitor);
    return true;
  }
};

kafka_partition_reader::kafka_partition_reader(const kafka_source_settings& settings, int subtask,
                                               std::function<void()> wake, metric_group metrics)
  : impl_(std::make_unique<impl>()) {
  impl_->settings = settings;
  impl_->wake = std::move(wake);
  impl_->metrics = std::move(metrics);
  auto client_id = settings.client_id_prefix + "-" + std::to_string(subtask);
  impl_->metrics.add_group("KafkaSourceReader")
    .add_group("KafkaConsumer")
    .gauge("records-lag-max", [lag = impl_->lag_max] { return static_cast<double>(lag->load()); });
  auto properties = kafka::consumer_properties(settings, client_id);
  properties.try_emplace("statistics.interval.ms", "1000");
  impl_->client = kafka::make_client(RD_KAFKA_CONSUMER, properties, &impl::configure, impl_.get());
  impl_->queue = rd_kafka_queue_get_consumer(impl_->client.get());
  rd_kafka_queue_cb_event_enable(impl_->queue, &impl::on_queue, impl_.get());
}

kafka_partition_reader::~kafka_partition_reader() {
  close();
}

void kafka_partition_reader::close() {
  if (!impl_->client)
    return;
  rd_kafka_queue_cb_event_enable(impl_->queue, nullptr, nullptr);
  rd_kafka_queue_destroy(impl_->queue);
  impl_->queue = nullptr;
  impl_->client.reset();
}

void kafka_partition_reader::add(std::vector<kafka_partition_split> splits) {
  partition_list list{static_cast<int>(splits.size())};
  bool brokers_answer = true; // else one assignment waits at most a second for them
  for (auto& s : splits) {
    if (impl::at_end(s, s.offset))
      continue; // nothing to read
    if (brokers_answer)
      brokers_answer = impl_->learn_topic(s.topic);
    list.add(s.topic, s.partition, s.offset);
    impl::partition p;
    p.offsets = impl_->offsets_of(s);
    p.split = std::move(s);
    impl_->partitions.push_back(std::move(p));
  }
  if (list.list->cnt == 0)
    return;
  if (auto* error = rd_kafka_incremental_assign(impl_->client.get(), list.list)) {
    std::string what = rd_kafka_error_string(error);
    rd_kafka_error_destroy(error);
    throw std::runtime_error("cannot start reading Kafka partitions: " + what);
  }
}

std::size_t kafka_partition_reader::poll(std::size_t max_records, kafka_record_visitor& visitor) {
  rd_kafka_poll(impl_->client.get(), 0); // commit results and client errors
  std::size_t passed = 0;
  auto& batch = impl_->batch;
  while (passed < max_records) {
    auto want = std::min<std::size_t>(max_records - passed, 4096);
    batch.resize(want);
    auto n = rd_kafka_consume_batch_queue(impl_->queue, 0, batch.data(), want);
    if (n < 0)
      throw std::runtime_error(std::string{"reading from Kafka failed: "} +
                               rd_kafka_err2str(rd_kafka_last_error()));
    auto got = static_cast<std::size_t>(n);
    std::size_t i = 0;
    try {
      for (; i < got; ++i) {
        if (impl_->take(*batch[i], visitor))
          ++passed;
        rd_kafka_message_destroy(batch[i]);
      }
    } catch (...) {
      for (; i < got; ++i)
        rd_kafka_message_destroy(batch[i]);
      throw;
    }
    if (got < want)
      break; // drained: the queue's callback wakes the subtask for more
  }
  return passed;
}

std::size_t kafka_partition_reader::splits() const {
  return impl_->partitions.size();
}

std::vector<kafka_partition_split> kafka_partition_reader::snapshot(checkpoint_id checkpoint) {
  std::vector<kafka_partition_split> out;
  out.reserve(impl_->partitions.size());
  for (const auto& p : impl_->partitions)
    out.push_back(p.split);
  if (kafka::commits_offsets(impl_->settings)) {
    auto& commit = impl_->snapshots[checkpoint.value()];
    commit = out;
    commit.insert(commit.end(), impl_->finished.begin(), impl_->finished.end());
  }
  impl_->finished.clear();
  return out;
}

void kafka_partition_reader::checkpoint_complete(checkpoint_id checkpoint) {
  auto it = impl_->snapshots.find(checkpoint.value());
  if (it == impl_->snapshots.end())
    return;
  partition_list list{static_cast<int>(it->second.size())};
  for (const auto& s : it->second)
    list.add(s.topic, s.partition, s.offset);
  impl_->snapshots.erase(impl_->snapshots.begin(), std::next(it));
  if (list.list->cnt > 0)
    rd_kafka_commit(impl_->client.get(), list.list, 1);
}

} // namespace flinkcpp::detail
