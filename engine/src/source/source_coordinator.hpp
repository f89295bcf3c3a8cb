#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/detail/source_bridge.hpp"
#include "source/split_assignment_tracker.hpp"

namespace flinkcpp {

/// What a source coordinator needs of the runtime hosting it (the job
/// master). Called from the coordinator's thread only.
class coordinator_gateway {
public:
  virtual ~coordinator_gateway() = default;

  /// Sends `splits` to the reader of `subtask`, in order with whatever else
  /// goes to it (checkpoint triggers included).
  virtual void send_splits(int subtask, std::vector<detail::split_bytes> splits) = 0;

  /// Tells the reader of `subtask` that no more splits come.
  virtual void send_no_more_splits(int subtask) = 0;

  /// Runs `work` on an I/O thread, then what it returns on the coordinator's
  /// thread; with a positive `period`, again every `period` until `work`
  /// returns an empty function.
  virtual void call_async(std::function<std::function<void()>()> work,
                          std::chrono::milliseconds period) = 0;

  /// The job fails for `why` (the enumerator threw, or broke its contract).
  virtual void fail_job(std::string why) = 0;
};

/// The job master's side of one source (Flink's SourceCoordinator): runs
/// its split enumerator, registers its readers, passes their split requests
/// on, sends the enumerator's assignments to them, and tracks assignments
/// (split_assignment_tracker) so that a reader restarting from a checkpoint
/// gives the splits it got after that checkpoint back to the enumerator.
///
/// Every exception the enumerator throws fails the job naming the source
/// (coordinator_gateway::fail_job); the coordinator then calls it no more.
/// Not thread-safe: one thread (the job master's) calls it, and runs the
/// continuations of call_async.
class source_coordinator final : private detail::enumerator_host {
public:
  /// The coordinator of `source` (named `name` in errors) read by
  /// `parallelism` readers, calling `gateway` (which outlives it).
  source_coordinator(std::string name, std::shared_ptr<const detail::erased_source> source,
                     int parallelism, coordinator_gateway& gateway);
  ~source_coordinator() override;

  source_coordinator(const source_coordinator&) = delete;
  source_coordinator& operator=(const source_coordinator&) = delete;

  /// Starts a new enumerator, or one restored from `state` (what checkpoint()
  /// returned).
  void start(const std::string* state = nullptr);

  /// The reader of `subtask` on `host` started and registered.
  void register_reader(int subtask, std::string host);

  /// The reader of `subtask` asks for a split (ignored unless it is
  /// registered: a request sent before it failed).
  void request_split(int subtask);

  /// The reader of `subtask` failed and restarts from checkpoint `restored`
  /// (none: from no state). Until it registers again it is not registered;
  /// the splits it got after `restored` go back to the enumerator.
  void reset_subtask(int subtask, checkpoint_id restored);

  /// The enumerator's state for `checkpoint` (taken before the readers'),
  /// or nullopt when the job failed meanwhile.
  std::optional<std::string> checkpoint(checkpoint_id checkpoint);

  /// `checkpoint` completed.
  void checkpoint_complete(checkpoint_id checkpoint);

  /// The whole job goes back to a checkpoint holding `state` (null: starts
  /// over): the enumerator closes and a new one starts from `state`; no
  /// reader is registered until it registers again.
  void reset_to(const std::string* state);

  /// Closes the enumerator (the job ended).
  void close();

  /// The source's name, as errors give it.
  const std::string& name() const noexcept { return name_; }

private:
  int current_parallelism() const override { return parallelism_; }
  std::map<int, reader_info> registered_readers() const override { return readers_; }
  void assign_split(detail::split_bytes split, int subtask) override;
  void signal_no_more_splits(int subtask) override;
  void call_async(std::function<std::function<void()>()> work,
                  std::chrono::milliseconds period) override;
  metric_group& metrics() override { return metrics_; }

  /// Runs `call` on the enumerator unless the job failed; fails it when
  /// `call` throws.
  template <class F>
  void guarded(const char* what, F&& call);

  const std::string name_;
  const std::shared_ptr<const detail::erased_source> source_;
  const int parallelism_;
  coordinator_gateway& gateway_;
  metric_group metrics_;
  std::unique_ptr<detail::erased_enumerator> enumerator_;
  /// One per enumerator: its asynchronous calls end with it.
  std::shared_ptr<const int> generation_;
  std::map<int, reader_info> readers_;
  split_assignment_tracker assignments_;
  bool failed_ = false;
};

} // namespace flinkcpp
