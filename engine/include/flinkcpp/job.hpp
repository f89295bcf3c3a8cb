#pragma once

// Registers a job under a name, so that `flink-cpp run NAME` (or a shared
// library passed by path) finds it:
//
//   FLINKCPP_JOB(wordcount, "Counts words")
//   (flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
//     ...build the graph...
//   }
//
// The description is optional. FLINKCPP_NAMED_JOB(kafka_wordcount,
// "kafka-wordcount", "...") registers under a name that is no C++
// identifier. The registration carries the engine version
// and ABI number the job was compiled against (flinkcpp/version.hpp): the
// engine refuses a job library built for another ABI, naming both versions.

#include "flinkcpp/export.hpp"
#include "flinkcpp/job_args.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "flinkcpp/version.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Builds a job's dataflow graph from its arguments.
using job_function = void (*)(stream_environment&, const job_args&);

namespace detail {

/// What a job was compiled against: the engine version and ABI number of
/// the headers. Plain C types, so that the stamp reads the same across ABIs.
struct build_stamp {
  const char* engine_version;
  int abi;
};

/// Adds a job to the process-wide registry during static initialization
/// (of the binary, or of a job library while it is loaded).
struct job_registrar {
  job_registrar(build_stamp built_for, const char* name, const char* description, job_function fn);
};

} // namespace detail
} // namespace flinkcpp
FLINKCPP_API_END

#define FLINKCPP_NAMED_JOB(id, name, ...)                                                          \
  static void flinkcpp_job_##id(::flinkcpp::stream_environment&, const ::flinkcpp::job_args&);     \
  static const ::flinkcpp::detail::job_registrar flinkcpp_job_registrar_##id{                      \
    ::flinkcpp::detail::build_stamp{FLINKCPP_VERSION_STRING, FLINKCPP_ABI_VERSION}, name,          \
    "" __VA_ARGS__, &flinkcpp_job_##id};                                                           \
  static void flinkcpp_job_##id

#define FLINKCPP_JOB(name, ...) FLINKCPP_NAMED_JOB(name, #name __VA_OPT__(, ) __VA_ARGS__)
