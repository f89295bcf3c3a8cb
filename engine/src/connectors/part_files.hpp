#pragma once

// File operations the file sinks share: committing an in-progress file to
// its final name without ever overwriting output, idempotently.

#include <string>

namespace flinkcpp {

/// 16 random hex digits, for in-progress file names.
std::string random_file_suffix();

/// Renames `from` to `to` unless `to` exists (output is never overwritten).
/// Blocking; throws std::runtime_error naming `to`.
void rename_no_replace(const std::string& from, const std::string& to);

/// Commits an in-progress part file: renames it, or does nothing if an
/// earlier attempt already did (`from` gone, `to` there). Blocking; throws
/// std::runtime_error if neither exists (the data is lost).
void commit_part_file(const std::string& from, const std::string& to);

} // namespace flinkcpp
