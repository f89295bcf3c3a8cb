#pragma once

// Registers a job under a name, so that `flink-cpp run NAME` (or a shared
// library passed by path) finds it:
//
//   FLINKCPP_JOB(wordcount, "Counts words")
//   (flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
//     ...build the graph...
//   }
//
// The description is optional.

#include "flinkcpp/job_args.hpp"
#include "flinkcpp/stream_environment.hpp"

namespace flinkcpp {

/// Builds a job's dataflow graph from its arguments.
using job_function = void (*)(stream_environment&, const job_args&);

namespace detail {

/// Adds a job to the process-wide registry during static initialization
/// (of the binary, or of a job library while it is loaded).
struct job_registrar {
  job_registrar(const char* name, const char* description, job_function fn);
};

} // namespace detail
} // namespace flinkcpp

#define FLINKCPP_JOB(name, ...)                                                                    \
  static void flinkcpp_job_##name(::flinkcpp::stream_environment&, const ::flinkcpp::job_args&);   \
  static const ::flinkcpp::detail::job_registrar flinkcpp_job_registrar_##name{                    \
    #name, "" __VA_ARGS__, &flinkcpp_job_##name};                                                  \
  static void flinkcpp_job_##name
