#pragma once

#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/detail/text_output.hpp"

namespace flinkcpp {

/// The directory of part files `path/part-<subtask>-<n>` one file sink
/// writer writes, rolled at every flush and committed in two phases (see
/// the class comment in part_file_output.cpp).
std::unique_ptr<detail::text_file_output>
make_part_file_output(const std::string& path, sink_writer_context& context,
                      const std::vector<detail::file_writer_state>& restored);

} // namespace flinkcpp
