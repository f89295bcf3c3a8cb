#include "connectors/kafka/transaction_coordinator.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace flinkcpp::kafka {

namespace {

using clock = std::chrono::steady_clock;

enum api_key : std::int16_t {
  init_producer_id_key = 22,
  end_txn_key = 26,
  find_coordinator_key = 10
};

/// Errors after which the same request may succeed.
bool retriable(std::int16_t error) {
  switch (error) {
    case 7:  // REQUEST_TIMED_OUT
    case 14: // COORDINATOR_LOAD_IN_PROGRESS
    case 15: // COORDINATOR_NOT_AVAILABLE
    case 16: // NOT_COORDINATOR
    case 51: // CONCURRENT_TRANSACTIONS
      return true;
    default:
      return false;
  }
}

// -- the wire format: big-endian integers, strings with an int16 length ------

void put_i8(std::string& out, std::int8_t v) {
  out.push_back(static_cast<char>(v));
}

template <class Int>
void put_int(std::string& out, Int v) {
  auto u = static_cast<std::make_unsigned_t<Int>>(v);
  for (int shift = (sizeof(Int) - 1) * 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((u >> shift) & 0xff));
}

void put_string(std::string& out, std::string_view s) {
  put_int<std::int16_t>(out, static_cast<std::int16_t>(s.size()));
  out.append(s);
}

/// Reads a response body; throws std::runtime_error when it ends early.
class reader {
public:
  explicit reader(std::string_view data) : data_(data) {}

  template <class Int>
  Int get_int() {
    need(sizeof(Int));
    std::make_unsigned_t<Int> u = 0;
    for (std::size_t i = 0; i < sizeof(Int); ++i)
      u = static_cast<std::make_unsigned_t<Int>>((u << 8) | static_cast<unsigned char>(data_[i]));
    data_.remove_prefix(sizeof(Int));
    return static_cast<Int>(u);
  }

  /// A string, or (nullable, length -1) an empty one.
  std::string get_string() {
    auto length = get_int<std::int16_t>();
    if (length < 0)
      return {};
    need(static_cast<std::size_t>(length));
    std::string s{data_.substr(0, static_cast<std::size_t>(length))};
    data_.remove_prefix(static_cast<std::size_t>(length));
    return s;
  }

private:
  void need(std::size_t n) const {
    if (data_.size() < n)
      throw std::runtime_error("a truncated response");
  }

  std::string_view data_;
};

struct endpoint {
  std::string host;
  std::string port;
};

/// "host:port[,host:port...]", each perhaps with a "PLAINTEXT://" prefix or
/// an IPv6 address in brackets.
std::vector<endpoint> parse_servers(const std::string& servers) {
  std::vector<endpoint> out;
  std::size_t start = 0;
  while (start <= servers.size()) {
    auto end = servers.find(',', start);
    auto item = servers.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (auto scheme = item.find("://"); scheme != std::string::npos)
      item = item.substr(scheme + 3);
    auto colon = item.rfind(':');
    if (colon != std::string::npos && colon > 0) {
      auto host = item.substr(0, colon);
      if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
      out.push_back({host, item.substr(colon + 1)});
    }
    if (end == std::string::npos)
      break;
    start = end + 1;
  }
  return out;
}

/// One blocking connection to a broker, with `timeout` on connect, send and
/// receive.
class connection {
public:
  connection(const endpoint& to, std::chrono::milliseconds timeout) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(to.host.c_str(), to.port.c_str(), &hints, &found); rc != 0)
      throw std::runtime_error(to.host + ":" + to.port + ": " + ::gai_strerror(rc));
    std::string failure = "no address";
    for (auto* a = found; a != nullptr && fd_ < 0; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0)
        continue;
      if (connect_within(fd, a, timeout, failure))
        fd_ = fd;
      else
        ::close(fd);
    }
    ::freeaddrinfo(found);
    if (fd_ < 0)
      throw std::runtime_error(to.host + ":" + to.port + ": " + failure);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  ~connection() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  /// Sends a request (header v1) and returns its response's body.
  std::string call(api_key key, std::int16_t version, const std::string& body) {
    std::string frame;
    std::string header;
    put_int<std::int16_t>(header, key);
    put_int<std::int16_t>(header, version);
    put_int<std::int32_t>(header, ++correlation_);
    put_string(header, "flink-cpp-kafka-sink");
    put_int<std::int32_t>(frame, static_cast<std::int32_t>(header.size() + body.size()));
    frame += header;
    frame += body;
    send_all(frame);
    std::string size_bytes = receive(4);
    auto size = reader{size_bytes}.get_int<std::int32_t>();
    if (size < 4 || size > (1 << 20))
      throw std::runtime_error("a response of " + std::to_string(size) + " bytes");
    auto response = receive(static_cast<std::size_t>(size));
    reader r{response};
    if (r.get_int<std::int32_t>() != correlation_)
      throw std::runtime_error("a response to another request");
    return response.substr(4);
  }

private:
  static bool connect_within(int fd, const addrinfo* a, std::chrono::milliseconds timeout,
                             std::string& failure) {
    int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        failure = std::strerror(errno);
        return false;
      }
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
        failure = "connection timed out";
        return false;
      }
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
        failure = std::strerror(error);
        return false;
      }
    }
    ::fcntl(fd, F_SETFL, flags);
    return true;
  }

  void send_all(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        throw std::runtime_error(std::string{"send failed: "} + std::strerror(errno));
      sent += static_cast<std::size_t>(n);
    }
  }

  std::string receive(std::size_t size) {
    std::string data(size, '\0');
    std::size_t got = 0;
    while (got < size) {
      auto n = ::recv(fd_, data.data() + got, size - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0)
        throw std::runtime_error("the broker closed the connection");
      if (n < 0)
        throw std::runtime_error(std::string{"receive failed: "} + std::strerror(errno));
      got += static_cast<std::size_t>(n);
    }
    return data;
  }

  int fd_ = -1;
  std::int32_t correlation_ = 0;
};

/// The coordinator of `transactional_id`, asked of the first bootstrap
/// server that answers. Returns the error code instead when it has one.
std::pair<std::int16_t, endpoint> find_coordinator(const std::vector<endpoint>& servers,
                                                   const std::string& transactional_id,
                                                   std::chrono::milliseconds timeout) {
  std::string failure;
  for (const auto& server : servers) {
    try {
      connection c{server, timeout};
      std::string body;
      put_string(body, transactional_id);
      put_i8(body, 1); // key type: transaction
      auto response = c.call(find_coordinator_key, 1, body);
      reader r{response};
      (void)r.get_int<std::int32_t>(); // throttle time
      auto error = r.get_int<std::int16_t>();
      (void)r.get_string();            // error message
      (void)r.get_int<std::int32_t>(); // node id
      auto host = r.get_string();
      auto port = r.get_int<std::int32_t>();
      return {error, endpoint{host, std::to_string(port)}};
    } catch (const std::exception& e) {
      failure += (failure.empty() ? "" : "; ") + std::string{e.what()};
    }
  }
  throw std::runtime_error("no bootstrap server answered (" + failure + ")");
}

/// Sends `body` as `key` to the coordinator of `transactional_id` until it
/// answers with an error that is not retriable, or `deadline` passed; `answer`
/// reads the response and returns its error code.
template <class Answer>
void with_coordinator(const std::string& servers, const std::string& transactional_id,
                      std::chrono::milliseconds timeout, api_key key, std::int16_t version,
                      const std::string& body, Answer&& answer) {
  auto endpoints = parse_servers(servers);
  if (endpoints.empty())
    throw std::runtime_error("no bootstrap servers in '" + servers + "'");
  auto deadline = clock::now() + timeout;
  std::string last;
  for (;;) {
    try {
      auto [error, coordinator] = find_coordinator(endpoints, transactional_id, timeout);
      if (error == 0) {
        connection c{coordinator, timeout};
        error = answer(reader{c.call(key, version, body)});
        if (!retriable(error))
          return;
      }
      last = "error code " + std::to_string(error);
    } catch (const std::exception& e) {
      last = e.what();
    }
    if (clock::now() >= deadline)
      throw std::runtime_error("the transaction coordinator of '" + transactional_id + "' (via " +
                               servers + ") did not answer within " +
                               std::to_string(timeout.count()) + " ms: " + last);
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
}

} // namespace

transaction_coordinator::transaction_coordinator(std::string bootstrap_servers,
                                                 std::chrono::milliseconds timeout,
                                                 std::chrono::milliseconds transaction_timeout)
  : bootstrap_servers_(std::move(bootstrap_servers)),
    timeout_(timeout),
    transaction_timeout_(transaction_timeout) {}

producer_identity transaction_coordinator::init_producer_id(const std::string& transactional_id) {
  std::string body;
  put_string(body, transactional_id);
  put_int<std::int32_t>(body, static_cast<std::int32_t>(transaction_timeout_.count()));
  producer_identity identity;
  std::int16_t result = 0;
  with_coordinator(bootstrap_servers_, transactional_id, timeout_, init_producer_id_key, 1, body,
                   [&](reader r) {
                     (void)r.get_int<std::int32_t>(); // throttle time
                     result = r.get_int<std::int16_t>();
                     identity.id = r.get_int<std::int64_t>();
                     identity.epoch = r.get_int<std::int16_t>();
                     return result;
                   });
  if (result != none)
    throw std::runtime_error("the transaction coordinator refused a producer id for '" +
                             transactional_id + "': error code " + std::to_string(result));
  return identity;
}

std::int16_t transaction_coordinator::end_transaction(const std::string& transactional_id,
                                                      producer_identity producer, bool commit) {
  std::string body;
  put_string(body, transactional_id);
  put_int<std::int64_t>(body, producer.id);
  put_int<std::int16_t>(body, producer.epoch);
  put_i8(body, commit ? 1 : 0);
  std::int16_t result = 0;
  with_coordinator(bootstrap_servers_, transactional_id, timeout_, end_txn_key, 1, body,
                   [&](reader r) {
                     (void)r.get_int<std::int32_t>(); // throttle time
                     result = r.get_int<std::int16_t>();
                     return result;
                   });
  return result;
}

} // namespace flinkcpp::kafka
