#include "cluster/protocol.hpp"

namespace flinkcpp {

void register_cluster_message_types(caf::actor_system_config& config) {
  register_message_types(config);
  config.add_message_types<caf::id_block::flinkcpp_cluster>();
}

} // namespace flinkcpp
