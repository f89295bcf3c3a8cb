#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "util/result.hpp"

namespace flinkcpp {

/// The numeric address of this machine's interface that reaches `host` (a
/// name or an address) on `port`, as Flink's taskmanager finds the address it
/// announces when taskmanager.host is not set: the source address the
/// kernel's routing picks for that destination (a connected UDP socket; no
/// packet is sent). A loopback destination gives a loopback address; a
/// jobmanager Service in Kubernetes gives the pod's IP.
/// IPv4 addresses of `host` are preferred over IPv6 ones.
/// Errors: `host` does not resolve, or no route leads to it.
/// Thread-safe; blocks while the name resolves.
result<std::string> local_address_towards(const std::string& host, std::uint16_t port);

/// Whether `host`:`port` accepts a TCP connection within `timeout` (one
/// connection, closed at once). Unlike a blocking connect, it does not wait
/// out the kernel's SYN retries (about two minutes) where packets vanish, as
/// they do for a Kubernetes Service whose routing kube-proxy has not set up
/// yet. Errors: `host` does not resolve, the connection is refused, or the
/// timeout passed. Thread-safe; blocks up to `timeout` (plus name resolution).
result<void> accepts_connections(const std::string& host, std::uint16_t port,
                                 std::chrono::milliseconds timeout);

/// A TCP connection to `host`:`port` made within `timeout`, as
/// accepts_connections makes it: a non-blocking socket the caller owns (and
/// closes). Errors as accepts_connections's.
result<int> connect_within(const std::string& host, std::uint16_t port,
                           std::chrono::milliseconds timeout);

/// This machine's host name ("localhost" if it has none).
std::string local_host_name();

} // namespace flinkcpp
