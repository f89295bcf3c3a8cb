#include "support/kafka_transactions_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "support/kafka_cluster.hpp"

namespace flinkcpp::testing {

namespace {

constexpr std::int16_t produce_api = 0;
constexpr std::int16_t metadata_api = 3;
constexpr std::int16_t find_coordinator_api = 10;
constexpr std::int16_t init_producer_id_api = 22;
constexpr std::int16_t end_txn_api = 26;
constexpr std::int16_t duplicate_sequence_number = 46;
constexpr std::int16_t concurrent_transactions = 51; // retriable: InitProducerId is asked again

/// Reads the big-endian fields of a Kafka frame; throws std::runtime_error
/// instead of reading past its end.
struct wire_reader {
  const std::string& bytes;
  std::size_t pos = 0;
  std::size_t end = bytes.size();

  const char* take(std::size_t n) {
    if (end - pos < n)
      throw std::runtime_error("a frame ends " + std::to_string(n - (end - pos)) + " bytes early");
    const char* at = bytes.data() + pos;
    pos += n;
    return at;
  }
  template <class T>
  T fixed() {
    const auto* p = reinterpret_cast<const unsigned char*>(take(sizeof(T)));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      v = (v << 8) | p[i];
    return static_cast<T>(v);
  }
  std::int8_t i8() { return fixed<std::int8_t>(); }
  std::int16_t i16() { return fixed<std::int16_t>(); }
  std::int32_t i32() { return fixed<std::int32_t>(); }
  std::int64_t i64() { return fixed<std::int64_t>(); }
  std::optional<std::string> nullable_string() {
    auto n = i16();
    if (n < 0)
      return std::nullopt;
    return std::string{take(static_cast<std::size_t>(n)), static_cast<std::size_t>(n)};
  }
  std::string string() { return nullable_string().value_or(std::string{}); }
  /// A zigzag-encoded signed varint (record fields).
  std::int64_t varlong() {
    auto v = uvarint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::optional<std::string> varint_bytes() {
    auto n = varlong();
    if (n < 0)
      return std::nullopt;
    return std::string{take(static_cast<std::size_t>(n)), static_cast<std::size_t>(n)};
  }
  std::uint64_t uvarint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      auto b = static_cast<unsigned char>(*take(1));
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return v;
    }
    throw std::runtime_error("a malformed varint");
  }
  /// A flexible version's string: its length + 1 as a varint, 0 for null.
  std::optional<std::string> compact_nullable_string() {
    auto n = uvarint();
    if (n == 0)
      return std::nullopt;
    return std::string{take(static_cast<std::size_t>(n - 1)), static_cast<std::size_t>(n - 1)};
  }
  /// Skips a flexible version's tagged fields.
  void tagged_fields() {
    for (auto n = uvarint(); n > 0; --n) {
      uvarint(); // tag
      take(static_cast<std::size_t>(uvarint()));
    }
  }
};

void put_i16(std::string& bytes, std::size_t at, std::int16_t v) {
  auto u = static_cast<std::uint16_t>(v);
  bytes[at] = static_cast<char>(u >> 8);
  bytes[at + 1] = static_cast<char>(u & 0xff);
}

void put_i32(std::string& bytes, std::size_t at, std::int32_t v) {
  auto u = static_cast<std::uint32_t>(v);
  for (int i = 3; i >= 0; --i) {
    bytes[at + static_cast<std::size_t>(i)] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
}

bool read_exactly(int fd, char* out, std::size_t n) {
  while (n > 0) {
    auto got = ::recv(fd, out, n, 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return false;
    out += got;
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    auto sent = ::send(fd, data, n, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR)
      continue;
    if (sent <= 0)
      return false;
    data += sent;
    n -= static_cast<std::size_t>(sent);
  }
  return true;
}

/// One size-prefixed frame's payload; false at the end of the stream.
bool read_frame(int fd, std::string& frame) {
  char size[4];
  if (!read_exactly(fd, size, sizeof size))
    return false;
  std::string prefix{size, sizeof size};
  wire_reader r{prefix};
  auto n = r.i32();
  if (n < 0)
    return false;
  frame.resize(static_cast<std::size_t>(n));
  return read_exactly(fd, frame.data(), frame.size());
}

bool write_frame(int fd, const std::string& frame) {
  std::string size(4, '\0');
  put_i32(size, 0, static_cast<std::int32_t>(frame.size()));
  return write_all(fd, size.data(), size.size()) && write_all(fd, frame.data(), frame.size());
}

/// A socket listening on `address` at `port` (0: any, then set to the one
/// taken).
int listen_on(const std::string& address, std::int32_t& port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("the Kafka proxy cannot listen on " + address +
                             ": not an IPv4 address");
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int reuse = 1;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse) != 0 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("the Kafka proxy cannot listen on " + address + ":" +
                             std::to_string(port) + ": " + std::strerror(errno));
  port = ntohs(addr.sin_port);
  return fd;
}

/// Replaces the string `r` is at in `frame` by `with`, leaving `r` after it.
void replace_string(std::string& frame, wire_reader& r, const std::string& with) {
  auto at = r.pos;
  auto old = r.string();
  std::string encoded(2, '\0');
  encoded[0] = static_cast<char>((with.size() >> 8) & 0xff);
  encoded[1] = static_cast<char>(with.size() & 0xff);
  encoded += with;
  frame.replace(at, 2 + old.size(), encoded);
  r.pos = at + encoded.size();
  r.end = frame.size();
}

int connect_to_loopback(std::int32_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0)
    return fd;
  if (fd >= 0)
    ::close(fd);
  return -1;
}

/// A batch a Produce request carries.
struct produced_batch {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t producer_id = -1;
  std::int16_t epoch = -1;
  std::int32_t base_sequence = -1;
  bool transactional = false;
  std::vector<kafka_transactions_proxy::record> records;
};

std::string describe(const produced_batch& b) {
  return b.topic + "/" + std::to_string(b.partition) + " producer " +
         std::to_string(b.producer_id) + "." + std::to_string(b.epoch) + " sequence " +
         std::to_string(b.base_sequence) + ", " + std::to_string(b.records.size()) + " records" +
         (b.transactional ? ", transactional" : "");
}

/// Appends the record batches (magic 2) of `bytes` to `out`.
void read_batches(const std::string& bytes, const std::string& topic, std::int32_t partition,
                  std::vector<produced_batch>& out) {
  wire_reader r{bytes};
  while (r.pos < r.end) {
    r.i64(); // base offset
    auto length = r.i32();
    wire_reader batch{bytes, r.pos, r.pos + static_cast<std::size_t>(length)};
    r.take(static_cast<std::size_t>(length));
    batch.i32(); // partition leader epoch
    if (auto magic = batch.i8(); magic != 2)
      throw std::runtime_error("a record batch of magic " + std::to_string(magic));
    batch.i32(); // crc
    auto attributes = batch.i16();
    if ((attributes & 0x07) != 0)
      throw std::runtime_error("a compressed record batch");
    batch.i32(); // last offset delta
    batch.i64(); // base timestamp
    batch.i64(); // max timestamp
    produced_batch b;
    b.topic = topic;
    b.partition = partition;
    b.producer_id = batch.i64();
    b.epoch = batch.i16();
    b.base_sequence = batch.i32();
    b.transactional = (attributes & 0x10) != 0;
    auto count = batch.i32();
    if ((attributes & 0x20) != 0) // a control batch: no records of a consumer's
      continue;
    for (std::int32_t i = 0; i < count; ++i) {
      auto size = batch.varlong();
      wire_reader one{bytes, batch.pos, batch.pos + static_cast<std::size_t>(size)};
      batch.take(static_cast<std::size_t>(size));
      one.i8();      // attributes
      one.varlong(); // timestamp delta
      one.varlong(); // offset delta
      kafka_transactions_proxy::record rec;
      rec.partition = partition;
      rec.key = one.varint_bytes();
      rec.value = one.varint_bytes();
      b.records.push_back(std::move(rec));
    }
    out.push_back(std::move(b));
  }
}

} // namespace

struct kafka_transactions_proxy::listener {
  int fd = -1;
  std::int32_t broker_port = 0;
  std::int32_t port = 0;
};

/// A request whose answer the proxy reads.
struct pending_request {
  std::int16_t api_key = 0;
  std::int16_t version = 0;
  std::vector<produced_batch> batches; ///< Produce
  std::int64_t producer_id = -1;       ///< EndTxn
  std::int16_t epoch = -1;
  bool committed = false;
  std::string transactional_id; ///< InitProducerId ("" for an idempotent producer)
};

namespace {

/// "producer <id>.<epoch> commit|abort": an EndTxn request.
std::string describe_end(const pending_request& p) {
  return "producer " + std::to_string(p.producer_id) + "." + std::to_string(p.epoch) +
         (p.committed ? " commit" : " abort");
}

} // namespace

struct kafka_transactions_proxy::connection {
  int client = -1;
  int broker = -1;
  std::mutex mutex;
  std::map<std::int32_t, pending_request> pending; ///< by correlation id

  void shut() const {
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(broker, SHUT_RDWR);
  }
};

kafka_transactions_proxy::kafka_transactions_proxy(const kafka_cluster& cluster)
  : kafka_transactions_proxy(cluster.bootstrap_servers(), address{}) {}

kafka_transactions_proxy::kafka_transactions_proxy(const std::string& servers, const address& at)
  : advertised_host_(at.advertised_host.empty() ? at.listen : at.advertised_host) {
  if (::pipe2(wake_, O_CLOEXEC) != 0)
    throw std::runtime_error("the Kafka proxy cannot make a pipe");
  std::size_t start = 0;
  for (std::int32_t next_port = at.first_port; start < servers.size();) {
    auto comma = servers.find(',', start);
    auto server = servers.substr(start, comma == std::string::npos ? comma : comma - start);
    start = comma == std::string::npos ? servers.size() : comma + 1;
    auto l = std::make_unique<listener>();
    l->broker_port = std::stoi(server.substr(server.rfind(':') + 1));
    l->port = next_port;
    l->fd = listen_on(at.listen, l->port);
    if (next_port != 0)
      ++next_port;
    proxy_port_of_[l->broker_port] = l->port;
    bootstrap_servers_ +=
      (bootstrap_servers_.empty() ? "" : ",") + advertised_host_ + ":" + std::to_string(l->port);
    listeners_.push_back(std::move(l));
  }
  acceptor_ = std::thread{[this] { accept_loop(); }};
}

kafka_transactions_proxy::~kafka_transactions_proxy() {
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
    for (const auto& c : connections_)
      c->shut();
  }
  char wake = 1;
  (void)!::write(wake_[1], &wake, 1);
  acceptor_.join();
  for (auto& t : threads_)
    t.join();
  for (const auto& c : connections_) {
    ::close(c->client);
    ::close(c->broker);
  }
  for (const auto& l : listeners_)
    ::close(l->fd);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void kafka_transactions_proxy::accept_loop() {
  std::vector<pollfd> fds;
  for (const auto& l : listeners_)
    fds.push_back(pollfd{l->fd, POLLIN, 0});
  fds.push_back(pollfd{wake_[0], POLLIN, 0});
  for (;;) {
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR)
      return;
    if (fds.back().revents != 0)
      return;
    for (std::size_t i = 0; i < listeners_.size(); ++i) {
      if ((fds[i].revents & POLLIN) == 0)
        continue;
      int client = ::accept4(listeners_[i]->fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0)
        continue;
      auto c = std::make_shared<connection>();
      c->client = client;
      std::lock_guard lock{mutex_};
      if (stopping_) {
        ::close(client);
        return;
      }
      connections_.push_back(c);
      // The connection to the broker is made on the connection's own
      // thread: a broker slow to accept (the mock's listen backlog is 5)
      // must not hold up the clients behind this one.
      threads_.emplace_back([this, c, port = listeners_[i]->broker_port] { serve(c, port); });
    }
  }
}

void kafka_transactions_proxy::serve(const std::shared_ptr<connection>& c,
                                     std::int32_t broker_port) {
  int broker = connect_to_loopback(broker_port);
  {
    std::lock_guard lock{mutex_};
    if (broker < 0 || stopping_) { // the broker is down: so is its proxy
      if (broker >= 0)
        ::close(broker);
      ::shutdown(c->client, SHUT_RDWR); // closed with the proxy
      return;
    }
    c->broker = broker;
    // A client that goes (a taskmanager killed) may leave requests the
    // broker still answers: the broker hears the end of the requests and
    // the proxy reads its answers to the end, as they count (an EndTxn the
    // coordinator took is committed, whoever hears of it).
    threads_.emplace_back([this, c] {
      std::string frame;
      while (read_frame(c->broker, frame)) {
        on_response(*c, frame);
        (void)write_frame(c->client, frame); // a client gone still has its answers read
      }
      c->shut();
      std::lock_guard guard{c->mutex};
      for (const auto& [correlation, p] : c->pending) {
        for (const auto& b : p.batches)
          event("unanswered Produce " + describe(b));
        if (p.api_key == end_txn_api)
          event("unanswered EndTxn: " + describe_end(p));
      }
    });
  }
  std::string frame;
  while (read_frame(c->client, frame)) {
    on_request(*c, frame);
    if (!write_frame(c->broker, frame))
      break;
  }
  ::shutdown(c->broker, SHUT_WR);
}

void kafka_transactions_proxy::on_request(connection& c, const std::string& frame) {
  pending_request p;
  std::int32_t correlation = 0;
  try {
    wire_reader r{frame};
    p.api_key = r.i16();
    p.version = r.i16();
    correlation = r.i32();
    switch (p.api_key) {
      case produce_api: {
        if (p.version < 3 || p.version >= 9)
          throw std::runtime_error("Produce v" + std::to_string(p.version));
        r.nullable_string(); // client id
        r.nullable_string(); // transactional id
        if (r.i16() == 0)
          throw std::runtime_error("Produce with acks=0 (no answer says what was taken)");
        r.i32(); // timeout
        for (auto topics = r.i32(); topics > 0; --topics) {
          auto topic = r.string();
          for (auto partitions = r.i32(); partitions > 0; --partitions) {
            auto partition = r.i32();
            auto size = r.i32();
            if (size < 0)
              continue;
            std::string records{r.take(static_cast<std::size_t>(size)),
                                static_cast<std::size_t>(size)};
            read_batches(records, topic, partition, p.batches);
          }
        }
        break;
      }
      case end_txn_api:
        if (p.version >= 3)
          throw std::runtime_error("EndTxn v" + std::to_string(p.version));
        r.nullable_string(); // client id
        r.string();          // transactional id
        p.producer_id = r.i64();
        p.epoch = r.i16();
        p.committed = r.i8() != 0;
        break;
      case init_producer_id_api:
        r.nullable_string();  // client id
        if (p.version >= 2) { // flexible
          r.tagged_fields();
          p.transactional_id = r.compact_nullable_string().value_or(std::string{});
        } else {
          p.transactional_id = r.nullable_string().value_or(std::string{});
        }
        break;
      case metadata_api:
        if (p.version >= 9)
          throw std::runtime_error("Metadata v" + std::to_string(p.version));
        break;
      case find_coordinator_api:
        if (p.version >= 3)
          throw std::runtime_error("FindCoordinator v" + std::to_string(p.version));
        break;
      default:
        return;
    }
  } catch (const std::exception& e) {
    problem(std::string{"request: "} + e.what());
    return;
  }
  std::lock_guard lock{c.mutex};
  c.pending[correlation] = std::move(p);
}

void kafka_transactions_proxy::on_response(connection& c, std::string& frame) {
  pending_request p;
  try {
    wire_reader r{frame};
    auto correlation = r.i32();
    {
      std::lock_guard lock{c.mutex};
      auto it = c.pending.find(correlation);
      if (it == c.pending.end())
        return;
      p = std::move(it->second);
      c.pending.erase(it);
    }
    auto patch_port = [&](bool may_be_unknown) {
      auto at = r.pos;
      auto port = r.i32();
      auto mapped = proxy_port_of_.find(port);
      if (mapped != proxy_port_of_.end())
        put_i32(frame, at, mapped->second);
      else if (!may_be_unknown)
        problem("an answer names a broker port the proxy does not know: " + std::to_string(port));
    };
    switch (p.api_key) {
      case metadata_api:
        if (p.version >= 3)
          r.i32(); // throttle time
        for (auto brokers = r.i32(); brokers > 0; --brokers) {
          r.i32(); // node id
          replace_string(frame, r, advertised_host_);
          patch_port(false);
          if (p.version >= 1)
            r.nullable_string(); // rack
        }
        return;
      case find_coordinator_api: {
        if (p.version >= 1)
          r.i32(); // throttle time
        auto error = r.i16();
        if (p.version >= 1)
          r.nullable_string(); // error message
        r.i32();               // node id
        replace_string(frame, r, advertised_host_);
        patch_port(error != 0);
        return;
      }
      case produce_api: {
        std::set<std::pair<std::string, std::int32_t>> taken;
        for (auto topics = r.i32(); topics > 0; --topics) {
          auto topic = r.string();
          for (auto partitions = r.i32(); partitions > 0; --partitions) {
            auto partition = r.i32();
            auto error = r.i16();
            r.i64(); // base offset
            r.i64(); // log append time (v2+)
            if (p.version >= 5)
              r.i64(); // log start offset
            if (p.version >= 8) {
              for (auto errors = r.i32(); errors > 0; --errors) {
                r.i32();
                r.nullable_string();
              }
              r.nullable_string();
            }
            // A duplicate sequence number: the broker took the batch
            // before, and a client whose answer went missing (its
            // connection closed) retried it.
            if (error == 0 || error == duplicate_sequence_number)
              taken.emplace(topic, partition);
            else
              for (const auto& b : p.batches)
                if (b.topic == topic && b.partition == partition)
                  event("Produce error " + std::to_string(error) + ": " + describe(b));
          }
        }
        std::lock_guard lock{mutex_};
        for (auto& b : p.batches) {
          if (taken.count({b.topic, b.partition}) == 0)
            continue;
          if (b.producer_id >= 0 &&
              !taken_.emplace(b.producer_id, b.epoch, b.topic, b.partition, b.base_sequence).second)
            continue; // a retry the broker had taken already
          if (b.transactional) {
            open_[{b.producer_id, b.epoch}].push_back(batch{b.topic, std::move(b.records)});
          } else {
            auto& out = visible_[b.topic];
            out.insert(out.end(), b.records.begin(), b.records.end());
          }
        }
        return;
      }
      case init_producer_id_api: {
        if (p.version >= 2)
          r.tagged_fields(); // of the answer's header
        r.i32();             // throttle time
        auto error_at = r.pos;
        if (r.i16() != 0)
          return;
        auto id = r.i64();
        std::lock_guard lock{mutex_};
        auto [given, first] = producer_ids_.emplace(id, p.transactional_id);
        if (!first && (given->second != p.transactional_id || p.transactional_id.empty())) {
          // The mock draws ids at random and keeps them all: it would
          // refuse every request of this producer (INVALID_PRODUCER_ID_MAPPING)
          // or, for two idempotent ones, mix their sequence numbers, and the
          // proxy would mix the two producers' batches.
          put_i16(frame, error_at, concurrent_transactions);
          events_.push_back("producer id " + std::to_string(id) + " given to '" + given->second +
                            "' before and to '" + p.transactional_id +
                            "' now: answered CONCURRENT_TRANSACTIONS, so that it asks again");
        }
        return;
      }
      case end_txn_api: {
        r.i32(); // throttle time
        if (auto error = r.i16(); error != 0) {
          event("EndTxn error " + std::to_string(error) + ": " + describe_end(p));
          return;
        }
        std::lock_guard lock{mutex_};
        auto it = open_.find({p.producer_id, p.epoch});
        if (p.committed) {
          ++committed_;
          if (it != open_.end())
            for (auto& b : it->second) {
              auto& out = visible_[b.topic];
              out.insert(out.end(), b.records.begin(), b.records.end());
            }
        } else {
          ++aborted_;
        }
        if (it != open_.end())
          open_.erase(it);
        return;
      }
      default:
        return;
    }
  } catch (const std::exception& e) {
    problem(std::string{"answer: "} + e.what());
  }
}

void kafka_transactions_proxy::event(std::string what) {
  std::lock_guard lock{mutex_};
  events_.push_back(std::move(what));
}

std::vector<std::string> kafka_transactions_proxy::events() const {
  std::lock_guard lock{mutex_};
  return events_;
}

void kafka_transactions_proxy::problem(std::string what) {
  std::lock_guard lock{mutex_};
  problems_.push_back(std::move(what));
}

std::vector<kafka_transactions_proxy::record>
kafka_transactions_proxy::read_committed(const std::string& topic) const {
  std::lock_guard lock{mutex_};
  auto it = visible_.find(topic);
  return it == visible_.end() ? std::vector<record>{} : it->second;
}

int kafka_transactions_proxy::committed_transactions() const {
  std::lock_guard lock{mutex_};
  return committed_;
}

int kafka_transactions_proxy::aborted_transactions() const {
  std::lock_guard lock{mutex_};
  return aborted_;
}

std::vector<std::string> kafka_transactions_proxy::problems() const {
  std::lock_guard lock{mutex_};
  return problems_;
}

} // namespace flinkcpp::testing
