#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "flinkcpp/spi/processing_clock.hpp"

namespace flinkcpp::testing {

/// A processing clock that only moves when the test moves it, so that
/// processing-time timers fire exactly when a test says, with no sleeps.
/// Thread-safe.
class manual_clock final : public spi::processing_clock {
public:
  explicit manual_clock(std::int64_t start_ms = 1'000'000) : now_(start_ms) {}

  std::int64_t now_ms() const noexcept override { return now_.load(); }

  void advance(std::chrono::milliseconds by) { now_ += by.count(); }
  void set(std::int64_t ms) { now_ = ms; }

private:
  std::atomic<std::int64_t> now_;
};

} // namespace flinkcpp::testing
