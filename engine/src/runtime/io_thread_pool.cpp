#include "runtime/io_thread_pool.hpp"

namespace flinkcpp {

io_thread_pool::io_thread_pool(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { run(); });
}

io_thread_pool::~io_thread_pool() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_)
    t.join();
}

void io_thread_pool::execute(std::function<void()> work) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    queue_.push_back(std::move(work));
  }
  ready_.notify_one();
}

void io_thread_pool::run() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock<std::mutex> lock{mutex_};
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return; // stopping, nothing left
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work();
  }
}

} // namespace flinkcpp
