#pragma once

// The current attempt of a job as its job master tracks it (the bookkeeping
// half of Flink's ExecutionGraph): one record per subtask, the phase the
// attempt is in, and the counts that move it from one phase to the next.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph/job_graph.hpp"
#include "runtime/messages.hpp"

namespace flinkcpp {

/// Where one subtask of the current attempt stands.
struct subtask_record {
  subtask_actor actor; ///< null until deployed
  bool done = false;   ///< committed, cancelled, failed or gone: nothing more to wait for
};

/// Not thread-safe: owned and used by one job master.
class execution_graph {
public:
  enum class phase : std::uint8_t {
    created,    ///< no attempt yet
    scheduling, ///< waiting for slots (reactive mode: and for the graph to fit them)
    deploying,  ///< subtasks are being deployed
    connecting, ///< every subtask deployed; their channels are being connected
    running,    ///< every subtask connected and started
    stopping,   ///< being cancelled (a failure, a cancel, a rescale): waits for every subtask
    stopped,    ///< over: late reports of it change nothing
  };

  /// Begins the next attempt (numbered from 1) of `graph`: every subtask not
  /// yet deployed, phase scheduling.
  void begin_attempt(std::shared_ptr<const job_graph> graph);

  /// The graph changed before deployment (reactive mode rebuilt it for the
  /// slots it got): the records are sized anew, the phase stays.
  void resize(std::shared_ptr<const job_graph> graph);

  int attempt() const noexcept { return attempt_; }
  phase current() const noexcept { return phase_; }
  const job_graph& graph() const noexcept { return *graph_; }

  /// Whether the attempt is being cancelled (not yet over).
  bool stopping() const noexcept { return phase_ == phase::stopping; }
  /// Whether the attempt is over.
  bool stopped() const noexcept { return phase_ == phase::stopped; }
  /// Whether the attempt stops to restart at once with other slots (reactive
  /// mode), which is no failure.
  bool rescaling() const noexcept { return rescaling_; }

  std::size_t vertices() const noexcept { return subtasks_.size(); }
  std::size_t subtasks_of(vertex_index vertex) const noexcept {
    return subtasks_[vertex.position()].size();
  }
  std::size_t total() const noexcept { return total_; }
  subtask_record& record(vertex_index vertex, subtask_index subtask);
  const subtask_record& record(vertex_index vertex, subtask_index subtask) const;

  /// "<vertex name> (<subtask + 1>/<parallelism>)", as Flink names a task.
  std::string task_name(vertex_index vertex, subtask_index subtask) const;

  /// Deployment begins.
  void begin_deploying() noexcept { phase_ = phase::deploying; }

  /// Subtask (vertex, subtask) runs as `actor`. True when it was the last one
  /// to deploy (the phase is then connecting).
  bool deployed(vertex_index vertex, subtask_index subtask, subtask_actor actor);

  /// One more subtask has its channels connected. True when it was the last
  /// one (the phase is then running).
  bool connected();

  /// One more subtask finished its input. True when it was the last one: the
  /// subtasks may commit.
  bool finished() noexcept { return ++finished_ == total_; }

  /// Subtask (vertex, subtask) needs nothing more. False if it was done already.
  bool mark_done(vertex_index vertex, subtask_index subtask);
  bool all_done() const noexcept { return done_ == total_; }

  /// Cancelling the attempt begins; `rescale`: to restart at once with other
  /// slots. Requires an attempt that is neither stopping nor stopped.
  void begin_stopping(bool rescale) noexcept;

  /// The stopping attempt is over once every subtask is done: then the phase
  /// becomes stopped and this returns true (once).
  bool finish_stopping() noexcept;

  /// The channels subtask (vertex, subtask) sends on and receives from, with
  /// the actors of its peers (every subtask deployed).
  task_connections connections_of(vertex_index vertex, subtask_index subtask) const;

  /// Calls fn(vertex, subtask) for every subtask of the attempt.
  template <class F>
  void for_each(F&& fn) const {
    for (std::size_t v = 0; v < subtasks_.size(); ++v)
      for (std::size_t i = 0; i < subtasks_[v].size(); ++i)
        fn(vertex_index{static_cast<int>(v)}, subtask_index{static_cast<int>(i)});
  }

  /// Calls fn(vertex, subtask, record) for every subtask deployed and not done.
  template <class F>
  void for_each_live(F&& fn) const {
    for_each([&](vertex_index v, subtask_index i) {
      const auto& r = record(v, i);
      if (r.actor && !r.done)
        fn(v, i, r);
    });
  }

private:
  std::shared_ptr<const job_graph> graph_;
  int attempt_ = 0;
  phase phase_ = phase::created;
  bool rescaling_ = false;
  std::vector<std::vector<subtask_record>> subtasks_; // [vertex][subtask]
  std::size_t total_ = 0;
  std::size_t deployed_ = 0;
  std::size_t connected_ = 0;
  std::size_t finished_ = 0;
  std::size_t done_ = 0;
};

} // namespace flinkcpp
