// Numbers (forever, or --count of them, at most --rate per second), number i
// at event time i seconds, counted per tumbling event-time window of --window
// numbers and written to --output as "(first,count)" when a window fires
// ("first": the first number to reach the window). With a window longer than
// the job runs, only the final watermark fires it: the end of the job with
// `stop --drain`, never a plain `stop` (the window stays in the savepoint).

#include <chrono>
#include <cstdint>

#include "flinkcpp/flinkcpp.hpp"

namespace {

struct window_count {
  std::int64_t first = 0; ///< the first number in the window
  std::int64_t count = 0;
};

template <class Inspector>
auto inspect(Inspector& f, window_count& w) {
  return f(w.first, w.count);
}

} // namespace

FLINKCPP_JOB(event_time, "Counts --count numbers per --window event-time seconds into --output")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto window = args.get_int("window", 1000);
  auto rate = args.get_int("rate", 1000);
  auto count = args.get_int("count", 0);
  auto output = args.required("output");
  env
    .datagen(
      [](std::int64_t i) {
        return window_count{i, 1};
      },
      count > 0 ? static_cast<std::uint64_t>(count) : flinkcpp::stream_environment::unbounded,
      static_cast<double>(rate))
    .assign_timestamps_and_watermarks(
      flinkcpp::watermark_strategy<window_count>::for_monotonous_timestamps()
        .with_timestamp_assigner([](const window_count& w) { return w.first * 1000; }))
    .key_by([](const window_count&) { return std::int64_t{0}; })
    .window(flinkcpp::tumbling_event_time_windows::of(std::chrono::seconds{window}))
    .sum(&window_count::count)
    .write_as_text(output)
    .set_parallelism(1);
}
