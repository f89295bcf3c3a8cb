// The sink API's operator (a sink's writer and committer in one subtask):
// committables prepared on each barrier are committed once their checkpoint
// completes, again after a restore, retried when the committer asks, and
// those of the end of the input when the job finishes; a checkpoint waits
// for the writer's flush; writer states come back on restore.

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/sink_writer_operator.hpp"
#include "flinkcpp/sink.hpp"
#include "support/inline_io.hpp"

using namespace flinkcpp;

namespace {

/// What the test sink's committer saw and how it answers; shared by the
/// sink's subtasks. Commits run inline, on the test's thread.
struct commit_log {
  std::vector<std::string> committed;    ///< in commit order
  std::vector<int> retries;              ///< commit_request::retries of each
  std::map<std::string, int> retry_left; ///< times a committable asks to retry
  std::string failing;                   ///< a committable whose commit fails
  std::vector<std::int64_t> restored;    ///< writer states the last writer got
  bool durable = false;                  ///< whether the writers' flushes are done
  int flushes = 0;
};

/// Writes records into its next committable: "ab" after records a and b.
/// Its state is how many records it wrote.
class recording_writer final : public sink_writer<std::string, std::string, std::int64_t> {
public:
  explicit recording_writer(std::shared_ptr<commit_log> log) : log_(std::move(log)) {}

  void write(std::string&& record, const sink_write_context&) override {
    open_ += record;
    ++written_;
  }
  std::function<bool()> flush(bool) override {
    ++log_->flushes;
    return [log = log_] { return log->durable; };
  }
  std::vector<std::string> prepare_commit() override {
    if (open_.empty())
      return {};
    return {std::exchange(open_, {})};
  }
  std::vector<std::int64_t> snapshot_state(checkpoint_id) override { return {written_}; }

private:
  std::shared_ptr<commit_log> log_;
  std::string open_;
  std::int64_t written_ = 0;
};

class recording_committer final : public committer<std::string> {
public:
  explicit recording_committer(std::shared_ptr<commit_log> log) : log_(std::move(log)) {}

  void commit(std::vector<commit_request<std::string>>& requests) override {
    for (auto& r : requests) {
      if (r.committable() == log_->failing) {
        r.signal_failed("the broker lost " + r.committable());
      } else if (log_->retry_left[r.committable()] > 0) {
        --log_->retry_left[r.committable()];
        r.retry_later();
      } else {
        log_->committed.push_back(r.committable());
        log_->retries.push_back(r.retries());
      }
    }
  }

private:
  std::shared_ptr<commit_log> log_;
};

class recording_sink final : public sink<std::string, std::string, std::int64_t> {
public:
  explicit recording_sink(std::shared_ptr<commit_log> log) : log_(std::move(log)) {}

  std::unique_ptr<writer_type> create_writer(sink_writer_context&,
                                             std::vector<std::int64_t> restored) const override {
    log_->restored = std::move(restored);
    return std::make_unique<recording_writer>(log_);
  }
  std::unique_ptr<committer<std::string>> create_committer() const override {
    return std::make_unique<recording_committer>(log_);
  }

private:
  std::shared_ptr<commit_log> log_;
};

/// At least once: no committables, the flush makes what was written durable.
class flushing_sink final : public sink<std::string> {
public:
  explicit flushing_sink(std::shared_ptr<commit_log> log) : log_(std::move(log)) {}

  std::unique_ptr<writer_type> create_writer(sink_writer_context&,
                                             std::vector<no_writer_state>) const override {
    class writer final : public sink_writer<std::string> {
    public:
      explicit writer(std::shared_ptr<commit_log> log) : log_(std::move(log)) {}
      void write(std::string&& record, const sink_write_context&) override {
        log_->committed.push_back(std::move(record));
      }
      std::function<bool()> flush(bool) override {
        ++log_->flushes;
        return [log = log_] { return log->durable; };
      }

    private:
      std::shared_ptr<commit_log> log_;
    };
    return std::make_unique<writer>(log_);
  }

private:
  std::shared_ptr<commit_log> log_;
};

template <class Sink>
using operator_of = detail::sink_writer_operator<Sink>;

struct fixture {
  testing::inline_io io;
  std::shared_ptr<commit_log> log = std::make_shared<commit_log>();

  template <class Sink>
  std::unique_ptr<operator_of<Sink>> make(const spi::operator_restore* restored = nullptr) {
    spi::operator_context context;
    context.io = &io;
    context.wake = [] {};
    auto op = std::make_unique<operator_of<Sink>>(std::make_shared<const Sink>(log), context);
    if (restored != nullptr)
      op->restore_state(*restored);
    op->open();
    return op;
  }

  template <class Op>
  static spi::operator_snapshot snapshot(Op& op, std::int64_t checkpoint) {
    spi::operator_snapshot s;
    op.snapshot_state(checkpoint_id{checkpoint}, s);
    return s;
  }

  /// What a subtask restoring alone from `s` gets.
  static spi::operator_restore restore_of(const spi::operator_snapshot& s) {
    spi::operator_restore r;
    for (const auto& [name, list] : s.lists)
      r.lists[name] = list.entries;
    return r;
  }
};

using strings = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(sink_writer_operators, fixture)

BOOST_AUTO_TEST_CASE(committables_are_committed_in_order_once_their_checkpoint_completes) {
  auto op = make<recording_sink>();
  op->collect(std::string{"a"});
  op->collect(std::string{"b"});
  auto first = snapshot(*op, 1);
  BOOST_TEST(log->flushes == 1);
  BOOST_REQUIRE(first.durable);
  BOOST_TEST(!first.durable()); // the checkpoint waits for the writer's flush
  log->durable = true;
  BOOST_TEST(first.durable());
  op->collect(std::string{"c"});
  auto second = snapshot(*op, 2);
  BOOST_TEST(log->committed.empty());
  BOOST_TEST(second.lists.at("committables").entries.size() == 2u);
  op->notify_checkpoint_complete(checkpoint_id{2});
  BOOST_TEST((log->committed == strings{"ab", "c"}));
  op->check();
  // Committed: in no later snapshot, and not committed twice.
  BOOST_TEST(snapshot(*op, 3).lists.at("committables").entries.empty());
  op->notify_checkpoint_complete(checkpoint_id{3});
  BOOST_TEST(log->committed.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_completed_checkpoint_commits_only_what_it_and_earlier_ones_prepared) {
  auto op = make<recording_sink>();
  op->collect(std::string{"a"});
  (void)snapshot(*op, 1);
  op->collect(std::string{"b"});
  (void)snapshot(*op, 2);
  op->notify_checkpoint_complete(checkpoint_id{1});
  BOOST_TEST((log->committed == strings{"a"}));
}

BOOST_AUTO_TEST_CASE(a_restored_subtask_commits_its_checkpoints_committables_again) {
  auto before = make<recording_sink>();
  before->collect(std::string{"a"});
  before->collect(std::string{"b"});
  auto checkpoint = restore_of(snapshot(*before, 1));
  before->notify_checkpoint_complete(checkpoint_id{1}); // the first attempt committed already
  BOOST_TEST((log->committed == strings{"ab"}));
  auto after = make<recording_sink>(&checkpoint);
  BOOST_TEST((log->committed == strings{"ab", "ab"})); // idempotence is the committer's
  BOOST_TEST((log->restored == std::vector<std::int64_t>{2}));
}

BOOST_AUTO_TEST_CASE(a_commit_asked_to_retry_is_tried_again_at_the_next_completed_checkpoint) {
  log->retry_left["ab"] = 1;
  auto op = make<recording_sink>();
  op->collect(std::string{"a"});
  op->collect(std::string{"b"});
  (void)snapshot(*op, 1);
  op->notify_checkpoint_complete(checkpoint_id{1});
  BOOST_TEST(log->committed.empty());
  // Still in the next checkpoint: a failure before the retry loses nothing.
  auto second = snapshot(*op, 2);
  BOOST_TEST(second.lists.at("committables").entries.size() == 1u);
  op->notify_checkpoint_complete(checkpoint_id{2});
  BOOST_TEST((log->committed == strings{"ab"}));
  BOOST_TEST((log->retries == std::vector<int>{1}));
  op->check();
}

BOOST_AUTO_TEST_CASE(the_end_of_the_input_is_committed_when_the_job_finishes) {
  auto op = make<recording_sink>();
  op->collect(std::string{"x"});
  log->durable = true;
  BOOST_TEST(op->end_input());
  BOOST_TEST(op->needs_commit());
  BOOST_TEST(log->committed.empty());
  op->commit();
  BOOST_TEST((log->committed == strings{"x"}));
  BOOST_TEST(!op->needs_commit());
  op->check();
}

BOOST_AUTO_TEST_CASE(the_end_of_the_input_waits_for_the_writers_flush) {
  // Waiting, the operator is not quiescent: the subtask waits for the
  // writer's wake-up instead of asking again at once (a busy loop).
  auto op = make<recording_sink>();
  op->collect(std::string{"x"});
  BOOST_TEST(!op->end_input());
  BOOST_TEST(!op->quiescent());
  log->durable = true;
  BOOST_TEST(op->end_input());
  BOOST_TEST(op->quiescent());
  BOOST_TEST(log->flushes == 1);
}

BOOST_AUTO_TEST_CASE(an_aborted_subtask_no_longer_waits_for_the_final_flush) {
  auto op = make<recording_sink>();
  op->collect(std::string{"x"});
  BOOST_TEST(!op->end_input());
  op->abort();
  BOOST_TEST(op->quiescent());
}

BOOST_AUTO_TEST_CASE(retries_at_the_end_of_the_job_are_bounded) {
  log->retry_left["x"] = detail::committable_store::retries_at_job_end;
  log->durable = true;
  auto op = make<recording_sink>();
  op->collect(std::string{"x"});
  BOOST_TEST(op->end_input());
  op->commit();
  BOOST_TEST((log->committed == strings{"x"}));
  op->check();

  auto log2 = std::make_shared<commit_log>();
  log = log2;
  log->retry_left["y"] = detail::committable_store::retries_at_job_end + 1;
  log->durable = true;
  auto stuck = make<recording_sink>();
  stuck->collect(std::string{"y"});
  BOOST_TEST(stuck->end_input());
  stuck->commit();
  BOOST_TEST(log->committed.empty());
  BOOST_CHECK_EXCEPTION(stuck->check(), std::runtime_error, [](const std::runtime_error& e) {
    return std::string{e.what()} ==
           "the sink's commit at the end of the job still asked to retry after 11 attempts";
  });
}

BOOST_AUTO_TEST_CASE(a_failed_commit_fails_the_subtask_naming_the_reason) {
  log->failing = "ab";
  auto op = make<recording_sink>();
  op->collect(std::string{"a"});
  op->collect(std::string{"b"});
  (void)snapshot(*op, 1);
  op->check();
  op->notify_checkpoint_complete(checkpoint_id{1});
  BOOST_CHECK_EXCEPTION(op->check(), std::runtime_error, [](const std::runtime_error& e) {
    return std::string{e.what()} == "the sink's commit failed: the broker lost ab";
  });
}

BOOST_AUTO_TEST_CASE(an_at_least_once_sink_flushes_on_every_barrier_and_commits_nothing) {
  auto op = make<flushing_sink>();
  op->collect(std::string{"a"});
  auto s = snapshot(*op, 1);
  BOOST_TEST(log->flushes == 1);
  BOOST_TEST(s.lists.empty());
  BOOST_REQUIRE(s.durable);
  BOOST_TEST(!s.durable());
  log->durable = true;
  BOOST_TEST(s.durable());
  BOOST_TEST(op->end_input());
  BOOST_TEST(!op->needs_commit());
  BOOST_TEST((log->committed == strings{"a"}));
}

BOOST_AUTO_TEST_SUITE_END()
