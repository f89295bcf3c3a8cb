#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "connectors/kafka/kafka_client.hpp"
#include "connectors/kafka/kafka_producers.hpp"
#include "connectors/kafka/transaction_coordinator.hpp"
#include "connectors/serial_io.hpp"
#include "flinkcpp/kafka_sink.hpp"

namespace flinkcpp {

namespace {

using kafka::producer;

/// The transactional id of transaction `n` of subtask `subtask`.
std::string transactional_id(const std::string& prefix, std::int32_t subtask, std::int64_t n) {
  return prefix + "-" + std::to_string(subtask) + "-" + std::to_string(n);
}

/// The client properties of a writer's producers.
std::map<std::string, std::string> producer_properties(const kafka_sink_settings& settings,
                                                       int subtask) {
  auto p = settings.properties;
  p["bootstrap.servers"] = settings.bootstrap_servers;
  p["client.id"] = settings.client_id_prefix + "-" + std::to_string(subtask);
  // Keyed records go to the partitions Java clients (and Flink) choose.
  p.try_emplace("partitioner", "murmur2_random");
  if (settings.guarantee != delivery_guarantee::none)
    p.try_emplace("enable.idempotence", "true");
  return p;
}

/// What the io executor hands the subtask: an exactly-once writer's first
/// producers, made once the transactions left open were aborted.
struct first_producers {
  std::mutex mutex;
  std::shared_ptr<producer> current;
  std::shared_ptr<producer> spare;
  std::int64_t next_transaction = -1; ///< set when they are there
};

} // namespace

/// See the header. Threads: the subtask's for the methods; the io
/// executor's (one operation at a time, through `io`) for what blocks:
/// aborting left-over transactions, initializing producers, aborting the
/// open transaction, asking for partition counts.
struct detail::kafka_producer_writer::impl
  : std::enable_shared_from_this<detail::kafka_producer_writer::impl> {
  kafka_sink_settings settings;
  int subtask;
  int parallelism;
  std::shared_ptr<kafka::writer_signals> signals;
  serial_io io;
  std::shared_ptr<producer> current; ///< null until an exactly-once writer got its first
  /// exactly_once: the producer of the transaction after current's,
  /// initialized ahead so that a barrier need not wait for one.
  std::shared_ptr<producer> spare;
  std::int64_t next_transaction = 0; ///< exactly_once: the number the next spare gets
  std::shared_ptr<first_producers> first = std::make_shared<first_producers>();
  std::vector<kafka_committable> prepared;
  std::vector<kafka_producer_record> held; ///< produced before current was ready
  std::shared_ptr<std::map<std::string, std::int32_t>> partition_counts =
    std::make_shared<std::map<std::string, std::int32_t>>();
  std::shared_ptr<std::mutex> partition_mutex = std::make_shared<std::mutex>();
  std::set<std::string> looking_up;
  std::optional<std::string> named_topic; ///< the serializer's, if it names one
  /// The topics a new producer looks up as it starts: the named one and,
  /// for exactly once, those written to since the last barrier.
  std::set<std::string> topics;
  std::string last_topic; ///< of the last record; the others are in topics
  bool adopted = false;   ///< exactly_once: took the first producers
  /// exactly_once: holds once the last pre-committed transaction's records
  /// are acknowledged; until then, records wait.
  std::function<bool()> draining;
  bool ended = false;

  impl(const kafka_sink_settings& s, sink_writer_context& context,
       const std::optional<std::string>& topic)
    : settings(s),
      subtask(context.subtask_index()),
      parallelism(context.parallelism()),
      signals(std::make_shared<kafka::writer_signals>(context.waker())),
      io(context.io(), context.waker()),
      named_topic(topic) {
    if (topic)
      topics.insert(*topic);
  }

  bool transactional() const { return settings.guarantee == delivery_guarantee::exactly_once; }

  std::shared_ptr<producer> make_producer(std::string id) const {
    auto properties = producer_properties(settings, subtask);
    if (!id.empty()) {
      properties["transactional.id"] = id;
      properties["transaction.timeout.ms"] = std::to_string(settings.transaction_timeout.count());
    }
    return producer::make(properties, std::move(id), signals);
  }

  /// On the io executor: for exactly once, initializes the transactions of
  /// `p`; then looks `known` up with it, so that its first records go out
  /// at once (keeping their partition counts). In this order: a
  /// transactional producer that learned a topic's partitions before its
  /// producer id lost whole transactions to read_committed readers in the
  /// 20-kill test (librdkafka 2.0.2).
  void prepare(producer& p, const std::set<std::string>& known) const {
    if (transactional())
      p.init_transactions(settings.api_timeout);
    auto counts = p.look_up(known, settings.api_timeout);
    {
      std::lock_guard<std::mutex> guard{*partition_mutex};
      partition_counts->insert(counts.begin(), counts.end());
    }
  }

  /// Whether current can take records now (an exactly-once writer adopts
  /// its first producers once the io executor made them).
  bool current_ready() {
    if (!adopted && transactional()) {
      std::lock_guard<std::mutex> guard{first->mutex};
      if (first->next_transaction < 0)
        return false;
      current = std::move(first->current);
      spare = std::move(first->spare);
      next_transaction = first->next_transaction;
      adopted = true;
    }
    if (!current)
      return ended; // the input ended: nothing more to write
    // A record of the next transaction must not overtake one of the last
    // (a key's updates stay in order in its partition).
    if (draining && !draining())
      return false;
    draining = nullptr;
    if (!current->ready())
      return false;
    if (transactional())
      current->begin_transaction_once();
    if (!held.empty())
      for (const auto& r : std::exchange(held, {}))
        current->produce(r);
    return true;
  }

  /// exactly_once, on a barrier: the spare becomes current, and the next
  /// spare's producer is initialized on the io executor.
  void rotate() {
    current = std::move(spare);
    spare = make_producer(
      transactional_id(settings.transactional_id_prefix, subtask, next_transaction++));
    io.submit([self = shared_from_this(), p = spare, known = std::exchange(topics, {})] {
      self->prepare(*p, known);
    });
    if (named_topic)
      topics.insert(*named_topic);
    last_topic.clear();
  }
};

detail::kafka_producer_writer::kafka_producer_writer(
  const kafka_sink_settings& settings, sink_writer_context& context,
  const std::vector<kafka_writer_state>& restored, const std::optional<std::string>& topic)
  : impl_(std::make_shared<impl>(settings, context, topic)) {
  auto& s = *impl_;
  if (!s.transactional()) {
    s.current = s.make_producer({});
    if (!s.topics.empty())
      s.io.submit([self = impl_, p = s.current, known = s.topics] { self->prepare(*p, known); });
    return;
  }
  // Abort what the attempts after the restored checkpoint left open (or,
  // starting afresh, what an earlier job of this prefix did): fence each
  // transactional id from the restored next one on, up to the first never
  // used. Subtask 0 also does it for subtasks a rescale removed.
  std::map<std::int32_t, std::int64_t> probe_from;
  for (const auto& state : restored)
    if (state.transactional_id_prefix == settings.transactional_id_prefix &&
        (state.subtask == s.subtask || (s.subtask == 0 && state.subtask >= s.parallelism)))
      probe_from[state.subtask] = std::max(probe_from[state.subtask], state.next_transaction);
  probe_from.try_emplace(s.subtask, 0);
  s.io.submit([impl = impl_, probe_from, known = s.topics] {
    const auto& sink = impl->settings;
    kafka::transaction_coordinator coordinator{sink.bootstrap_servers, sink.api_timeout,
                                               sink.transaction_timeout};
    std::int64_t first_unused = 0;
    for (auto [owner, n] : probe_from) {
      for (;; ++n) {
        auto id = transactional_id(sink.transactional_id_prefix, owner, n);
        kafka::forget_live_producer(id);
        if (coordinator.init_producer_id(id).epoch == 0)
          break;
      }
      if (owner == impl->subtask)
        first_unused = n + 1;
    }
    auto current = impl->make_producer(
      transactional_id(sink.transactional_id_prefix, impl->subtask, first_unused));
    impl->prepare(*current, known);
    auto spare = impl->make_producer(
      transactional_id(sink.transactional_id_prefix, impl->subtask, first_unused + 1));
    impl->prepare(*spare, known);
    std::lock_guard<std::mutex> guard{impl->first->mutex};
    impl->first->current = std::move(current);
    impl->first->spare = std::move(spare);
    impl->first->next_transaction = first_unused + 2;
  });
}

detail::kafka_producer_writer::~kafka_producer_writer() = default;

std::optional<std::int32_t> detail::kafka_producer_writer::partitions_of(const std::string& topic) {
  auto& s = *impl_;
  {
    std::lock_guard<std::mutex> guard{*s.partition_mutex};
    if (auto i = s.partition_counts->find(topic); i != s.partition_counts->end())
      return i->second;
  }
  // Asked again (from the writer's ready()) until a producer can look it up.
  if (!s.current_ready() || !s.current || !s.looking_up.insert(topic).second)
    return std::nullopt;
  s.io.submit([p = s.current, topic, counts = s.partition_counts, mutex = s.partition_mutex,
               timeout = s.settings.api_timeout] {
    auto count = p->partition_count(topic, timeout);
    if (count <= 0)
      throw std::runtime_error("Kafka topic '" + topic + "' does not exist");
    std::lock_guard<std::mutex> guard{*mutex};
    (*counts)[topic] = count;
  });
  return std::nullopt;
}

void detail::kafka_producer_writer::produce(const kafka_producer_record& record) {
  auto& s = *impl_;
  if (s.transactional() && record.topic != s.last_topic) { // for the next transaction's producer
    s.last_topic = record.topic;
    s.topics.insert(record.topic);
  }
  if (!s.held.empty() || !s.current_ready())
    s.held.push_back(record);
  else
    s.current->produce(record);
}

bool detail::kafka_producer_writer::ready() {
  auto& s = *impl_;
  if (!s.current_ready())
    return false;
  if (!s.current)
    return true; // ended
  s.current->poll();
  return s.current->backlog() == 0;
}

std::function<bool()> detail::kafka_producer_writer::flush(bool end_of_input) {
  auto& s = *impl_;
  if (!s.held.empty() || !s.current_ready())
    // Only an exactly-once writer waits for its producers (the end of the
    // input comes once it is ready): the records before this barrier have
    // no transaction to be pre-committed in yet.
    throw spi::snapshot_declined("the Kafka sink's transactional producer is not ready yet");
  switch (s.settings.guarantee) {
    case delivery_guarantee::none:
      if (!end_of_input)
        return {};
      return [p = s.current] { return p->drained(); };
    case delivery_guarantee::at_least_once:
      return s.current->close_epoch();
    case delivery_guarantee::exactly_once:
      break;
  }
  if (s.ended)
    return {};
  if (s.current->produced() > 0 && !s.current->identity_known()) {
    // The producer started less than a statistics interval ago: a barrier
    // is declined (the next one finds the identity); the end of the input
    // waits for it, once.
    if (!end_of_input)
      throw spi::snapshot_declined(
        "the Kafka sink's transactional producer has not reported its id yet");
    if (!s.current->await_identity(s.settings.api_timeout))
      throw std::runtime_error("the Kafka sink's transactional producer '" +
                               s.current->transactional_id() + "' reported no producer id");
  }
  s.ended = end_of_input;
  if (s.current->produced() == 0)
    return {}; // an empty transaction stays open for the next records
  auto durable = s.current->close_epoch();
  s.prepared.push_back(s.current->committable());
  kafka::register_live_producer(s.current);
  if (end_of_input) {
    s.current.reset();
    return durable;
  }
  s.draining = durable;
  s.rotate();
  return durable;
}

std::vector<kafka_committable> detail::kafka_producer_writer::prepare_commit() {
  return std::exchange(impl_->prepared, {});
}

std::vector<kafka_writer_state> detail::kafka_producer_writer::snapshot_state() {
  auto& s = *impl_;
  if (!s.transactional())
    return {};
  kafka_writer_state state;
  state.transactional_id_prefix = s.settings.transactional_id_prefix;
  state.subtask = s.subtask;
  // The number of the open transaction (the spare's is one more): those
  // from there on are aborted on restore.
  state.next_transaction = s.current ? s.next_transaction - 2 : s.next_transaction;
  return {state};
}

void detail::kafka_producer_writer::check() {
  impl_->signals->check();
  impl_->io.check();
}

bool detail::kafka_producer_writer::quiescent() const {
  return impl_->io.pending() == 0;
}

void detail::kafka_producer_writer::abort() noexcept {
  try {
    auto& s = *impl_;
    // Pre-committed transactions stay: a restore commits those of its
    // checkpoint and aborts the others.
    s.io.submit([open = s.current, spare = s.spare, transactional = s.transactional(),
                 timeout = s.settings.api_timeout] {
      if (open && transactional && open->ready())
        if (rd_kafka_error_t* e = open->end_transaction(false, timeout))
          rd_kafka_error_destroy(e);
    });
    s.current.reset();
    s.spare.reset();
  } catch (...) {
    // Out of memory: the open transaction times out on the broker.
  }
}

} // namespace flinkcpp
