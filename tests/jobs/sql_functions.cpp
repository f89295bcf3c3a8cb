// User-defined SQL functions for the SQL tests, registered as a job library
// registers them (CREATE FUNCTION ... USING JAR 'this library').

#include <cstdint>
#include <optional>
#include <string>

#include "flinkcpp/sql_function.hpp"

namespace {

std::int64_t with_tax(std::int64_t cents) {
  return cents * 119 / 100;
}

/// The first letter of each word; NULL for NULL or an empty name.
std::optional<std::string> initials(std::optional<std::string> name) {
  if (!name || name->empty())
    return std::nullopt;
  std::string out;
  bool start = true;
  for (char c : *name) {
    if (start && c != ' ')
      out += c;
    start = c == ' ';
  }
  return out;
}

bool is_even(std::int32_t n) {
  return n % 2 == 0;
}

} // namespace

FLINKCPP_SQL_FUNCTION(with_tax, "test.WithTax");
FLINKCPP_SQL_FUNCTION(initials, "test.Initials");
FLINKCPP_SQL_FUNCTION(is_even, "test.IsEven");
