#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A job argument that is missing, malformed or unknown. Thrown by job_args
/// and caught by the CLI, which prints its message as the one line of error.
class job_argument_error : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// The arguments after the job name, in Flink's ParameterTool style:
/// `--name value` pairs and `--flag` switches (one dash works too).
///
/// Every name a job reads is remembered, so that after the job has built its
/// graph the runtime can reject arguments it never read ("unknown job argument
/// --inptu"). Jobs should therefore read all their arguments up front.
/// Not thread-safe; used while a job builds its graph.
class job_args {
public:
  job_args() = default;

  /// Parses `args`. Throws job_argument_error for a value without a name or a
  /// name given twice.
  static job_args parse(const std::vector<std::string>& args);

  /// The value of `--name`, if given. Throws job_argument_error if it was given
  /// as a switch without a value.
  std::optional<std::string> get(std::string_view name) const;

  /// The value of `--name`, or `fallback`.
  std::string get(std::string_view name, std::string_view fallback) const;

  /// The value of `--name`; throws job_argument_error when it is missing.
  std::string required(std::string_view name) const;

  /// The value of `--name` as an integer, or `fallback`; throws
  /// job_argument_error when it is not an integer.
  std::int64_t get_int(std::string_view name, std::int64_t fallback) const;

  /// Whether `--name` was given (with or without a value).
  bool has(std::string_view name) const;

  /// Names given but never read by the job.
  std::vector<std::string> unread() const;

  /// Names the job read (given or not), sorted.
  std::vector<std::string> read_names() const;

private:
  const std::optional<std::string>* find(std::string_view name) const;

  std::map<std::string, std::optional<std::string>, std::less<>> values_;
  mutable std::set<std::string, std::less<>> read_;
};

} // namespace flinkcpp
FLINKCPP_API_END
