#include "cluster/actor_system_setup.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>

#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"

namespace flinkcpp {

void configure_scheduler(caf::actor_system_config& config) {
  config.set("scheduler.policy", caf::atom("sharing"));
  register_error_category(config);
}

void configure_networked(caf::actor_system_config& config, std::size_t threads) {
  configure_scheduler(config);
  if (threads > 0)
    config.set("scheduler.max-threads", threads);
  config.load<caf::io::middleman>();
  config.set("middleman.workers", std::size_t{0});
  register_cluster_message_types(config);
}

} // namespace flinkcpp
