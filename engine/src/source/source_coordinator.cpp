#include "source/source_coordinator.hpp"

#include <exception>
#include <stdexcept>
#include <utility>

namespace flinkcpp {

source_coordinator::source_coordinator(std::string name,
                                       std::shared_ptr<const detail::erased_source> source,
                                       int parallelism, coordinator_gateway& gateway)
  : name_(std::move(name)),
    source_(std::move(source)),
    parallelism_(parallelism),
    gateway_(gateway) {}

source_coordinator::~source_coordinator() = default;

template <class F>
void source_coordinator::guarded(const char* what, F&& call) {
  if (failed_ || !enumerator_)
    return;
  try {
    call();
  } catch (const std::exception& e) {
    failed_ = true;
    gateway_.fail_job("the split enumerator of source '" + name_ + "' failed in " + what + ": " +
                      e.what());
  }
}

void source_coordinator::start(const std::string* state) {
  failed_ = false;
  readers_.clear();
  assignments_.clear();
  generation_ = std::make_shared<const int>(0);
  try {
    enumerator_ = source_->create_enumerator(*this, state);
  } catch (const std::exception& e) {
    failed_ = true;
    gateway_.fail_job("the split enumerator of source '" + name_ + "' could not be " +
                      (state != nullptr ? "restored" : "created") + ": " + e.what());
    return;
  }
  guarded("start", [&] { enumerator_->start(); });
}

void source_coordinator::register_reader(int subtask, std::string host) {
  readers_[subtask] = reader_info{subtask, std::move(host)};
  guarded("add_reader", [&] { enumerator_->add_reader(subtask); });
}

void source_coordinator::request_split(int subtask) {
  auto reader = readers_.find(subtask);
  if (reader == readers_.end())
    return; // sent before the reader failed
  guarded("handle_split_request",
          [&] { enumerator_->handle_split_request(subtask, reader->second.host); });
}

void source_coordinator::reset_subtask(int subtask, checkpoint_id restored) {
  readers_.erase(subtask);
  auto back = assignments_.take_assigned_after(subtask, restored);
  if (!back.empty())
    guarded("add_splits_back", [&] { enumerator_->add_splits_back(std::move(back), subtask); });
}

std::optional<std::string> source_coordinator::checkpoint(checkpoint_id checkpoint) {
  std::optional<std::string> state;
  guarded("snapshot_state", [&] { state = enumerator_->snapshot_state(checkpoint); });
  if (state)
    assignments_.on_checkpoint(checkpoint);
  return state;
}

void source_coordinator::checkpoint_complete(checkpoint_id checkpoint) {
  assignments_.on_checkpoint_complete(checkpoint);
  guarded("notify_checkpoint_complete",
          [&] { enumerator_->notify_checkpoint_complete(checkpoint); });
}

void source_coordinator::reset_to(const std::string* state) {
  close();
  start(state);
}

void source_coordinator::close() {
  guarded("close", [&] { enumerator_->close(); });
  enumerator_.reset();
  generation_.reset();
}

void source_coordinator::assign_split(detail::split_bytes split, int subtask) {
  if (!readers_.count(subtask))
    throw std::invalid_argument("split '" + split.id + "' assigned to subtask " +
                                std::to_string(subtask) + ", which has no registered reader");
  assignments_.record_assignment(subtask, split);
  std::vector<detail::split_bytes> splits;
  splits.push_back(std::move(split));
  gateway_.send_splits(subtask, std::move(splits));
}

void source_coordinator::signal_no_more_splits(int subtask) {
  if (!readers_.count(subtask))
    throw std::invalid_argument("no more splits signalled to subtask " + std::to_string(subtask) +
                                ", which has no registered reader");
  gateway_.send_no_more_splits(subtask);
}

void source_coordinator::call_async(std::function<std::function<void()>()> work,
                                    std::chrono::milliseconds period) {
  std::weak_ptr<const int> alive = generation_;
  gateway_.call_async(
    [this, alive, work = std::move(work)]() -> std::function<void()> {
      if (alive.expired())
        return {};
      std::function<void()> then;
      std::string error;
      try {
        then = work();
      } catch (const std::exception& e) {
        error = e.what();
      }
      return [this, alive, then = std::move(then), error] {
        if (alive.expired())
          return;
        guarded("an asynchronous call", [&] {
          if (!error.empty())
            throw std::runtime_error(error);
          if (then)
            then();
        });
      };
    },
    period);
}

} // namespace flinkcpp
