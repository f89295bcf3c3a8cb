#pragma once

// The network layer between flink-cpp processes: CAF's middleman, or its
// OpenSSL variant when internal TLS is on (configure_networked).

#include <cstdint>
#include <set>
#include <string>

#include <caf/io/middleman_actor.hpp>

#include "util/result.hpp"

namespace flinkcpp {

/// The middleman actor that listens for and connects to other flink-cpp
/// processes: CAF's OpenSSL one when the system was configured with internal
/// TLS, else the plain one. Its connect_atom, open_atom and publish_atom
/// behave alike.
caf::io::middleman_actor rpc_middleman(caf::actor_system& system);

/// Opens `port` on `host` (0: any free port) for other flink-cpp processes'
/// connections, through rpc_middleman; blocks until bound. Returns the bound
/// port or CAF's reason.
result<std::uint16_t> open_for_peers(caf::actor_system& system, std::uint16_t port,
                                     const std::string& host);

/// As open_for_peers, and makes `whom` (with `interfaces`, its message
/// types) what a connection to the port finds.
result<std::uint16_t> publish_for_peers(caf::actor_system& system, caf::strong_actor_ptr whom,
                                        std::set<std::string> interfaces, std::uint16_t port,
                                        const std::string& host);

} // namespace flinkcpp
