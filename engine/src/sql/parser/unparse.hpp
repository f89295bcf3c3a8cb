#pragma once

// Expressions written back as SQL, in one canonical form: identifiers in
// backquotes, keywords and function names upper-case, operators spaced and
// parenthesized where the tree nests them. Two expressions the same up to
// spacing, case of keywords and redundant parentheses read the same, which
// the planner uses to match SELECT expressions to GROUP BY ones; DESCRIBE
// and EXPLAIN show them.

#include <string>

#include "sql/parser/ast.hpp"

namespace flinkcpp::sql {

std::string to_sql(const expr& e);

/// A data type as written in the script (upper-case).
std::string to_sql(const type_syntax& type);

} // namespace flinkcpp::sql
