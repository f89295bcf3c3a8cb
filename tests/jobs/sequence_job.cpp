// Writes the numbers 0..count-1 to --output, at most --rate per second in
// total: a job whose duration does not depend on the machine's speed.
// --stall-ms makes formatting each number that slow (a user function that
// holds its thread, as one waiting on a remote service would).

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "flinkcpp/flinkcpp.hpp"

FLINKCPP_JOB(sequence, "Writes --count numbers at --rate per second to --output")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto count = args.get_int("count", 1000);
  auto rate = args.get_int("rate", 0);
  auto output = args.required("output");
  auto stall = std::chrono::milliseconds{args.get_int("stall-ms", 0)};
  env
    .datagen([](std::int64_t i) { return i; }, static_cast<std::uint64_t>(count),
             static_cast<double>(rate))
    .name("numbers")
    .rebalance()
    .map([stall](std::int64_t i) {
      std::this_thread::sleep_for(stall);
      return std::to_string(i);
    })
    .name("format")
    .write_as_text(output)
    .set_parallelism(1);
}
