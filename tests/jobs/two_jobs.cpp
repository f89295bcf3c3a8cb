// A job library registering two jobs, for -c/--class (Flink's entry class):
// each writes its own name to --output.

#include <string>

#include "flinkcpp/flinkcpp.hpp"

namespace {

void write_name(flinkcpp::stream_environment& env, const flinkcpp::job_args& args,
                const std::string& name) {
  env.from_elements(std::vector<std::string>{name})
    .write_as_text(args.required("output"))
    .set_parallelism(1);
}

} // namespace

FLINKCPP_JOB(first, "Writes 'first' to --output")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  write_name(env, args, "first");
}

FLINKCPP_JOB(second, "Writes 'second' to --output")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  write_name(env, args, "second");
}
