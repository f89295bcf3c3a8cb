#pragma once

#include <functional>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::spi {

/// Runs blocking work (file reads and writes, renames) off the actor
/// scheduler's threads, so that no actor handler ever blocks.
///
/// Thread-safe. Work runs on a small pool of threads, in no particular order
/// across calls; callers that need ordering chain their work (see serial_io).
/// Work must not throw; it reports failures through its own state.
class io_executor {
public:
  virtual ~io_executor() = default;
  virtual void execute(std::function<void()> work) = 0;
};

} // namespace flinkcpp::spi
FLINKCPP_API_END
