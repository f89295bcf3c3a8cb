#include "flinkcpp/spi/record_batch.hpp"

#include <atomic>

namespace flinkcpp::spi {

namespace {
std::atomic<std::int64_t> live_batches{0};
} // namespace

record_batch::record_batch() noexcept {
  live_batches.fetch_add(1, std::memory_order_relaxed);
}

record_batch::~record_batch() {
  live_batches.fetch_sub(1, std::memory_order_relaxed);
}

std::int64_t record_batch::live_count() noexcept {
  return live_batches.load(std::memory_order_relaxed);
}

} // namespace flinkcpp::spi
