#include "runtime/messages.hpp"

namespace flinkcpp {

void register_message_types(caf::actor_system_config& config) {
  config.add_message_types<caf::id_block::flinkcpp>();
}

} // namespace flinkcpp
