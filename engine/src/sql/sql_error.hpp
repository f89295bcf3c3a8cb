#pragma once

// The one error type of the SQL layer: what was wrong with a script, and
// where (line and column of the offending token). Parser, catalog and planner
// throw it before anything runs; describe() turns it into the message users
// see, with the script's line and a caret under the column.

#include <stdexcept>
#include <string>
#include <string_view>

#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

class sql_error : public std::runtime_error {
public:
  sql_error(position at, const std::string& message) : std::runtime_error(message), at_(at) {}

  position where() const { return at_; }

private:
  position at_;
};

/// "SOURCE:LINE:COLUMN: MESSAGE", then the script's line and a caret under
/// the column. `source` names the script (a file name, or "<stdin>").
std::string describe(const sql_error& error, std::string_view script, std::string_view source);

} // namespace flinkcpp::sql
