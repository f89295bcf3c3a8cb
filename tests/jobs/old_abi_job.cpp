// A job library as a build against an older engine leaves it: its job is
// stamped with another ABI number, so the engine must refuse to load it.

#include <flinkcpp/flinkcpp.hpp>

namespace {

void old_job(flinkcpp::stream_environment& env, const flinkcpp::job_args&) {
  env.from_sequence(1, 3).print();
}

const flinkcpp::detail::job_registrar registrar{
  flinkcpp::detail::build_stamp{"0.0.1", FLINKCPP_ABI_VERSION - 1}, "old_abi_job",
  "Built for another ABI", &old_job};

} // namespace
