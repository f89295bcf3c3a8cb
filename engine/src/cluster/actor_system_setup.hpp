#pragma once

// How flink-cpp configures CAF's actor systems, in one place for the embedded
// mini-cluster and the cluster processes.

#include <cstddef>

#include <caf/fwd.hpp>

namespace flinkcpp {

namespace security {
class internal_tls;
}

/// Settings of every flink-cpp actor system: CAF's work-sharing scheduler,
/// whose idle workers sleep on a condition variable. (CAF's default,
/// work stealing, polls while idle; on small machines that polling takes the
/// CPU from the subtasks that have work, and it slowed WordCount by about a
/// fifth here.) Renders flink-cpp's errors (cluster/errors.hpp).
void configure_scheduler(caf::actor_system_config& config);

/// Settings of a jobmanager or taskmanager process: the above with `threads`
/// scheduler threads (0: one per hardware thread), plus CAF's network layer
/// (the middleman), which reads messages on its I/O thread without a hand-off
/// to a second thread, and every message type that crosses processes. With
/// `tls`, CAF's OpenSSL module too, with its key material: rpc_middleman then
/// speaks mutually authenticated TLS. `tls` must outlive the actor system.
void configure_networked(caf::actor_system_config& config, std::size_t threads,
                         const security::internal_tls* tls = nullptr);

} // namespace flinkcpp
