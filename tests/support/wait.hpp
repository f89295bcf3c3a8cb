#pragma once

#include <chrono>
#include <thread>

namespace flinkcpp::testing {

/// Waits until `condition()` holds, checking it every `period`, for at most
/// `limit`. Returns whether it held. A bounded wait on a condition, never a
/// sleep standing in for one. The period is 10 ms: most conditions ask the
/// cluster over REST, and asking every millisecond loads a jobmanager under
/// a sanitizer enough to slow the job waited for.
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds{60},
                std::chrono::milliseconds period = std::chrono::milliseconds{10}) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(period);
  }
  return true;
}

} // namespace flinkcpp::testing
