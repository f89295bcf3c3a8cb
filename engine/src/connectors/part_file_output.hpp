#pragma once

#include <memory>
#include <string>

#include "flinkcpp/detail/text_output.hpp"

namespace flinkcpp {

/// The directory of part files `path/part-<subtask>-<n>` one sink subtask
/// writes, rolled at every snapshot and committed in two phases (see the
/// class comment in part_file_output.cpp).
std::unique_ptr<detail::text_output> make_part_file_output(const std::string& path,
                                                           const spi::operator_context& context);

} // namespace flinkcpp
