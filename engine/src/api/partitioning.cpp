#include "flinkcpp/spi/partitioner.hpp"

namespace flinkcpp::spi {

std::string_view ship_strategy_name(ship_strategy s) noexcept {
  switch (s) {
    case ship_strategy::forward:
      return "FORWARD";
    case ship_strategy::rebalance:
      return "REBALANCE";
    case ship_strategy::rescale:
      return "RESCALE";
    case ship_strategy::broadcast:
      return "BROADCAST";
    case ship_strategy::hash:
      return "HASH";
    case ship_strategy::unspecified:
      break;
  }
  return "UNSPECIFIED";
}

} // namespace flinkcpp::spi
