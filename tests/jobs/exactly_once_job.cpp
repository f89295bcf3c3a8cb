// The general-purpose test job (after Flink's DataStream all-round test job):
// a replayable source of per-key sequence numbers, a keyed check in keyed
// state that raises an alert on any duplicate, and an exactly-once file sink.
//
//   exactly_once --output DIR [--keys K] [--per-key N] [--rate R]
//                [--fail-once FILE [--fail-index I] | --fail-when FILE]
//
// Event i is (key i % K, sequence i / K); every (key, sequence) occurs once.
// Each event writes a line "key,sequence,distinct" where distinct counts the
// key's different sequences seen so far (so the last line of a key says N),
// or "ALERT duplicate key,sequence". With --fail-once FILE the check throws
// once, at event I (default: the last one of the first half), if FILE does
// not exist yet (and creates it). With --fail-when FILE it throws once (FILE
// with ".done" marks it) after FILE appears.

#include <cstdint>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"

namespace {

struct event {
  std::int64_t key = 0;
  std::int64_t sequence = 0;
};

template <class Inspector>
auto inspect(Inspector& f, event& x) {
  return f(x.key, x.sequence);
}

class sequence_check final
  : public flinkcpp::keyed_process_function<std::int64_t, event, std::string> {
public:
  sequence_check(std::int64_t keys, std::string fail_once, std::int64_t fail_index,
                 std::string fail_when)
    : keys_(keys),
      fail_once_(std::move(fail_once)),
      fail_index_(fail_index),
      fail_when_(std::move(fail_when)) {}

  void open(context& ctx) override {
    seen_.emplace(ctx.state(flinkcpp::value_state_descriptor<std::vector<std::uint64_t>>{"seen"}));
    distinct_.emplace(ctx.state(flinkcpp::value_state_descriptor<std::int64_t>{"distinct"}));
  }

  void process_element(const event& e, context&, flinkcpp::collector<std::string>& out) override {
    if (!fail_once_.empty() && e.sequence * keys_ + e.key == fail_index_ &&
        !std::ifstream{fail_once_}) {
      std::ofstream{fail_once_} << "failed once\n";
      throw std::runtime_error("failing once, as asked, at event " + std::to_string(fail_index_));
    }
    if (!fail_when_.empty() && ++processed_ % 256 == 0 && std::ifstream{fail_when_} &&
        !std::ifstream{fail_when_ + ".done"}) {
      std::ofstream{fail_when_ + ".done"} << "failed\n";
      throw std::runtime_error("failing once, as asked by " + fail_when_);
    }
    auto bits = seen_->value().value_or(std::vector<std::uint64_t>{});
    auto word = static_cast<std::size_t>(e.sequence / 64);
    auto bit = std::uint64_t{1} << (e.sequence % 64);
    if (bits.size() <= word)
      bits.resize(word + 1, 0);
    auto id = std::to_string(e.key) + "," + std::to_string(e.sequence);
    if ((bits[word] & bit) != 0) {
      out.collect("ALERT duplicate " + id);
      return;
    }
    bits[word] |= bit;
    seen_->update(std::move(bits));
    auto distinct = distinct_->value().value_or(0) + 1;
    distinct_->update(distinct);
    out.collect(id + "," + std::to_string(distinct));
  }

private:
  std::int64_t keys_;
  std::string fail_once_;
  std::int64_t fail_index_;
  std::string fail_when_;
  std::int64_t processed_ = 0;
  std::optional<flinkcpp::value_state<std::vector<std::uint64_t>>> seen_;
  std::optional<flinkcpp::value_state<std::int64_t>> distinct_;
};

} // namespace

FLINKCPP_JOB(exactly_once, "Checks per-key sequences in keyed state; writes them exactly once")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto output = args.required("output");
  auto keys = args.get_int("keys", 100);
  auto per_key = args.get_int("per-key", 1000);
  auto rate = args.get_int("rate", 0);
  auto fail_once = args.get("fail-once", "");
  auto fail_index = args.get_int("fail-index", keys * per_key / 2 - 1);
  env
    .datagen(
      [keys](std::int64_t i) {
        return event{i % keys, i / keys};
      },
      static_cast<std::uint64_t>(keys * per_key), static_cast<double>(rate))
    .uid("sequence-source")
    .key_by(&event::key)
    .process(sequence_check{keys, fail_once, fail_index, args.get("fail-when", "")})
    .uid("sequence-check")
    .write_as_text(output)
    .uid("exactly-once-sink");
}
