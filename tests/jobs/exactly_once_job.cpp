// The general-purpose test job (after Flink's DataStream all-round test job):
// a replayable source of per-key sequence numbers, a keyed check in keyed
// state that raises an alert on any duplicate, and an exactly-once file sink.
//
//   exactly_once --output DIR [--keys K] [--per-key N] [--rate R] [--hold-ms MS]
//                [--fail-once FILE [--fail-index I] | --fail-when FILE]
//                [--source splits [--reader-rate R]]
//                [--source kafka --bootstrap-servers B --topic T] [--sink batches]
//                [--two-inputs | --broadcast]
//
// Event i is (key i % K, sequence i / K); every (key, sequence) occurs once.
// Each event writes a line "key,sequence,distinct" where distinct counts the
// key's different sequences seen so far (so the last line of a key says N),
// or "ALERT duplicate key,sequence". With --fail-once FILE the check throws
// once, at event I (default: the last one of the first half), if FILE does
// not exist yet (and creates it). With --fail-when FILE it throws once (FILE
// with ".done" marks it) after FILE appears. With --hold-ms MS each key's
// lines wait in keyed list state until a processing-time timer MS after the
// first of them fires (the rest, at the end of the input, from an
// event-time timer the final watermark fires): the output is the same, and
// exact only if timers fire once through failures and rescales. With
// --source splits the events come from a source of the source API instead
// of datagen (--rate then does not apply): 16 splits of consecutive events,
// handed out by its enumerator in the job master, each reader reading at
// most --reader-rate events per second (0: unlimited); exact only if splits
// and the enumerator's state come back from checkpoints. With --source kafka
// the events are the records of topic T (values: event indexes), read to
// the end it had at the start (a bounded Kafka source, one record per
// partition and fetch); exact only if each partition's offset comes back
// from checkpoints. With --sink batches the lines go to a sink this library
// defines on the sink API (batch_sink below) instead of the file sink; exact
// only if its committables come back from checkpoints and are committed
// once their checkpoint completed. With --two-inputs the events of even and
// of odd sequence numbers reach the check as the two inputs of a keyed
// co-process function (connect), which keeps the same state for both: exact
// only if two-input operators align their barriers over both inputs and
// their keyed state and timers come back from checkpoints. With --broadcast
// the events of key k wait in keyed state for rule k % 5 of a broadcast
// stream (5 rules, 2 per second, at parallelism 1) and are checked once it
// came: exact only if the broadcast state comes back whole to every
// subtask, at any parallelism, since no rule comes twice.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "support/range_source.hpp"

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
                 std::string fail_when, std::int64_t hold_ms)
    : keys_(keys),
      fail_once_(std::move(fail_once)),
      fail_index_(fail_index),
      fail_when_(std::move(fail_when)),
      hold_ms_(hold_ms) {}

  void open(context& ctx) override {
    seen_.emplace(ctx.state(flinkcpp::value_state_descriptor<std::vector<std::uint64_t>>{"seen"}));
    distinct_.emplace(ctx.state(flinkcpp::value_state_descriptor<std::int64_t>{"distinct"}));
    held_.emplace(ctx.state(flinkcpp::list_state_descriptor<std::string>{"held"}));
    holding_.emplace(ctx.state(flinkcpp::value_state_descriptor<bool>{"holding"}));
  }

  void on_timer(std::int64_t, context&, flinkcpp::collector<std::string>& out) override {
    for (auto& line : held_->get())
      out.collect(std::move(line));
    held_->clear();
    holding_->clear();
  }

  void process_element(const event& e, context& ctx,
                       flinkcpp::collector<std::string>& out) override {
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
    auto line = id + "," + std::to_string(distinct);
    if (hold_ms_ <= 0) {
      out.collect(std::move(line));
      return;
    }
    if (!holding_->value().value_or(false)) {
      auto& timers = ctx.timer_service();
      timers.register_processing_time_timer(timers.current_processing_time() + hold_ms_);
      timers.register_event_time_timer(flinkcpp::max_watermark);
      holding_->update(true);
    }
    held_->add(std::move(line));
  }

private:
  std::int64_t keys_;
  std::string fail_once_;
  std::int64_t fail_index_;
  std::string fail_when_;
  std::int64_t hold_ms_;
  std::int64_t processed_ = 0;
  std::optional<flinkcpp::value_state<std::vector<std::uint64_t>>> seen_;
  std::optional<flinkcpp::value_state<std::int64_t>> distinct_;
  std::optional<flinkcpp::list_state<std::string>> held_;
  std::optional<flinkcpp::value_state<bool>> holding_;
};

/// sequence_check on two connected keyed streams of events: records of
/// either input are checked alike, in the key's one state.
class two_input_sequence_check final
  : public flinkcpp::keyed_co_process_function<std::int64_t, event, event, std::string> {
public:
  explicit two_input_sequence_check(sequence_check check) : check_(std::move(check)) {}

  void open(context& ctx) override { check_.open(ctx); }
  void on_timer(std::int64_t time, context& ctx, flinkcpp::collector<std::string>& out) override {
    check_.on_timer(time, ctx, out);
  }
  void process_element1(const event& e, context& ctx,
                        flinkcpp::collector<std::string>& out) override {
    check_.process_element(e, ctx, out);
  }
  void process_element2(const event& e, context& ctx,
                        flinkcpp::collector<std::string>& out) override {
    check_.process_element(e, ctx, out);
  }

private:
  sequence_check check_;
};

/// The broadcast state of broadcast_sequence_check: the rules come so far.
const flinkcpp::map_state_descriptor<std::int64_t, bool>& rules_state() {
  static const flinkcpp::map_state_descriptor<std::int64_t, bool> d{"rules"};
  return d;
}

/// sequence_check behind broadcast rules: the events of key k wait in keyed
/// list state until rule k % rules came on the broadcast input; its arrival
/// puts it into the broadcast state and checks the waiting events of its
/// keys (apply_to_keyed_state), in their order, with their key current.
class broadcast_sequence_check final
  : public flinkcpp::keyed_broadcast_process_function<std::int64_t, event, std::int64_t,
                                                      std::string> {
public:
  broadcast_sequence_check(sequence_check check, std::int64_t rules)
    : check_(std::move(check)),
      rules_(rules) {}

  void open(read_only_context& ctx) override {
    check_.open(ctx);
    waiting_.emplace(ctx.state(waiting_state()));
    keyed_ = &ctx;
  }
  void on_timer(std::int64_t time, read_only_context& ctx,
                flinkcpp::collector<std::string>& out) override {
    check_.on_timer(time, ctx, out);
  }
  void process_element(const event& e, read_only_context& ctx,
                       flinkcpp::collector<std::string>& out) override {
    if (ctx.get_broadcast_state(rules_state()).contains(e.key % rules_))
      check_.process_element(e, ctx, out);
    else
      waiting_->add(e);
  }
  void process_broadcast_element(const std::int64_t& rule, context& ctx,
                                 flinkcpp::collector<std::string>& out) override {
    ctx.get_broadcast_state(rules_state()).put(rule, true);
    ctx.apply_to_keyed_state(
      waiting_state(), [&](const std::int64_t& key, flinkcpp::list_state<event>& waiting) {
        if (key % rules_ != rule)
          return;
        for (const auto& e : waiting.get())
          check_.process_element(e, *keyed_, out); // keyed_'s key is `key` now
        waiting.clear();
      });
  }

private:
  static flinkcpp::list_state_descriptor<event> waiting_state() {
    return flinkcpp::list_state_descriptor<event>{"waiting"};
  }

  sequence_check check_;
  std::int64_t rules_;
  std::optional<flinkcpp::list_state<event>> waiting_;
  read_only_context* keyed_ = nullptr;
};

/// A batch of lines to commit as the file `name` of the output directory.
struct line_batch {
  std::string name;
  std::string lines;
};

template <class Inspector>
auto inspect(Inspector& f, line_batch& x) {
  return f(x.name, x.lines);
}

/// Collects the lines of a checkpoint into one batch, its committable (so
/// they are in the checkpoint: nothing to flush).
class batch_writer final : public flinkcpp::sink_writer<std::string, line_batch> {
public:
  explicit batch_writer(int subtask)
    : prefix_("batch-" + std::to_string(subtask) + "-" + std::to_string(std::random_device{}()) +
              "-") {}

  void write(std::string&& line, const flinkcpp::sink_write_context&) override {
    lines_ += line;
    lines_ += '\n';
  }
  std::function<bool()> flush(bool) override { return {}; }
  std::vector<line_batch> prepare_commit() override {
    if (lines_.empty())
      return {};
    return {line_batch{prefix_ + std::to_string(batches_++), std::exchange(lines_, {})}};
  }

private:
  std::string prefix_;
  std::string lines_;
  int batches_ = 0;
};

/// Writes a batch into `dir`: into "<dir>.staging" first, then linked under
/// its name unless that exists (committed before a failure).
class batch_committer final : public flinkcpp::committer<line_batch> {
public:
  explicit batch_committer(std::string dir) : dir_(std::move(dir)) {}

  void commit(std::vector<flinkcpp::commit_request<line_batch>>& requests) override {
    namespace fs = std::filesystem;
    fs::create_directories(dir_);
    fs::create_directories(dir_ + ".staging");
    for (auto& r : requests) {
      fs::path target = fs::path{dir_} / r.committable().name;
      if (fs::exists(target)) {
        r.signal_already_committed();
        continue;
      }
      fs::path staged = fs::path{dir_ + ".staging"} / r.committable().name;
      std::ofstream{staged, std::ios::trunc} << r.committable().lines;
      std::error_code ec;
      fs::create_hard_link(staged, target, ec);
      if (ec && !fs::exists(target))
        r.signal_failed("cannot link " + target.string() + ": " + ec.message());
      fs::remove(staged);
    }
  }

private:
  std::string dir_;
};

/// An exactly-once sink of this job library's own (the extension point of
/// the sink API).
class batch_sink final : public flinkcpp::sink<std::string, line_batch> {
public:
  explicit batch_sink(std::string dir) : dir_(std::move(dir)) {}

  std::unique_ptr<writer_type>
  create_writer(flinkcpp::sink_writer_context& context,
                std::vector<flinkcpp::no_writer_state>) const override {
    return std::make_unique<batch_writer>(context.subtask_index());
  }
  std::unique_ptr<flinkcpp::committer<line_batch>> create_committer() const override {
    return std::make_unique<batch_committer>(dir_);
  }
  std::optional<std::string> validate(bool restoring) const override {
    if (!restoring && std::filesystem::exists(dir_))
      return "output '" + dir_ + "' already exists";
    return std::nullopt;
  }

private:
  std::string dir_;
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
  auto to_event = [keys](std::int64_t i) { return event{i % keys, i / keys}; };
  auto total = keys * per_key;
  auto events = [&] {
    auto source = args.get("source", "datagen");
    if (source == "kafka") {
      auto kafka = flinkcpp::kafka_source<std::int64_t>::builder()
                     .set_bootstrap_servers(args.required("bootstrap-servers"))
                     .set_topics({args.required("topic")})
                     .set_group_id("exactly-once")
                     .set_starting_offsets(flinkcpp::offsets_initializer::earliest())
                     .set_bounded(flinkcpp::offsets_initializer::latest())
                     .set_property("max.partition.fetch.bytes", "1")
                     .set_value_only_deserializer(
                       [](std::string_view v) { return std::stoll(std::string{v}); })
                     .build();
      return env
        .from_source(kafka, flinkcpp::watermark_strategy<std::int64_t>::no_watermarks(), "Kafka")
        .uid("kafka-source")
        .map(to_event);
    }
    if (source != "splits")
      return env.datagen(to_event, static_cast<std::uint64_t>(total), static_cast<double>(rate))
        .uid("sequence-source");
    flinkcpp::testing::range_source_options options;
    options.step = 64;
    options.per_second = static_cast<double>(args.get_int("reader-rate", 0));
    constexpr int splits = 16;
    for (int i = 0; i < splits; ++i)
      options.splits.push_back({"events-" + std::to_string(i),
                                static_cast<std::uint64_t>(total * i / splits),
                                static_cast<std::uint64_t>(total * (i + 1) / splits)});
    return env
      .from_source(flinkcpp::testing::range_source{std::move(options)},
                   flinkcpp::watermark_strategy<std::int64_t>::no_watermarks(), "event splits")
      .uid("split-source")
      .map(to_event);
  }();
  constexpr std::int64_t broadcast_rules = 5;
  sequence_check check{keys, fail_once, fail_index, args.get("fail-when", ""),
                       args.get_int("hold-ms", 0)};
  auto lines =
    args.has("two-inputs")
      ? events.filter([](const event& e) { return e.sequence % 2 == 0; })
          .key_by(&event::key)
          .connect(
            events.filter([](const event& e) { return e.sequence % 2 != 0; }).key_by(&event::key))
          .process(two_input_sequence_check{check})
          .uid("two-input-sequence-check")
    : args.has("broadcast")
      ? events.key_by(&event::key)
          .connect(
            env.datagen([](std::int64_t i) { return i; }, std::uint64_t{broadcast_rules}, 2.0)
              .set_parallelism(1)
              .uid("rule-source")
              .broadcast(rules_state()))
          .process(broadcast_sequence_check{check, broadcast_rules})
          .uid("broadcast-sequence-check")
      : events.key_by(&event::key).process(check).uid("sequence-check");
  auto sink = args.get("sink", "files");
  if (sink == "batches")
    lines.sink_to(batch_sink{output}, "Batches").uid("batch-sink");
  else if (sink == "files")
    lines.write_as_text(output).uid("exactly-once-sink");
  else
    throw std::invalid_argument("--sink: expected files or batches, got '" + sink + "'");
}
