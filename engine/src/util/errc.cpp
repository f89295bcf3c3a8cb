#include "util/errc.hpp"

namespace flinkcpp {

std::string_view to_string(errc code) {
  switch (code) {
    case errc::not_found:
      return "not_found";
    case errc::conflict:
      return "conflict";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::unavailable:
      return "unavailable";
    case errc::unspecified:
      break;
  }
  return "unspecified";
}

} // namespace flinkcpp
