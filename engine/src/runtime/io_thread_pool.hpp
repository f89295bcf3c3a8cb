#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "flinkcpp/spi/io_executor.hpp"

namespace flinkcpp {

/// A fixed pool of threads for blocking I/O (cluster.io-pool.size), so that
/// actor handlers never block. Thread-safe. The destructor runs the work
/// already submitted, then joins the threads.
class io_thread_pool final : public spi::io_executor {
public:
  explicit io_thread_pool(std::size_t threads);
  ~io_thread_pool() override;

  io_thread_pool(const io_thread_pool&) = delete;
  io_thread_pool& operator=(const io_thread_pool&) = delete;

  void execute(std::function<void()> work) override;

private:
  void run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace flinkcpp
