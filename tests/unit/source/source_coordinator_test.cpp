// The job master's side of a source, through a fake gateway: readers ask for
// splits and get them in turn, then "no more splits"; a reader going back to
// a checkpoint gives the splits it got later back to the enumerator, which
// hands them out again; the enumerator checkpoints what it has not handed
// out and is restored from it; an enumerator that throws or breaks its
// contract fails the job naming the source; asynchronous calls end with
// their enumerator.

#include <boost/test/unit_test.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/source_bridge.hpp"
#include "source/source_coordinator.hpp"

using namespace flinkcpp;

namespace {

/// A split of the test source: a name.
struct name_split {
  std::string name;
  std::string split_id() const { return name; }
};

template <class Inspector>
auto inspect(Inspector& f, name_split& x) {
  return f(x.name);
}

/// Its enumerator's checkpoint: the splits not handed out.
struct unassigned {
  std::vector<name_split> splits;
};

template <class Inspector>
auto inspect(Inspector& f, unassigned& x) {
  return f(x.splits);
}

/// Hands out its splits one per request, in order; "no more splits" once
/// none is left. With `wrong_subtask`, assigns to that subtask instead.
/// start() lists the splits through call_async when `listed` is set.
class handing_out_enumerator final : public split_enumerator<name_split, unassigned> {
public:
  handing_out_enumerator(split_enumerator_context<name_split>& context, unassigned state,
                         int wrong_subtask, std::vector<name_split> listed)
    : context_(&context),
      state_(std::move(state)),
      wrong_subtask_(wrong_subtask),
      listed_(std::move(listed)) {}

  void start() override {
    if (listed_.empty())
      return;
    context_->call_async([listed = listed_, this]() -> std::function<void()> {
      return [listed, this] {
        for (const auto& s : listed)
          state_.splits.push_back(s);
      };
    });
  }
  void handle_split_request(int subtask, const std::string&) override {
    if (state_.splits.empty()) {
      context_->signal_no_more_splits(subtask);
      return;
    }
    auto next = state_.splits.front();
    state_.splits.erase(state_.splits.begin());
    context_->assign_split(next, wrong_subtask_ >= 0 ? wrong_subtask_ : subtask);
  }
  void add_splits_back(std::vector<name_split> splits, int) override {
    state_.splits.insert(state_.splits.begin(), splits.begin(), splits.end());
  }
  void add_reader(int) override {}
  unassigned snapshot_state(checkpoint_id) override { return state_; }

private:
  split_enumerator_context<name_split>* context_;
  unassigned state_;
  int wrong_subtask_;
  std::vector<name_split> listed_;
};

struct nothing_read {};

class names_source final : public source<nothing_read, name_split, unassigned> {
public:
  names_source(std::vector<std::string> names, int wrong_subtask = -1, bool listed = false) {
    for (auto& n : names)
      (listed ? listed_ : initial_.splits).push_back({std::move(n)});
    wrong_subtask_ = wrong_subtask;
  }

  boundedness get_boundedness() const override { return boundedness::bounded; }
  std::unique_ptr<source_reader<nothing_read, name_split>>
  create_reader(source_reader_context&) const override {
    return nullptr;
  }
  std::unique_ptr<split_enumerator<name_split, unassigned>>
  create_enumerator(split_enumerator_context<name_split>& context) const override {
    return std::make_unique<handing_out_enumerator>(context, initial_, wrong_subtask_, listed_);
  }
  std::unique_ptr<split_enumerator<name_split, unassigned>>
  restore_enumerator(split_enumerator_context<name_split>& context,
                     unassigned checkpoint) const override {
    return std::make_unique<handing_out_enumerator>(context, std::move(checkpoint), wrong_subtask_,
                                                    listed_);
  }

private:
  unassigned initial_;
  std::vector<name_split> listed_;
  int wrong_subtask_ = -1;
};

/// Records what the coordinator sends; keeps asynchronous calls for the
/// test to run.
struct recording_gateway final : coordinator_gateway {
  std::map<int, std::vector<std::string>> received; ///< split names, "end" for no more
  std::vector<std::string> failures;
  std::deque<std::function<std::function<void()>()>> pending;

  void send_splits(int subtask, std::vector<detail::split_bytes> splits) override {
    for (const auto& s : splits)
      received[subtask].push_back(detail::from_bytes<name_split>(s.bytes).name);
  }
  void send_no_more_splits(int subtask) override { received[subtask].push_back("end"); }
  void call_async(std::function<std::function<void()>()> work, std::chrono::milliseconds) override {
    pending.push_back(std::move(work));
  }
  void fail_job(std::string why) override { failures.push_back(std::move(why)); }

  /// Runs the oldest asynchronous call: its work, then what it returned.
  void run_async() {
    auto work = std::move(pending.front());
    pending.pop_front();
    if (auto then = work())
      then();
  }
};

std::shared_ptr<const detail::erased_source> erased(std::shared_ptr<const names_source> s) {
  return std::make_shared<detail::typed_source<nothing_read, name_split, unassigned>>(std::move(s));
}

struct coordinator_fixture {
  recording_gateway gateway;

  std::unique_ptr<source_coordinator> coordinator(std::vector<std::string> names,
                                                  int wrong_subtask = -1, bool listed = false) {
    auto c = std::make_unique<source_coordinator>(
      "names", erased(std::make_shared<names_source>(std::move(names), wrong_subtask, listed)), 2,
      gateway);
    c->start();
    return c;
  }

  std::vector<std::string> got(int subtask) { return gateway.received[subtask]; }
};

using names = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(source_coordinators, coordinator_fixture)

BOOST_AUTO_TEST_CASE(readers_get_a_split_per_request_then_no_more_splits) {
  auto c = coordinator({"a", "b", "c"});
  c->register_reader(0, "host-0");
  c->register_reader(1, "host-1");
  c->request_split(0);
  c->request_split(1);
  c->request_split(0);
  c->request_split(1);
  BOOST_TEST((got(0) == names{"a", "c"}));
  BOOST_TEST((got(1) == names{"b", "end"}));
  BOOST_TEST(gateway.failures.empty());
}

BOOST_AUTO_TEST_CASE(a_reader_going_back_to_a_checkpoint_gives_back_what_it_got_since) {
  auto c = coordinator({"a", "b", "c"});
  c->register_reader(0, "host-0");
  c->request_split(0);
  auto state = c->checkpoint(checkpoint_id{1});
  BOOST_REQUIRE(state.has_value());
  BOOST_TEST(detail::from_bytes<unassigned>(*state).splits.size() == 2u); // b, c
  c->request_split(0);
  c->reset_subtask(0, checkpoint_id{1}); // "b" is in no checkpoint of it
  c->request_split(0);                   // from before it failed: not registered now
  c->register_reader(0, "host-0");
  c->request_split(0);
  c->reset_subtask(0, checkpoint_id{}); // from no state: "a" and "b" go back too
  c->register_reader(0, "host-0");
  for (int i = 0; i < 4; ++i)
    c->request_split(0);
  BOOST_TEST((got(0) == names{"a", "b", "b", "a", "b", "c", "end"}));
  BOOST_TEST(gateway.failures.empty());
}

BOOST_AUTO_TEST_CASE(a_completed_checkpoint_keeps_the_splits_read_before_it) {
  auto c = coordinator({"a", "b"});
  c->register_reader(0, "host-0");
  c->request_split(0);
  BOOST_REQUIRE(c->checkpoint(checkpoint_id{1}));
  c->checkpoint_complete(checkpoint_id{1});
  c->reset_subtask(0, checkpoint_id{1}); // "a" is in its checkpoint 1
  c->register_reader(0, "host-0");
  c->request_split(0);
  c->request_split(0);
  BOOST_TEST((got(0) == names{"a", "b", "end"}));
}

BOOST_AUTO_TEST_CASE(the_job_going_back_to_a_checkpoint_restores_the_enumerator_from_it) {
  auto c = coordinator({"a", "b", "c"});
  c->register_reader(0, "host-0");
  c->register_reader(1, "host-1");
  c->request_split(0);
  auto state = c->checkpoint(checkpoint_id{1});
  BOOST_REQUIRE(state.has_value());
  c->request_split(1);
  c->reset_to(&*state);
  c->request_split(1); // no reader is registered until it registers again
  c->register_reader(1, "host-1");
  c->request_split(1);
  c->request_split(1);
  c->request_split(1);
  BOOST_TEST((got(0) == names{"a"}));
  BOOST_TEST((got(1) == names{"b", "b", "c", "end"}));
  BOOST_TEST(gateway.failures.empty());
}

BOOST_AUTO_TEST_CASE(an_enumerator_breaking_its_contract_fails_the_job_naming_the_source) {
  auto c = coordinator({"a", "b"}, 1); // assigns to subtask 1, which never registered
  c->register_reader(0, "host-0");
  c->request_split(0);
  BOOST_TEST((gateway.failures ==
              names{"the split enumerator of source 'names' failed in handle_split_request: "
                    "split 'a' assigned to subtask 1, which has no registered reader"}));
  c->request_split(0); // a failed job's enumerator is called no more
  BOOST_TEST(!c->checkpoint(checkpoint_id{1}).has_value());
  BOOST_TEST(gateway.failures.size() == 1u);
  BOOST_TEST(got(1).empty());
}

BOOST_AUTO_TEST_CASE(a_checkpoint_it_cannot_read_fails_the_job_naming_the_source) {
  auto c = coordinator({"a"});
  std::string corrupt = "\x05";
  c->reset_to(&corrupt);
  BOOST_REQUIRE(gateway.failures.size() == 1u);
  BOOST_TEST(gateway.failures[0].find(
               "the split enumerator of source 'names' could not be restored: ") == 0u,
             gateway.failures[0]);
}

BOOST_AUTO_TEST_CASE(asynchronous_calls_end_with_their_enumerator) {
  auto c = coordinator({"listed"}, -1, true); // start() lists it asynchronously
  c->register_reader(0, "host-0");
  BOOST_REQUIRE(gateway.pending.size() == 1u);
  gateway.run_async();
  c->request_split(0);
  BOOST_TEST((got(0) == names{"listed"}));
  // A listing that completes after its enumerator was replaced: dropped.
  c->reset_to(nullptr);
  BOOST_REQUIRE(gateway.pending.size() == 1u); // the new enumerator's
  auto stale = std::move(gateway.pending.front());
  gateway.pending.pop_front();
  c->reset_to(nullptr);
  BOOST_TEST(!stale()); // its work ends at once: nothing to run after it
  gateway.run_async();
  c->register_reader(0, "host-0");
  c->request_split(0);
  c->request_split(0);
  BOOST_TEST((got(0) == names{"listed", "listed", "end"}));
}

BOOST_AUTO_TEST_SUITE_END()
