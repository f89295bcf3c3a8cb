#include "rest/elastic_task_queue.hpp"

#include <algorithm>
#include <thread>

namespace flinkcpp::rest {

elastic_task_queue::elastic_task_queue(std::size_t core_threads, std::size_t max_threads,
                                       std::chrono::milliseconds idle_timeout)
  : core_threads_(core_threads),
    max_threads_(std::max(max_threads, core_threads)),
    idle_timeout_(idle_timeout) {}

elastic_task_queue::~elastic_task_queue() {
  shutdown();
}

void elastic_task_queue::enqueue(std::function<void()> task) {
  std::lock_guard lock{mutex_};
  tasks_.push_back(std::move(task));
  // Idle threads take queued tasks first: start one only for a task none
  // of them will take.
  if (tasks_.size() > idle_ && threads_ < max_threads_)
    start_thread();
  else
    work_ready_.notify_one();
}

void elastic_task_queue::start_thread() {
  ++threads_;
  // Detached: a thread that ends while the queue lives cannot be joined by
  // anyone; shutdown() waits for the count to reach zero instead.
  std::thread{[this] { work(); }}.detach();
}

void elastic_task_queue::work() {
  std::unique_lock lock{mutex_};
  for (;;) {
    if (tasks_.empty()) {
      if (shutting_down_)
        break;
      ++idle_;
      bool woke = work_ready_.wait_for(lock, idle_timeout_,
                                       [this] { return !tasks_.empty() || shutting_down_; });
      --idle_;
      if (!woke && threads_ > core_threads_)
        break; // idle too long, and more threads than the core
      continue;
    }
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
  --threads_;
  // Notified with the lock held: once the count is zero, shutdown() may
  // return and the queue go away.
  thread_ended_.notify_all();
}

void elastic_task_queue::shutdown() {
  std::unique_lock lock{mutex_};
  shutting_down_ = true;
  work_ready_.notify_all();
  thread_ended_.wait(lock, [this] { return threads_ == 0; });
}

std::size_t elastic_task_queue::threads() const {
  std::lock_guard lock{mutex_};
  return threads_;
}

} // namespace flinkcpp::rest
