#include "cluster/job_info.hpp"

#include <chrono>

namespace flinkcpp {

std::int64_t epoch_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

} // namespace flinkcpp
