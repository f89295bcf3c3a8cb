// Event-time sessions per user, with late data: Flink's session windows,
// watermarks with a bounded out-of-orderness and allowed lateness.
//
//   flink-cpp run -t local [-p N] sessions --input FILE_OR_DIR --gap SECONDS
//       --out-of-orderness SECONDS --lateness SECONDS --output DIR
//       --late-output DIR [--skip-bad-lines]
//
// Input lines are "user,timestamp_ms,value" (value an integer). A line that
// does not parse fails the job naming its file and line number, unless
// --skip-bad-lines drops it (counted in the metric sessions.skippedBadLines). Files are read in the order of their paths, each
// from its first line to its last, by one source subtask: the watermark
// follows every record (the largest timestamp so far minus the
// out-of-orderness, minus 1 ms), so results do not depend on timing or on
// the parallelism of the windows.
//
// Per user, a session is [first timestamp, last timestamp + gap) (records
// closer than the gap join one session). When the watermark passes a
// session's end, a line "user,window_start_ms,window_end_ms,count,sum" goes
// to part files in --output; a record arriving later, but within the
// lateness, updates its session and the line is written again with the new
// values; records later than that go to part files in --late-output as
// their input line. Durations are seconds (decimals allowed).

#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "example_args.hpp"
#include "flinkcpp/flinkcpp.hpp"

namespace {

struct click {
  std::string user;
  std::int64_t time_ms = 0;
  std::int64_t value = 0;
  std::string line; ///< the input line, for the late output
};

template <class Inspector>
auto inspect(Inspector& f, click& x) {
  return f(x.user, x.time_ms, x.value, x.line);
}

/// Why `text` is not "user,timestamp_ms,value", or empty if it is (then `out` holds it).
std::string parse_click(const std::string& text, click& out) {
  auto first = text.find(',');
  auto second = first == std::string::npos ? first : text.find(',', first + 1);
  if (second == std::string::npos || text.find(',', second + 1) != std::string::npos)
    return "it does not have three comma-separated fields";
  auto integer = [](std::string_view field, std::int64_t& value) {
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    return ec == std::errc{} && end == field.data() + field.size() && !field.empty();
  };
  std::string_view view{text};
  out.user = text.substr(0, first);
  if (out.user.empty())
    return "the user is empty";
  if (!integer(view.substr(first + 1, second - first - 1), out.time_ms))
    return "the timestamp is not an integer number of milliseconds";
  if (!integer(view.substr(second + 1), out.value))
    return "the value is not an integer";
  out.line = text;
  return {};
}

/// The parsed lines; a bad one fails the job, or, when `skip`, is dropped
/// and counted in the metric "sessions.skippedBadLines" (Prometheus:
/// flink_taskmanager_job_task_operator_sessions_skippedBadLines).
class parse_lines final : public flinkcpp::process_function<flinkcpp::text_line, click> {
public:
  explicit parse_lines(bool skip) : skip_(skip) {}

  void process_element(const flinkcpp::text_line& in, context& ctx,
                       flinkcpp::collector<click>& out) override {
    click c;
    auto problem = parse_click(in.text, c);
    if (problem.empty()) {
      out.collect(std::move(c));
      return;
    }
    if (!skip_)
      throw std::runtime_error("sessions: line " + std::to_string(in.number) + " of '" + in.file +
                               "' is not 'user,timestamp_ms,value': " + problem + ": '" + in.text +
                               "' (--skip-bad-lines drops such lines)");
    if (skipped_ == nullptr)
      skipped_ = &ctx.metrics().add_group("sessions").counter("skippedBadLines");
    skipped_->inc();
  }

private:
  bool skip_;
  flinkcpp::counter* skipped_ = nullptr;
};

/// A watermark after every record: the largest timestamp so far minus the
/// out-of-orderness, minus 1 (Flink's bounded out-of-orderness, emitted per
/// record instead of periodically, so that lateness does not depend on timing).
class per_record_watermarks final : public flinkcpp::watermark_generator<click> {
public:
  explicit per_record_watermarks(std::int64_t out_of_orderness_ms) : bound_(out_of_orderness_ms) {}

  void on_event(const click&, std::int64_t timestamp, flinkcpp::watermark_output& out) override {
    if (timestamp <= largest_)
      return;
    largest_ = timestamp;
    out.emit_watermark(largest_ - bound_ - 1);
  }
  void on_periodic_emit(flinkcpp::watermark_output&) override {}

private:
  std::int64_t bound_;
  std::int64_t largest_ = flinkcpp::min_watermark + 1;
};

/// The count and sum of a session's values.
struct count_and_sum {
  struct totals {
    std::int64_t count = 0;
    std::int64_t sum = 0;
  };
  totals create_accumulator() const { return {}; }
  void add(totals& acc, const click& c) const {
    ++acc.count;
    acc.sum += c.value;
  }
  totals get_result(const totals& acc) const { return acc; }
  void merge(totals& acc, totals&& other) const {
    acc.count += other.count;
    acc.sum += other.sum;
  }
};

template <class Inspector>
auto inspect(Inspector& f, count_and_sum::totals& x) {
  return f(x.count, x.sum);
}

/// "user,window_start_ms,window_end_ms,count,sum".
struct session_line final
  : flinkcpp::process_window_function<std::string, count_and_sum::totals, std::string> {
  void process(const std::string& user, context& ctx, std::span<const count_and_sum::totals> totals,
               flinkcpp::collector<std::string>& out) override {
    out.collect(user + "," + std::to_string(ctx.window().start) + "," +
                std::to_string(ctx.window().end) + "," + std::to_string(totals[0].count) + "," +
                std::to_string(totals[0].sum));
  }
};

} // namespace

FLINKCPP_JOB(sessions, "Event-time sessions per user with late data (--input PATH --gap S "
                       "--out-of-orderness S --lateness S --output DIR --late-output DIR)")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  using flinkcpp::examples::milliseconds_of;
  auto input = args.required("input");
  auto gap = milliseconds_of(args, "gap");
  auto out_of_orderness = milliseconds_of(args, "out-of-orderness");
  auto lateness = milliseconds_of(args, "lateness");
  auto output = args.required("output");
  auto late_output = args.required("late-output");
  bool skip = args.has("skip-bad-lines");
  if (gap == 0)
    throw flinkcpp::job_argument_error("--gap must be more than 0 seconds");
  if (output == late_output)
    throw flinkcpp::job_argument_error("--output and --late-output must be different directories");

  auto strategy = flinkcpp::watermark_strategy<click>::for_generator([out_of_orderness] {
                    return std::make_unique<per_record_watermarks>(out_of_orderness);
                  }).with_timestamp_assigner([](const click& c) { return c.time_ms; });
  const flinkcpp::output_tag<click> late{"late-data"};

  auto clicks = env.read_text_lines(input)
                  .name("sessions-input")
                  .set_parallelism(1)
                  .process(parse_lines{skip})
                  .name("parse")
                  .set_parallelism(1)
                  .assign_timestamps_and_watermarks(strategy)
                  .name("timestamps")
                  .set_parallelism(1);
  auto sessions =
    clicks.key_by(&click::user)
      .window(flinkcpp::event_time_session_windows::with_gap(std::chrono::milliseconds{gap}))
      .allowed_lateness(std::chrono::milliseconds{lateness})
      .side_output_late_data(late)
      .aggregate(count_and_sum{}, session_line{})
      .name("sessions")
      .uid("sessions");
  sessions.write_to_directory(output).name("sessions-output");
  sessions.get_side_output(late)
    .map([](const click& c) { return c.line; })
    .name("late-lines")
    .write_to_directory(late_output)
    .name("late-output");
}
