#pragma once

#include <chrono>
#include <cstdint>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// Processing time (Flink's ProcessingTimeService#getCurrentProcessingTime):
/// the wall clock of the machine running a subtask, in milliseconds since the
/// epoch, the unit of event time. Processing-time timers and ingestion time
/// read it. Injectable: the runtime hands operators the clock of their task
/// (operator_context::clock), which tests replace by one they move by hand.
///
/// Thread-safe. Not monotonic in general (the system clock may be set back);
/// users of it must not assume that it never goes back.
class processing_clock {
public:
  virtual ~processing_clock() = default;

  /// The current processing time.
  virtual std::int64_t now_ms() const noexcept = 0;

  /// The machine's clock (std::chrono::system_clock). Lives forever.
  static const processing_clock& system() noexcept;
};

/// The machine's clock: std::chrono::system_clock in ms since the epoch.
class system_processing_clock final : public processing_clock {
public:
  std::int64_t now_ms() const noexcept override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
  }
};

inline const processing_clock& processing_clock::system() noexcept {
  static const system_processing_clock clock;
  return clock;
}

} // namespace flinkcpp::spi
FLINKCPP_API_END
