#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace flinkcpp::testing {

/// A plain TCP connection to 127.0.0.1:`port`, for clients that misbehave
/// below HTTP (slow headers, bodies larger than they say). Closed on
/// destruction. Not thread-safe.
class raw_connection {
public:
  /// Connects; throws std::runtime_error naming the port when it cannot.
  explicit raw_connection(std::uint16_t port);
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  /// Sends all of `bytes`; false when the peer closed.
  bool send_all(std::string_view bytes) const;

  /// Whether the server has answered something (or closed) by now.
  bool has_answer() const;

  /// One HTTP response: its head and as much body as its Content-Length
  /// says (all until the server closes, without one); empty if the server
  /// closed first.
  std::string read_response() const;

private:
  int fd_;
};

/// Raises this process's soft limit of open files to its hard limit and
/// returns it (at least `wanted`, or throws std::runtime_error).
std::uint64_t allow_open_files(std::uint64_t wanted);

} // namespace flinkcpp::testing
