// A job that runs until cancelled at a steady rate: numbers keyed into
// --keys groups and summed, the sums dropped. Every subtask takes part in a
// keyed shuffle, so a lost taskmanager always fails the job.

#include <cstdint>

#include "flinkcpp/flinkcpp.hpp"

FLINKCPP_JOB(steady, "Sums --rate numbers per second into --keys keys until cancelled")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto rate = args.get_int("rate", 100000);
  auto keys = args.get_int("keys", 1000);
  env
    .datagen([](std::int64_t i) { return i; }, flinkcpp::stream_environment::unbounded,
             static_cast<double>(rate))
    .key_by([keys](std::int64_t i) { return i % keys; })
    .sum()
    .discard();
}
