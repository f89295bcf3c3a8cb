#pragma once

#include <memory>
#include <optional>
#include <string>

#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The factory of read_text_file's source operators (records: lines as
/// std::string). Files are listed and read on the io_executor.
std::shared_ptr<const spi::operator_factory> make_text_file_source_factory(const std::string& path);

/// The factory of read_text_lines' source operators (records: text_line).
std::shared_ptr<const spi::operator_factory>
make_text_lines_source_factory(const std::string& path);

/// Checks, before a job starts, that `path` is a readable file or a directory.
/// Returns the problem, or nullopt.
std::optional<std::string> validate_file_input(const std::string& path);

} // namespace flinkcpp::detail
FLINKCPP_API_END
