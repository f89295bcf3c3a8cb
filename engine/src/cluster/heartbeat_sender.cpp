#include "cluster/heartbeat_sender.hpp"

#include <caf/send.hpp>

#include "cluster/protocol.hpp"

namespace flinkcpp {

heartbeat_sender::heartbeat_sender(std::string taskmanager_id, std::chrono::milliseconds interval,
                                   reporter report)
  : id_(std::move(taskmanager_id)),
    interval_(interval),
    report_(std::move(report)),
    thread_([this] { run(); }) {}

heartbeat_sender::~heartbeat_sender() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void heartbeat_sender::target(resource_manager_actor resource_manager,
                              caf::actor_addr task_executor) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    resource_manager_ = std::move(resource_manager);
    task_executor_ = std::move(task_executor);
    retargeted_ = true;
  }
  changed_.notify_all();
}

void heartbeat_sender::run() {
  std::unique_lock<std::mutex> lock{mutex_};
  while (!stopping_) {
    retargeted_ = false;
    if (resource_manager_) {
      auto to = resource_manager_;
      auto from = task_executor_;
      lock.unlock(); // collecting the report reads the metric registry
      caf::anon_send(to, heartbeat_atom::value, id_, from, report_());
      lock.lock();
    }
    changed_.wait_for(lock, interval_, [this] { return stopping_ || retargeted_; });
  }
}

} // namespace flinkcpp
