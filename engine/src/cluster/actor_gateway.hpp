#pragma once

// The cluster_gateway over the jobmanager's actors. For the translation units
// that start them (it includes CAF); the gateway's users see cluster_gateway.hpp.

#include <memory>

#include <caf/fwd.hpp>

#include "cluster/cluster_gateway.hpp"
#include "cluster/dispatcher.hpp"
#include "cluster/resource_manager.hpp"

namespace flinkcpp {

/// A gateway to `dispatcher` and `resource_manager` in `system`.
std::unique_ptr<cluster_gateway> make_cluster_gateway(caf::actor_system& system,
                                                      dispatcher_actor dispatcher,
                                                      resource_manager_actor resource_manager);

} // namespace flinkcpp
