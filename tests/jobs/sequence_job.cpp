// Writes the numbers 0..count-1 to --output, at most --rate per second in
// total: a job whose duration does not depend on the machine's speed.

#include <cstdint>
#include <string>

#include "flinkcpp/flinkcpp.hpp"

FLINKCPP_JOB(sequence, "Writes --count numbers at --rate per second to --output")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto count = args.get_int("count", 1000);
  auto rate = args.get_int("rate", 0);
  auto output = args.required("output");
  env.datagen([](std::int64_t i) { return i; }, static_cast<std::uint64_t>(count),
              static_cast<double>(rate))
    .name("numbers")
    .rebalance()
    .map([](std::int64_t i) { return std::to_string(i); })
    .name("format")
    .write_as_text(output)
    .set_parallelism(1);
}
