// A job that never ends by itself: numbers forever into a text file.

#include <cstdint>

#include "flinkcpp/flinkcpp.hpp"

FLINKCPP_JOB(endless, "Writes numbers to --output until cancelled")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto output = args.required("output");
  env.datagen([](std::int64_t i) { return i; }, flinkcpp::stream_environment::unbounded)
    .write_as_text(output);
}
