#pragma once

#include <optional>
#include <string>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Checks, before a job starts, that `path` is a readable file or a directory.
/// Returns the problem, or nullopt.
std::optional<std::string> validate_file_input(const std::string& path);

} // namespace flinkcpp::detail
FLINKCPP_API_END
