#pragma once

// The network layer between flink-cpp processes: CAF's middleman, or its
// OpenSSL variant when internal TLS is on (configure_networked).

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <caf/io/middleman_actor.hpp>

#include "util/result.hpp"

namespace flinkcpp {

/// The middleman actor that listens for and connects to other flink-cpp
/// processes: CAF's OpenSSL one when the system was configured with internal
/// TLS, else the plain one. Its connect_atom, open_atom and publish_atom
/// behave alike.
caf::io::middleman_actor rpc_middleman(caf::actor_system& system);

/// The ports a process opens for other flink-cpp processes' connections,
/// through rpc_middleman, closed again when it is destroyed. A process
/// makes one right after its actor_system, so that it goes first: CAF
/// 0.17's middleman can accept a connection while it stops, and then never
/// releases it. Not thread-safe; `system` must outlive it.
class peer_ports {
public:
  explicit peer_ports(caf::actor_system& system) : system_(&system) {}
  peer_ports(const peer_ports&) = delete;
  peer_ports& operator=(const peer_ports&) = delete;

  /// Closes every port opened, waiting (up to 10 s each) until it is
  /// closed: no connection is accepted after.
  ~peer_ports();

  /// Opens `port` on `host` (0: any free port); blocks until bound. Returns
  /// the bound port or CAF's reason.
  result<std::uint16_t> open(std::uint16_t port, const std::string& host);

  /// As open, and makes `whom` (with `interfaces`, its message types) what
  /// a connection to the port finds.
  result<std::uint16_t> publish(caf::strong_actor_ptr whom, std::set<std::string> interfaces,
                                std::uint16_t port, const std::string& host);

private:
  result<std::uint16_t> opened(result<std::uint16_t> bound);

  caf::actor_system* system_;
  std::vector<std::uint16_t> ports_;
};

} // namespace flinkcpp
