// Each source subtask emits exactly --emit numbers (at --rate per second in
// all), then the job keeps running without emitting: counts across its
// forward edge settle, so scraped metrics can be compared exactly while the
// job is still running. Records get their emission time as event time, so
// watermarks settle too once the sources stop emitting.

#include <chrono>
#include <cstdint>

#include "flinkcpp/flinkcpp.hpp"

namespace {

/// Doubles each number, counting them in the user metric "doubling.records".
struct doubling final : flinkcpp::process_function<std::int64_t, std::int64_t> {
  void process_element(const std::int64_t& i, context& ctx,
                       flinkcpp::collector<std::int64_t>& out) override {
    if (records == nullptr)
      records = &ctx.metrics().add_group("doubling").counter("records");
    records->inc();
    // Wrapping: an unbounded datagen spreads all of uint64 over its
    // subtasks, so subtask 1's numbers start near INT64_MIN (as signed,
    // i * 2 overflowed there: UBSan stopped that taskmanager).
    out.collect(static_cast<std::int64_t>(static_cast<std::uint64_t>(i) * 2));
  }
  flinkcpp::counter* records = nullptr;
};

} // namespace

FLINKCPP_JOB(metrics, "Emits --emit numbers per source subtask, then idles until cancelled")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto emit = args.get_int("emit", 1000);
  auto rate = args.get_int("rate", 1000);
  env
    .datagen([](std::int64_t i) { return i; }, flinkcpp::stream_environment::unbounded,
             static_cast<double>(rate))
    .name("numbers")
    .filter([emit, passed = std::int64_t{0}](std::int64_t) mutable { return passed++ < emit; })
    .name("first")
    .assign_timestamps_and_watermarks(
      flinkcpp::watermark_strategy<std::int64_t>::for_bounded_out_of_orderness(
        std::chrono::milliseconds{100})
        .with_timestamp_assigner([](std::int64_t) {
          return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
        }))
    .name("timestamps")
    .process(doubling{})
    .name("doubled")
    .start_new_chain() // a forward edge between two tasks
    .discard();
}
