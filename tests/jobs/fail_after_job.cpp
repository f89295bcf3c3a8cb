// A job that fails at runtime, loaded by path like any user job library.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "flinkcpp/flinkcpp.hpp"

FLINKCPP_JOB(fail_after, "Copies --input to --output, failing at line --fail-at")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto input = args.required("input");
  auto output = args.required("output");
  auto fail_at = args.get_int("fail-at", 1);
  env.read_text_file(input)
    .map([fail_at, seen = std::int64_t{0}](const std::string& line) mutable {
      if (++seen == fail_at)
        throw std::runtime_error("boom at line " + std::to_string(seen));
      return line;
    })
    .name("fragile")
    .write_as_text(output);
}
