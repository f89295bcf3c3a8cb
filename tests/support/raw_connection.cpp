#include "support/raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace flinkcpp::testing {

raw_connection::raw_connection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    auto reason = std::string{std::strerror(errno)};
    if (fd_ >= 0)
      ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port) + ": " + reason);
  }
}

raw_connection::~raw_connection() {
  ::close(fd_);
}

bool raw_connection::send_all(std::string_view bytes) const {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool raw_connection::has_answer() const {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

std::string raw_connection::read_response() const {
  std::string out;
  std::size_t complete = std::string::npos; // the response's length, once known
  char buffer[4096];
  while (out.size() < complete) {
    auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0)
      break;
    out.append(buffer, static_cast<std::size_t>(n));
    auto head_end = out.find("\r\n\r\n");
    if (complete != std::string::npos || head_end == std::string::npos)
      continue;
    auto head = out.substr(0, head_end);
    for (auto& c : head)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
      complete = head_end + 4 + std::stoul(head.substr(at + 17));
  }
  return out;
}

std::uint64_t allow_open_files(std::uint64_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    throw std::runtime_error(std::string{"getrlimit: "} + std::strerror(errno));
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
    throw std::runtime_error(std::string{"setrlimit: "} + std::strerror(errno));
  if (limit.rlim_cur < wanted)
    throw std::runtime_error("the hard limit of open files, " + std::to_string(limit.rlim_cur) +
                             ", is below " + std::to_string(wanted));
  return limit.rlim_cur;
}

} // namespace flinkcpp::testing
