#pragma once

#include <string>

#include "cluster/cluster_gateway.hpp"
#include "metrics/metric_registry.hpp"

namespace flinkcpp {

/// The jobmanager's metrics as a metric_registry source, read from its
/// actors through `gateway` when collected (so from threads that may block):
/// the cluster's (numRegisteredTaskManagers, numRunningJobs, taskSlotsTotal,
/// taskSlotsAvailable) and each job's that has not ended (uptime, downtime,
/// numRestarts, checkpoint counts, lastCheckpointDuration, lastCheckpointSize,
/// lastCheckpointFullSize), as Flink names them. `gateway` must outlive the
/// source's registration.
metric_registry::source jobmanager_metrics(cluster_gateway& gateway, std::string host);

} // namespace flinkcpp
