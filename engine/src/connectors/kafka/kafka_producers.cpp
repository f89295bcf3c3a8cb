#include "connectors/kafka/kafka_producers.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "util/logging.hpp"

namespace flinkcpp::kafka {

void writer_signals::fail(std::string what) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (error_.empty())
      error_ = std::move(what);
  }
  wake();
}

void writer_signals::check() const {
  std::lock_guard<std::mutex> guard{mutex_};
  if (!error_.empty())
    throw std::runtime_error(error_);
}

producer::producer(std::string transactional_id, std::shared_ptr<writer_signals> signals)
  : transactional_id_(std::move(transactional_id)),
    signals_(std::move(signals)) {}

std::shared_ptr<producer> producer::make(const std::map<std::string, std::string>& properties,
                                         std::string transactional_id,
                                         std::shared_ptr<writer_signals> signals) {
  std::shared_ptr<producer> p{new producer(std::move(transactional_id), std::move(signals))};
  auto props = properties;
  if (!p->transactional_id_.empty())
    props["statistics.interval.ms"] = "50"; // the producer id and epoch come with them
  p->client_ = make_client(RD_KAFKA_PRODUCER, props, &producer::configure, p.get());
  rd_kafka_queue_t* main = rd_kafka_queue_get_main(p->client_.get());
  rd_kafka_queue_cb_event_enable(
    main, [](rd_kafka_t*, void* self) { static_cast<producer*>(self)->signals_->wake(); }, p.get());
  rd_kafka_queue_destroy(main);
  if (p->transactional_id_.empty())
    p->ready_.store(true, std::memory_order_release);
  return p;
}

void producer::configure(rd_kafka_conf_t* conf, void* self) {
  rd_kafka_conf_set_opaque(conf, self);
  rd_kafka_conf_set_dr_msg_cb(conf, &producer::on_delivery);
  rd_kafka_conf_set_error_cb(conf, &producer::on_error);
  rd_kafka_conf_set_stats_cb(conf, &producer::on_statistics);
}

void producer::on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  try {
    auto* self = static_cast<producer*>(opaque);
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Never acknowledged: its epoch stays open, so no barrier after it
      // becomes durable (a checkpoint must not complete with a transaction
      // that lost a record); the failure fails the job.
      self->signals_->fail("cannot write a record to Kafka " +
                           describe(rd_kafka_topic_name(message->rkt), message->partition) + ": " +
                           rd_kafka_err2str(message->err));
      return;
    }
    static_cast<record_epoch*>(message->_private)
      ->outstanding.fetch_sub(1, std::memory_order_acq_rel);
  } catch (...) {
    // Out of memory reporting it: the epoch stays open, the checkpoint waits.
  }
}

void producer::on_error(rd_kafka_t* rk, int error, const char* reason, void* opaque) {
  try {
    if (error != RD_KAFKA_RESP_ERR__FATAL)
      return; // transient (a broker down): the log says so, the client retries
    char text[512];
    rd_kafka_fatal_error(rk, text, sizeof text);
    static_cast<producer*>(opaque)->signals_->fail(std::string{"the Kafka producer failed: "} +
                                                   text + " (" + reason + ")");
  } catch (...) {
    // Out of memory: check() reports nothing, the delivery reports will.
  }
}

int producer::on_statistics(rd_kafka_t*, char* json, std::size_t length, void* opaque) {
  try {
    auto stats = nlohmann::json::parse(json, json + length, nullptr, false);
    if (stats.is_object() && stats.contains("eos")) {
      const auto& eos = stats["eos"];
      auto* self = static_cast<producer*>(opaque);
      auto id = eos.value("producer_id", std::int64_t{-1});
      auto epoch = eos.value("producer_epoch", std::int32_t{-1});
      if (id >= 0 && epoch >= 0) {
        self->epoch_.store(epoch, std::memory_order_relaxed);
        self->producer_id_.store(id, std::memory_order_release);
      }
    }
  } catch (...) {
    // Unreadable statistics: the next ones are read again.
  }
  return 0; // librdkafka frees the JSON
}

void producer::init_transactions(std::chrono::milliseconds timeout) {
  if (rd_kafka_error_t* e =
        rd_kafka_init_transactions(client_.get(), static_cast<int>(timeout.count()))) {
    signals_->fail("cannot initialize the Kafka transactions of '" + transactional_id_ +
                   "': " + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
    return;
  }
  ready_.store(true, std::memory_order_release);
  signals_->wake();
}

bool producer::await_identity(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!identity_known()) {
    if (std::chrono::steady_clock::now() > deadline) {
      signals_->fail("the Kafka producer of '" + transactional_id_ +
                     "' reported no producer id within " + std::to_string(timeout.count()) + " ms");
      return false;
    }
    rd_kafka_poll(client_.get(), 5);
  }
  return true;
}

void producer::begin_transaction_once() {
  if (begun_)
    return;
  begun_ = true;
  if (rd_kafka_error_t* e = rd_kafka_begin_transaction(client_.get())) {
    signals_->fail("cannot begin the Kafka transaction '" + transactional_id_ +
                   "': " + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
  }
}

kafka_committable producer::committable() const {
  kafka_committable c;
  c.transactional_id = transactional_id_;
  c.producer_id = producer_id_.load(std::memory_order_acquire);
  c.epoch = static_cast<std::int16_t>(epoch_.load(std::memory_order_relaxed));
  return c;
}

void producer::produce(const kafka_producer_record& r) {
  if (!backlog_.empty()) {
    backlog_.push_back(r);
    return;
  }
  rd_kafka_headers_t* headers = nullptr;
  if (!r.headers.empty()) {
    headers = rd_kafka_headers_new(r.headers.size());
    for (const auto& [name, value] : r.headers)
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
  }
  std::array<rd_kafka_vu_t, 8> fields{};
  std::size_t n = 0;
  fields[n].vtype = RD_KAFKA_VTYPE_TOPIC;
  fields[n++].u.cstr = r.topic.c_str();
  fields[n].vtype = RD_KAFKA_VTYPE_PARTITION;
  fields[n++].u.i32 = r.partition;
  fields[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  fields[n++].u.i = RD_KAFKA_MSG_F_COPY;
  if (r.value) {
    fields[n].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[n].u.mem.ptr = const_cast<char*>(r.value->data());
    fields[n++].u.mem.size = r.value->size();
  }
  if (r.key) {
    fields[n].vtype = RD_KAFKA_VTYPE_KEY;
    fields[n].u.mem.ptr = const_cast<char*>(r.key->data());
    fields[n++].u.mem.size = r.key->size();
  }
  if (r.timestamp >= 0) {
    fields[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
    fields[n++].u.i64 = r.timestamp;
  }
  if (headers != nullptr) {
    fields[n].vtype = RD_KAFKA_VTYPE_HEADERS;
    fields[n++].u.headers = headers;
  }
  fields[n].vtype = RD_KAFKA_VTYPE_OPAQUE;
  fields[n++].u.ptr = open_.get();
  open_->outstanding.fetch_add(1, std::memory_order_relaxed);
  rd_kafka_error_t* error = rd_kafka_produceva(client_.get(), fields.data(), n);
  if (error == nullptr) {
    ++produced_;
    return;
  }
  auto err = rd_kafka_error_code(error);
  std::string what = rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);
  open_->outstanding.fetch_sub(1, std::memory_order_relaxed);
  if (headers != nullptr)
    rd_kafka_headers_destroy(headers);
  if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
    backlog_.push_back(r);
    return;
  }
  signals_->fail("cannot write a record to Kafka topic '" + r.topic + "': " + what);
}

void producer::poll() {
  rd_kafka_poll(client_.get(), 0);
  if (backlog_.empty())
    return;
  auto backlog = std::exchange(backlog_, {});
  for (const auto& r : backlog)
    produce(r);
}

std::function<bool()> producer::close_epoch() {
  epochs_.erase(std::remove_if(epochs_.begin(), epochs_.end(),
                               [](const std::shared_ptr<record_epoch>& e) {
                                 return e->outstanding.load(std::memory_order_acquire) == 0;
                               }),
                epochs_.end());
  epochs_.push_back(std::exchange(open_, std::make_shared<record_epoch>()));
  std::weak_ptr<producer> self = weak_from_this();
  return [self, closed = epochs_] {
    if (auto p = self.lock())
      p->poll();
    return std::all_of(closed.begin(), closed.end(), [](const std::shared_ptr<record_epoch>& e) {
      return e->outstanding.load(std::memory_order_acquire) == 0;
    });
  };
}

bool producer::drained() {
  poll();
  return backlog_.empty() && rd_kafka_outq_len(client_.get()) == 0;
}

rd_kafka_error_t* producer::end_transaction(bool commit, std::chrono::milliseconds timeout) {
  auto ms = static_cast<int>(timeout.count());
  return commit ? rd_kafka_commit_transaction(client_.get(), ms)
                : rd_kafka_abort_transaction(client_.get(), ms);
}

std::int32_t producer::partition_count(const std::string& topic,
                                       std::chrono::milliseconds timeout) {
  auto& kept = topics_[topic];
  if (!kept)
    kept.reset(rd_kafka_topic_new(client_.get(), topic.c_str(), nullptr));
  rd_kafka_topic_t* rkt = kept.get();
  if (rkt == nullptr)
    throw std::runtime_error("cannot use Kafka topic '" + topic +
                             "': " + rd_kafka_err2str(rd_kafka_last_error()));
  auto asked = ask_partitions(client_.get(), rkt, timeout);
  if (asked.error != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("cannot read the metadata of Kafka topic '" + topic +
                             "': " + rd_kafka_err2str(asked.error));
  return asked.count;
}

std::map<std::string, std::int32_t> producer::look_up(const std::set<std::string>& topics,
                                                      std::chrono::milliseconds timeout) {
  std::map<std::string, std::int32_t> counts;
  for (const auto& topic : topics) {
    try {
      if (auto count = partition_count(topic, timeout); count > 0)
        counts.emplace(topic, count);
    } catch (const std::runtime_error& e) {
      logger("kafka")->info("{} (records to it will wait for it)", e.what());
    }
  }
  return counts;
}

namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

std::map<std::string, std::shared_ptr<producer>>& registry() {
  static std::map<std::string, std::shared_ptr<producer>> live;
  return live;
}

} // namespace

void register_live_producer(std::shared_ptr<producer> p) {
  std::lock_guard<std::mutex> guard{registry_mutex()};
  registry()[p->transactional_id()] = std::move(p);
}

std::shared_ptr<producer> take_live_producer(const std::string& transactional_id) {
  std::lock_guard<std::mutex> guard{registry_mutex()};
  auto i = registry().find(transactional_id);
  if (i == registry().end())
    return nullptr;
  auto p = std::move(i->second);
  registry().erase(i);
  return p;
}

void forget_live_producer(const std::string& transactional_id) {
  (void)take_live_producer(transactional_id);
}

} // namespace flinkcpp::kafka
