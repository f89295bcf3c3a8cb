// Each source subtask emits exactly --emit numbers (at --rate per second in
// all), then the job keeps running without emitting: counts across its
// forward edge settle, so scraped metrics can be compared exactly while the
// job is still running.

#include <cstdint>

#include "flinkcpp/flinkcpp.hpp"

FLINKCPP_JOB(metrics, "Emits --emit numbers per source subtask, then idles until cancelled")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto emit = args.get_int("emit", 1000);
  auto rate = args.get_int("rate", 1000);
  env.datagen([](std::int64_t i) { return i; }, flinkcpp::stream_environment::unbounded,
              static_cast<double>(rate))
    .name("numbers")
    .filter([emit, passed = std::int64_t{0}](std::int64_t) mutable { return passed++ < emit; })
    .name("first")
    .map([](std::int64_t i) { return i * 2; })
    .name("doubled")
    .start_new_chain() // a forward edge between two tasks
    .discard();
}
