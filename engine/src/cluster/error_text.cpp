#include "cluster/error_text.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>

namespace flinkcpp {

std::string error_text(caf::actor_system& system, const caf::error& error) {
  const auto& context = error.context();
  if (context.size() == 1 && context.match_element<std::string>(0))
    return context.get_as<std::string>(0);
  return system.render(error);
}

} // namespace flinkcpp
