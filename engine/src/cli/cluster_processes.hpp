#pragma once

#include <optional>

#include "cluster/application_runner.hpp"
#include "flinkcpp/configuration.hpp"

namespace flinkcpp {

/// `flink-cpp jobmanager`: the resource manager on jobmanager.rpc.port, the
/// dispatcher, and the REST API on rest.port, until SIGTERM or SIGINT.
/// `application` (flink-cpp standalone-job): the job it runs once up (see
/// application_runner). On SIGTERM running jobs are cancelled, except with
/// high-availability.type filesystem, where they are left to a jobmanager
/// started again (their checkpoints stay). Returns the exit code: 0 after a
/// clean shutdown, 1 when a port cannot be bound (the message names address
/// and key) or the application's job cannot be submitted.
int run_jobmanager(const configuration& config,
                   std::optional<application_job> application = std::nullopt);

/// `flink-cpp taskmanager`: a task executor with taskmanager.numberOfTaskSlots
/// slots, its data port open for other taskmanagers, registered with the
/// jobmanager at jobmanager.rpc.address:port (retrying until
/// taskmanager.registration.timeout). SIGTERM or SIGINT deregisters it,
/// cancels its subtasks and exits 0; a failed registration exits 1.
int run_taskmanager(const configuration& config);

} // namespace flinkcpp
