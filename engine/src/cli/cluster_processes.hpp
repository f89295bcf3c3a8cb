#pragma once

#include "flinkcpp/configuration.hpp"

namespace flinkcpp {

/// `flink-cpp jobmanager`: the resource manager on jobmanager.rpc.port, the
/// dispatcher, and the REST API on rest.port, until SIGTERM or SIGINT.
/// Returns the exit code: 0 after a clean shutdown, 1 when a port cannot be
/// bound (the message names address and key).
int run_jobmanager(const configuration& config);

/// `flink-cpp taskmanager`: a task executor with taskmanager.numberOfTaskSlots
/// slots, its data port open for other taskmanagers, registered with the
/// jobmanager at jobmanager.rpc.address:port (retrying until
/// taskmanager.registration.timeout). SIGTERM or SIGINT deregisters it,
/// cancels its subtasks and exits 0; a failed registration exits 1.
int run_taskmanager(const configuration& config);

} // namespace flinkcpp
