#include "flinkcpp/detail/committable_store.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <stdexcept>
#include <utility>

#include "connectors/serial_io.hpp"
#include "flinkcpp/detail/record_serialization.hpp"

namespace flinkcpp::detail {

namespace {

/// The checkpoint standing for "the end of the input".
constexpr std::int64_t at_job_end = std::numeric_limits<std::int64_t>::max();

/// A committable as the snapshot keeps it.
struct stored_committable {
  std::int64_t checkpoint = 0;
  std::int32_t retries = 0;
  std::string bytes;
};

template <class Inspector>
auto inspect(Inspector& f, stored_committable& x) {
  return f(x.checkpoint, x.retries, x.bytes);
}

enum class phase : std::uint8_t { waiting, committing, committed, retry };

} // namespace

/// Written by the subtask while waiting, by a commit while committing; the
/// phase hands it over (release on store, acquire on load).
struct committable_store::entry {
  std::int64_t checkpoint = 0;
  int retries = 0;
  std::string bytes;
  std::atomic<phase> state{phase::waiting};
};

struct committable_store::commits {
  serial_io io;
  commit_function commit;
};

committable_store::committable_store(spi::io_executor& io, std::function<void()> wake,
                                     commit_function commit)
  : commits_(
      std::make_unique<commits>(commits{serial_io{io, std::move(wake)}, std::move(commit)})) {}

committable_store::~committable_store() = default;

void committable_store::add(checkpoint_id checkpoint, std::vector<std::string> committables) {
  for (auto& bytes : committables) {
    auto e = std::make_shared<entry>();
    e->checkpoint = checkpoint.value();
    e->bytes = std::move(bytes);
    entries_.push_back(std::move(e));
  }
}

void committable_store::add_final(std::vector<std::string> committables) {
  add(checkpoint_id{at_job_end}, std::move(committables));
}

void committable_store::snapshot(spi::operator_snapshot& snapshot) {
  sweep();
  auto& list = snapshot.lists["committables"];
  list.mode = spi::redistribution::split;
  for (const auto& e : entries_)
    list.entries.push_back(to_bytes(stored_committable{e->checkpoint, e->retries, e->bytes}));
}

void committable_store::restore(const spi::operator_restore& state) {
  for (const auto& bytes : state.list("committables")) {
    auto stored = from_bytes<stored_committable>(bytes);
    auto e = std::make_shared<entry>();
    e->checkpoint = stored.checkpoint;
    e->retries = stored.retries;
    e->bytes = std::move(stored.bytes);
    entries_.push_back(std::move(e));
  }
}

void committable_store::commit_restored() {
  submit(at_job_end, 1);
}

void committable_store::checkpoint_complete(checkpoint_id checkpoint) {
  sweep();
  submit(checkpoint.value(), 1);
}

void committable_store::commit_all() {
  sweep();
  submit(at_job_end, retries_at_job_end + 1);
}

bool committable_store::holds_any() const {
  return std::any_of(entries_.begin(), entries_.end(), [](const std::shared_ptr<entry>& e) {
    return e->state.load(std::memory_order_acquire) != phase::committed;
  });
}

bool committable_store::quiescent() const {
  return commits_->io.pending() == 0;
}

void committable_store::check() const {
  commits_->io.check();
}

void committable_store::sweep() {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [](const std::shared_ptr<entry>& e) {
                                  auto p = e->state.load(std::memory_order_acquire);
                                  if (p == phase::retry)
                                    e->state.store(phase::waiting, std::memory_order_relaxed);
                                  return p == phase::committed;
                                }),
                 entries_.end());
}

void committable_store::submit(std::int64_t last, int attempts) {
  std::vector<std::shared_ptr<entry>> batch;
  for (const auto& e : entries_)
    if (e->checkpoint <= last && e->state.load(std::memory_order_acquire) == phase::waiting) {
      e->state.store(phase::committing, std::memory_order_release);
      batch.push_back(e);
    }
  if (batch.empty())
    return;
  commits_->io.submit([commit = commits_->commit, batch = std::move(batch), attempts] {
    commit_batch(commit, batch, attempts);
  });
}

void committable_store::commit_batch(const commit_function& commit,
                                     const std::vector<std::shared_ptr<entry>>& batch,
                                     int attempts) {
  std::vector<std::shared_ptr<entry>> open = batch;
  for (int attempt = 0; attempt < attempts && !open.empty(); ++attempt) {
    std::vector<commit_attempt> requests;
    requests.reserve(open.size());
    for (const auto& e : open)
      requests.push_back(
        commit_attempt{e->bytes, e->retries, commit_attempt::outcome::committed, {}});
    try {
      commit(requests);
    } catch (const std::exception& e) {
      for (auto& r : requests) {
        r.result = commit_attempt::outcome::failed;
        r.failure = e.what();
      }
    }
    std::vector<std::shared_ptr<entry>> again;
    std::string failure;
    for (std::size_t i = 0; i < open.size(); ++i) {
      switch (requests[i].result) {
        case commit_attempt::outcome::committed:
          open[i]->state.store(phase::committed, std::memory_order_release);
          break;
        case commit_attempt::outcome::retry_later:
          ++open[i]->retries;
          again.push_back(open[i]);
          break;
        case commit_attempt::outcome::failed:
          // Stays committing: a failed job restores it from its checkpoint.
          if (failure.empty())
            failure = requests[i].failure;
          break;
      }
    }
    if (!failure.empty())
      throw std::runtime_error("the sink's commit failed: " + failure);
    open = std::move(again);
  }
  for (const auto& e : open)
    e->state.store(phase::retry, std::memory_order_release);
  if (attempts > 1 && !open.empty())
    throw std::runtime_error("the sink's commit at the end of the job still asked to retry after " +
                             std::to_string(attempts) + " attempts");
}

} // namespace flinkcpp::detail
