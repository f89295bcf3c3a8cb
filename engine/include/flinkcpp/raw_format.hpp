#pragma once

#include <string>
#include <string_view>

#include "flinkcpp/export.hpp"
#include "flinkcpp/format.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Flink's raw format (and SimpleStringSchema): a record is a string, its
/// bytes are the string's bytes, unchanged both ways. Never fails.
class raw_format {
public:
  using record_type = std::string;

  void serialize(const std::string& record, std::string& out) const { out.append(record); }
  std::string deserialize(std::string_view bytes) const { return std::string{bytes}; }
};

} // namespace flinkcpp

FLINKCPP_API_END
