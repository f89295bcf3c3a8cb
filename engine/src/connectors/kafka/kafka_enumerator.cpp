#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "connectors/kafka/kafka_client.hpp"
#include "connectors/kafka/kafka_settings.hpp"
#include "flinkcpp/kafka_source.hpp"

namespace flinkcpp::detail {

namespace {

/// Finds the partitions of a source's topics and where each starts and
/// stops, by asking the brokers (blocking: run off the enumerator's
/// thread). Remembers the partitions it found, so that each is new once.
/// Thread-safe.
class partition_discovery {
public:
  partition_discovery(kafka_source_settings settings, std::vector<kafka_topic_partition> known)
    : settings_(std::move(settings)),
      known_(known.begin(), known.end()) {}

  /// The splits of the partitions not found before. Throws
  /// std::runtime_error naming the brokers, a missing topic, or a
  /// partition whose offset cannot be resolved.
  std::vector<kafka_partition_split> discover() {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!client_)
      client_ = kafka::make_client(
        RD_KAFKA_CONSUMER,
        kafka::consumer_properties(settings_, settings_.client_id_prefix + "-enumerator"));
    std::vector<kafka_partition_split> found;
    for (auto& tp : list_partitions())
      if (known_.count(tp) == 0) {
        kafka_partition_split s;
        s.topic = tp.topic;
        s.partition = tp.partition;
        found.push_back(std::move(s));
      }
    if (found.empty())
      return found;
    auto starts = resolve(settings_.starting, found, "starting");
    std::vector<std::int64_t> stops;
    if (settings_.stopping)
      stops = resolve(*settings_.stopping, found, "stopping");
    for (std::size_t i = 0; i < found.size(); ++i) {
      found[i].offset = starts[i];
      if (settings_.stopping)
        found[i].stopping_offset = std::max(stops[i], starts[i]);
      known_.insert({found[i].topic, found[i].partition});
    }
    return found;
  }

private:
  std::string brokers() const { return "the Kafka brokers at " + settings_.bootstrap_servers; }
  int timeout_ms() const { return static_cast<int>(settings_.api_timeout.count()); }

  /// Errors a request is tried again after (a leader moving, a broker down
  /// for a while), as Kafka's admin client does, until the api timeout.
  static bool retriable(rd_kafka_resp_err_t err) {
    switch (err) {
      case RD_KAFKA_RESP_ERR__TRANSPORT:
      case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
      case RD_KAFKA_RESP_ERR__TIMED_OUT:
      case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
      case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
      case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
      case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
      case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
      case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
      case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART: // metadata not yet everywhere
        return true;
      default:
        return false;
    }
  }

  /// request(timeout_ms) until it succeeds, fails for good, or the api
  /// timeout passed; returns its last result.
  template <class Request>
  rd_kafka_resp_err_t with_retries(Request request) {
    auto deadline = std::chrono::steady_clock::now() + settings_.api_timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      auto err = request(static_cast<int>(std::max<std::int64_t>(1, left.count())));
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR || !retriable(err) ||
          std::chrono::steady_clock::now() + retry_backoff >= deadline)
        return err;
      std::this_thread::sleep_for(retry_backoff); // an I/O thread, between tries
    }
  }

  static constexpr std::chrono::milliseconds retry_backoff{100};

  std::vector<kafka_topic_partition> list_partitions() {
    const rd_kafka_metadata_t* md = nullptr;
    auto err = with_retries(
      [&](int timeout) { return rd_kafka_metadata(client_.get(), 1, nullptr, &md, timeout); });
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw std::runtime_error("cannot get the topics of " + brokers() + " within " +
                               std::to_string(timeout_ms()) + " ms: " + rd_kafka_err2str(err));
    std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t*)> guard{
      md, rd_kafka_metadata_destroy};
    std::map<std::string, const rd_kafka_metadata_topic_t*> topics;
    for (int i = 0; i < md->topic_cnt; ++i)
      if (md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR)
        topics[md->topics[i].topic] = &md->topics[i];
    std::vector<kafka_topic_partition> out;
    auto add = [&](const rd_kafka_metadata_topic_t& t) {
      for (int p = 0; p < t.partition_cnt; ++p)
        out.push_back({t.topic, t.partitions[p].id});
    };
    if (settings_.topic_pattern.empty()) {
      for (const auto& name : settings_.topics) {
        auto it = topics.find(name);
        if (it == topics.end())
          throw std::runtime_error("Kafka topic '" + name + "' does not exist at " + brokers());
        add(*it->second);
      }
    } else {
      std::regex pattern{settings_.topic_pattern};
      for (const auto& [name, t] : topics)
        if (name.rfind("__", 0) != 0 && std::regex_match(name, pattern))
          add(*t);
    }
    return out;
  }

  /// The offsets `init` gives the partitions of `splits`, in their order.
  std::vector<std::int64_t> resolve(const offsets_initializer& init,
                                    const std::vector<kafka_partition_split>& splits,
                                    const char* what) {
    using kind = offsets_initializer::kind;
    std::vector<std::int64_t> out(splits.size(), RD_KAFKA_OFFSET_INVALID);
    std::vector<std::size_t> all(splits.size());
    for (std::size_t i = 0; i < splits.size(); ++i)
      all[i] = i;
    if (init.what == kind::timestamp) {
      list_offsets(splits, all, init.timestamp_ms, out, what);
    } else if (init.what == kind::committed) {
      auto list = partition_list(splits, all, RD_KAFKA_OFFSET_INVALID);
      auto err = with_retries(
        [&](int timeout) { return rd_kafka_committed(client_.get(), list.get(), timeout); });
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw std::runtime_error(std::string{"cannot resolve the "} + what + " offsets at " +
                                 brokers() + ": " + rd_kafka_err2str(err));
      for (std::size_t i = 0; i < splits.size(); ++i)
        out[i] = list->elems[i].offset;
    } else if (init.what == kind::specific) {
      for (std::size_t i = 0; i < splits.size(); ++i) {
        auto it = init.offsets.find({splits[i].topic, splits[i].partition});
        if (it != init.offsets.end())
          out[i] = it->second;
      }
    }
    // The partitions left start (or stop) at an end of their log: asked
    // for all at once, each end in one request per broker (a request per
    // partition and end took a round trip each).
    std::vector<std::size_t> at_start;
    std::vector<std::size_t> at_end;
    for (std::size_t i = 0; i < splits.size(); ++i) {
      if (out[i] >= 0)
        continue;
      auto fallback = init.what == kind::earliest    ? offset_reset::earliest
                      : init.what == kind::latest    ? offset_reset::latest
                      : init.what == kind::timestamp ? offset_reset::latest
                                                     : init.reset;
      if (fallback == offset_reset::none)
        throw std::runtime_error(std::string{"no "} + what + " offset for Kafka " +
                                 kafka::describe(splits[i].topic, splits[i].partition) +
                                 (init.what == kind::committed
                                    ? " (group '" + settings_.group_id + "' committed none)"
                                    : std::string{}) +
                                 " and the reset strategy is none");
      (fallback == offset_reset::earliest ? at_start : at_end).push_back(i);
    }
    list_offsets(splits, at_start, RD_KAFKA_OFFSET_BEGINNING, out, what);
    list_offsets(splits, at_end, RD_KAFKA_OFFSET_END, out, what);
    return out;
  }

  using partition_list_ptr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, void (*)(rd_kafka_topic_partition_list_t*)>;

  /// The partitions splits[i], i in `which`, in that order, each with `offset`.
  static partition_list_ptr partition_list(const std::vector<kafka_partition_split>& splits,
                                           const std::vector<std::size_t>& which,
                                           std::int64_t offset) {
    partition_list_ptr list{rd_kafka_topic_partition_list_new(static_cast<int>(which.size())),
                            rd_kafka_topic_partition_list_destroy};
    for (auto i : which)
      rd_kafka_topic_partition_list_add(list.get(), splits[i].topic.c_str(), splits[i].partition)
        ->offset = offset;
    return list;
  }

  /// ListOffsets (rd_kafka_offsets_for_times, one request per broker): sets
  /// out[i], for each i in `which`, to the first offset of splits[i] at or
  /// after `timestamp` (ms; -1 when there is none), or to its first offset
  /// when `timestamp` is RD_KAFKA_OFFSET_BEGINNING (-2, as the protocol
  /// reads it) or its end with RD_KAFKA_OFFSET_END (-1).
  void list_offsets(const std::vector<kafka_partition_split>& splits,
                    const std::vector<std::size_t>& which, std::int64_t timestamp,
                    std::vector<std::int64_t>& out, const char* what) {
    if (which.empty())
      return;
    auto list = partition_list(splits, which, timestamp);
    auto err = with_retries([&](int timeout) {
      for (int j = 0; j < list->cnt; ++j) {
        list->elems[j].offset = timestamp; // what the last try left
        list->elems[j].err = RD_KAFKA_RESP_ERR_NO_ERROR;
      }
      auto e = rd_kafka_offsets_for_times(client_.get(), list.get(), timeout);
      for (int j = 0; j < list->cnt && e == RD_KAFKA_RESP_ERR_NO_ERROR; ++j)
        e = list->elems[j].err;
      return e;
    });
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      throw std::runtime_error(std::string{"cannot resolve the "} + what + " offsets at " +
                               brokers() + ": " + rd_kafka_err2str(err));
    for (std::size_t j = 0; j < which.size(); ++j)
      out[which[j]] = list->elems[j].offset;
  }

  std::mutex mutex_;
  kafka_source_settings settings_;
  kafka::client_handle client_;
  std::set<kafka_topic_partition> known_;
};

/// Flink's KafkaSourceEnumerator: discovers partitions (once, or every
/// discovery interval when unbounded), gives each to the reader Flink's
/// assignment names, as soon as that reader is registered, and, bounded,
/// tells every reader no more come once the first discovery is done.
class kafka_enumerator final : public split_enumerator<kafka_partition_split, kafka_source_state> {
public:
  kafka_enumerator(split_enumerator_context<kafka_partition_split>& context,
                   const kafka_source_settings& settings, std::optional<kafka_source_state> state)
    : context_(&context),
      bounded_(settings.stopping.has_value()),
      interval_(bounded_ ? std::chrono::milliseconds{0} : settings.discovery_interval) {
    std::vector<kafka_topic_partition> known;
    if (state) {
      known = state->discovered;
      discovered_.insert(known.begin(), known.end());
      initial_done_ = state->initial_discovery_done;
      for (auto& s : state->unassigned)
        pending_[owner(s)].push_back(std::move(s));
    }
    discovery_ = std::make_shared<partition_discovery>(settings, std::move(known));
  }

  void start() override {
    if (initial_done_ && interval_.count() == 0)
      return;
    context_->call_async(
      [this, discovery = discovery_]() -> std::function<void()> {
        auto found = discovery->discover();
        return [this, found = std::move(found)]() mutable { add_discovered(std::move(found)); };
      },
      interval_);
  }

  void handle_split_request(int, const std::string&) override {}

  void add_splits_back(std::vector<kafka_partition_split> splits, int) override {
    for (auto& s : splits)
      pending_[owner(s)].push_back(std::move(s));
    assign_pending();
  }

  void add_reader(int subtask) override {
    told_no_more_.erase(subtask);
    assign_pending();
  }

  kafka_source_state snapshot_state(checkpoint_id) override {
    kafka_source_state state;
    state.discovered.reserve(discovered_.size());
    for (const auto& p : discovered_)
      state.discovered.push_back(p);
    for (const auto& [reader, splits] : pending_)
      state.unassigned.insert(state.unassigned.end(), splits.begin(), splits.end());
    state.initial_discovery_done = initial_done_;
    return state;
  }

private:
  /// Flink's KafkaSourceEnumerator.getSplitOwner.
  int owner(const kafka_partition_split& s) const {
    auto readers = static_cast<std::uint32_t>(context_->current_parallelism());
    auto start =
      (static_cast<std::uint32_t>(kafka::java_string_hash(s.topic)) * 31u & 0x7FFFFFFFu) % readers;
    return static_cast<int>((start + static_cast<std::uint32_t>(s.partition)) % readers);
  }

  void add_discovered(std::vector<kafka_partition_split> found) {
    for (auto& s : found) {
      discovered_.insert({s.topic, s.partition});
      pending_[owner(s)].push_back(std::move(s));
    }
    initial_done_ = true;
    assign_pending();
  }

  void assign_pending() {
    for (const auto& [reader, info] : context_->registered_readers()) {
      auto it = pending_.find(reader);
      if (it != pending_.end()) {
        auto splits = std::move(it->second);
        pending_.erase(it);
        for (auto& s : splits)
          context_->assign_split(std::move(s), reader);
      }
      if (bounded_ && initial_done_ && told_no_more_.insert(reader).second)
        context_->signal_no_more_splits(reader);
    }
  }

  split_enumerator_context<kafka_partition_split>* context_;
  bool bounded_;
  std::chrono::milliseconds interval_;
  std::shared_ptr<partition_discovery> discovery_;
  std::set<kafka_topic_partition> discovered_;
  std::map<int, std::vector<kafka_partition_split>> pending_; ///< by the reader to get them
  bool initial_done_ = false;
  std::set<int> told_no_more_;
};

} // namespace

std::unique_ptr<split_enumerator<kafka_partition_split, kafka_source_state>>
make_kafka_enumerator(split_enumerator_context<kafka_partition_split>& context,
                      const kafka_source_settings& settings,
                      std::optional<kafka_source_state> state) {
  return std::make_unique<kafka_enumerator>(context, settings, std::move(state));
}

} // namespace flinkcpp::detail
