#pragma once

#include <functional>

#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp::testing {

/// Runs I/O work at once, on the calling thread (a test's deterministic
/// scheduler, or the test itself).
struct inline_io final : spi::io_executor {
  void execute(std::function<void()> work) override { work(); }
};

} // namespace flinkcpp::testing
