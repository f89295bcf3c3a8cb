#include "util/local_address.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

namespace flinkcpp {

namespace {

struct addrinfo_deleter {
  void operator()(addrinfo* list) const { ::freeaddrinfo(list); }
};

/// The first IPv4 entry of `list`, else its first entry.
const addrinfo* preferred(const addrinfo* list) {
  for (auto* entry = list; entry != nullptr; entry = entry->ai_next)
    if (entry->ai_family == AF_INET)
      return entry;
  return list;
}

using address_list = std::unique_ptr<addrinfo, addrinfo_deleter>;

/// The addresses of `host` for `port` and sockets of `type`, and the
/// preferred one among them (valid while the list lives).
result<std::pair<address_list, const addrinfo*>> resolve(const std::string& host,
                                                         std::uint16_t port, int type) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = type;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
    return failure("cannot resolve '" + host + "': " + ::gai_strerror(rc));
  address_list list{found};
  const addrinfo* target = preferred(list.get());
  if (target == nullptr)
    return failure("'" + host + "' resolves to no address");
  return std::make_pair(std::move(list), target);
}

std::string numeric_host(const sockaddr* address, socklen_t length) {
  char text[NI_MAXHOST] = {};
  if (::getnameinfo(address, length, text, sizeof(text), nullptr, 0, NI_NUMERICHOST) != 0)
    return {};
  return text;
}

} // namespace

result<std::string> local_address_towards(const std::string& host, std::uint16_t port) {
  auto resolved = resolve(host, port, SOCK_DGRAM);
  if (!resolved)
    return failure(resolved.error());
  const addrinfo* target = resolved->second;
  int fd = ::socket(target->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return failure(std::string{"cannot open a socket: "} + std::strerror(errno));
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  bool routed = ::connect(fd, target->ai_addr, target->ai_addrlen) == 0 &&
                ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0;
  int error = errno;
  ::close(fd);
  if (!routed)
    return failure("no route to '" + host + "': " + std::strerror(error));
  auto text = numeric_host(reinterpret_cast<const sockaddr*>(&local), length);
  if (text.empty())
    return failure("cannot print the local address towards '" + host + "'");
  return text;
}

result<int> connect_within(const std::string& host, std::uint16_t port,
                           std::chrono::milliseconds timeout) {
  auto where = host + ":" + std::to_string(port);
  auto resolved = resolve(host, port, SOCK_STREAM);
  if (!resolved)
    return failure(resolved.error());
  const addrinfo* target = resolved->second;
  int fd = ::socket(target->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return failure(std::string{"cannot open a socket: "} + std::strerror(errno));
  int error = 0;
  if (::connect(fd, target->ai_addr, target->ai_addrlen) != 0) {
    error = errno;
    if (error == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
      socklen_t length = sizeof(error);
      if (ready == 0)
        error = ETIMEDOUT;
      else if (ready < 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    }
  }
  if (error != 0) {
    ::close(fd);
    return failure("cannot connect to " + where + ": " + std::strerror(error));
  }
  return fd;
}

result<void> accepts_connections(const std::string& host, std::uint16_t port,
                                 std::chrono::milliseconds timeout) {
  auto fd = connect_within(host, port, timeout);
  if (!fd)
    return failure(fd.error());
  ::close(*fd);
  return {};
}

std::string local_host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof(buffer) - 1) != 0 || buffer[0] == '\0')
    return "localhost";
  return buffer;
}

} // namespace flinkcpp
