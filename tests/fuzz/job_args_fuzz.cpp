// A job's arguments (ParameterTool style), as `flink-cpp run JOB ARGS...`
// and the REST API's programArgs pass them: parsed, then read the way jobs
// read them. Only job_argument_error may escape parsing and reading.
//
// Input: NUL-separated arguments; then, after an empty argument, the names
// the job reads.

#include <cstdint>
#include <string>
#include <vector>

#include "flinkcpp/job_args.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace flinkcpp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::fuzz_input in{data, size};
  std::vector<std::string> args;
  for (auto piece = in.until('\0'); !piece.empty(); piece = in.until('\0'))
    args.emplace_back(piece);
  auto names = in.split('\0');
  try {
    auto parsed = job_args::parse(args);
    for (const auto& name : names) {
      try {
        (void)parsed.has(name);
        (void)parsed.get(name);
        (void)parsed.get(name, "fallback");
        (void)parsed.get_int(name, 7);
        (void)parsed.required(name);
      } catch (const job_argument_error&) {
      }
    }
    (void)parsed.unread();
    (void)parsed.read_names();
  } catch (const job_argument_error&) {
  }
  return 0;
}
