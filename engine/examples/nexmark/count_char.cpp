// The Nexmark suite's user-defined function CountChar (its q14), built in
// under the suite's class name, so that the suite's
//   CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar';
// runs unchanged: count_char(s, c) is how often the first character of c
// occurs in s (0 for a NULL s or an empty c).

#include <cstdint>
#include <optional>
#include <string>

#include "flinkcpp/sql_function.hpp"

namespace {

std::int64_t count_char(std::optional<std::string> s, std::optional<std::string> c) {
  if (!s || !c || c->empty())
    return 0;
  std::int64_t count = 0;
  for (char x : *s)
    count += x == c->front() ? 1 : 0;
  return count;
}

} // namespace

FLINKCPP_SQL_FUNCTION(count_char, "com.github.nexmark.flink.udf.CountChar");
