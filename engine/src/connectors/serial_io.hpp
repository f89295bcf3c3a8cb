#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp {

/// Runs blocking operations of one owner (a file, stdout) on an io_executor,
/// one at a time and in submission order, and wakes the owner after each.
///
/// Operations signal failure by throwing; the first failure is kept for
/// check(). Later operations still run (an abort must clean up after a failed
/// write). Operations outlive the serial_io if it is destroyed first: they
/// only touch what they captured. submit/pending/check are called from the
/// owner's thread; the executor's threads run the operations.
class serial_io {
public:
  serial_io(spi::io_executor& io, std::function<void()> wake);

  void submit(std::function<void()> operation);

  /// Operations submitted and not yet finished.
  std::size_t pending() const;

  /// Throws std::runtime_error with the first failure, if any.
  void check() const;

  /// A predicate that holds once every operation submitted so far has run,
  /// none failing (spi::operator_snapshot::durable). Thread-safe; it may
  /// outlive the serial_io.
  std::function<bool()> done_so_far() const;

private:
  struct state {
    std::mutex mutex;
    std::deque<std::function<void()>> queue;
    bool running = false;
    std::size_t pending = 0;
    std::uint64_t submitted = 0; ///< operations ever submitted
    std::uint64_t completed = 0; ///< of those, the ones that ran
    std::string error;
  };

  static void drain(const std::shared_ptr<state>& s, const std::function<void()>& wake);

  spi::io_executor& io_;
  std::function<void()> wake_;
  std::shared_ptr<state> state_;
};

/// Writes all of `data` to `fd`, retrying partial writes; throws
/// std::runtime_error naming `what` on failure.
void write_fully(int fd, const std::string& data, const std::string& what);

} // namespace flinkcpp
