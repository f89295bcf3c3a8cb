// The REST server's task queue: a connection that blocks its thread does
// not keep others waiting while threads may still start; beyond the most
// threads, tasks wait in order; shutdown runs what is queued and waits.

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "rest/elastic_task_queue.hpp"

using flinkcpp::rest::elastic_task_queue;

namespace {

/// Tasks that block until released, counting how many are blocked at once.
struct gate {
  std::mutex mutex;
  std::condition_variable changed;
  int blocked = 0;
  bool open = false;

  void block() {
    std::unique_lock lock{mutex};
    ++blocked;
    changed.notify_all();
    changed.wait(lock, [this] { return open; });
    --blocked;
  }

  void wait_blocked(int n) {
    std::unique_lock lock{mutex};
    changed.wait(lock, [&] { return blocked == n; });
  }

  void release() {
    std::lock_guard lock{mutex};
    open = true;
    changed.notify_all();
  }
};

constexpr std::chrono::minutes long_idle{10};

} // namespace

BOOST_AUTO_TEST_SUITE(elastic_task_queue_suite)

BOOST_AUTO_TEST_CASE(blocked_tasks_do_not_starve_the_next_one) {
  gate g;
  elastic_task_queue queue{2, 500, long_idle};
  for (int i = 0; i < 300; ++i)
    queue.enqueue([&g] { g.block(); });
  g.wait_blocked(300); // every one runs at once, on a thread of its own
  BOOST_TEST(queue.threads() == 300u);
  std::mutex m;
  std::condition_variable cv;
  bool ran = false;
  queue.enqueue([&] {
    std::lock_guard lock{m};
    ran = true;
    cv.notify_all();
  });
  {
    std::unique_lock lock{m};
    cv.wait(lock, [&] { return ran; }); // while the 300 still block
  }
  BOOST_TEST(g.blocked == 300);
  g.release();
  queue.shutdown();
  BOOST_TEST(queue.threads() == 0u);
}

BOOST_AUTO_TEST_CASE(beyond_the_most_threads_tasks_wait_in_order) {
  gate first;
  gate second;
  std::mutex m;
  std::vector<int> order;
  {
    elastic_task_queue queue{1, 2, long_idle};
    queue.enqueue([&first] { first.block(); });
    queue.enqueue([&second] { second.block(); });
    first.wait_blocked(1);
    second.wait_blocked(1);
    for (int i = 0; i < 5; ++i)
      queue.enqueue([&m, &order, i] {
        std::lock_guard lock{m};
        order.push_back(i);
      });
    BOOST_TEST(queue.threads() == 2u);
    {
      std::lock_guard lock{m};
      BOOST_TEST(order.empty()); // no thread is free for them
    }
    // One thread is free again (the other still blocks): it runs the
    // waiting tasks, oldest first.
    first.release();
    queue.enqueue([&second] { second.release(); });
  } // the destructor shuts down: runs what is queued, then joins
  BOOST_TEST(order == (std::vector<int>{0, 1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(idle_threads_beyond_the_core_end) {
  gate g;
  elastic_task_queue queue{1, 8, std::chrono::milliseconds{1}};
  for (int i = 0; i < 4; ++i)
    queue.enqueue([&g] { g.block(); });
  g.wait_blocked(4);
  BOOST_TEST(queue.threads() == 4u);
  g.release();
  // Three threads end once idle; the core thread stays. Waited for by
  // handing work to the queue until only one thread is left to take it.
  while (queue.threads() > 1) {
    std::atomic<bool> done{false};
    queue.enqueue([&done] { done = true; });
    while (!done)
      std::this_thread::yield();
  }
  BOOST_TEST(queue.threads() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
