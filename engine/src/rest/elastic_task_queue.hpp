#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include <httplib.h>

namespace flinkcpp::rest {

/// The REST server's threads. httplib serves a connection on one thread
/// for as long as it stays open, reading it blocking, so a fixed pool of a
/// few threads is starved by as many idle or slowly sending clients
/// (slowloris) and the API stops answering. This queue runs a task on an idle
/// thread, else on a new one, up to `max_threads`; beyond that, tasks wait
/// in order. Threads beyond `core_threads` end after `idle_timeout` without
/// work. Thread-safe; shutdown() runs what is queued, then waits for every
/// thread to end; destroying the queue shuts it down.
class elastic_task_queue final : public httplib::TaskQueue {
public:
  elastic_task_queue(std::size_t core_threads, std::size_t max_threads,
                     std::chrono::milliseconds idle_timeout);
  ~elastic_task_queue() override;

  elastic_task_queue(const elastic_task_queue&) = delete;
  elastic_task_queue& operator=(const elastic_task_queue&) = delete;

  void enqueue(std::function<void()> task) override;
  void shutdown() override;

  /// Threads alive now (running a task or idle).
  std::size_t threads() const;

private:
  void start_thread(); // with mutex_ held
  void work();

  const std::size_t core_threads_;
  const std::size_t max_threads_;
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable thread_ended_;
  std::deque<std::function<void()>> tasks_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
  bool shutting_down_ = false;
};

} // namespace flinkcpp::rest
