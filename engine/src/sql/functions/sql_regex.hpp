#pragma once

// The regular expressions of SQL's REGEXP, REGEXP_EXTRACT and
// REGEXP_REPLACE: Flink takes Java's syntax, which PCRE2 follows closely
// (groups, classes, quantifiers, lookaround, backreferences); a pattern is
// compiled once, to machine code where PCRE2's JIT is available.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace flinkcpp::sql {

/// A compiled pattern. Immutable after construction: thread-safe (each
/// match has its own match data).
class sql_regex {
public:
  /// Throws std::invalid_argument saying what is wrong with `pattern` and
  /// where.
  explicit sql_regex(const std::string& pattern);
  ~sql_regex();
  sql_regex(const sql_regex&) = delete;
  sql_regex& operator=(const sql_regex&) = delete;

  /// Whether the pattern occurs in `s`.
  bool search(std::string_view s) const;

  /// Group `group` (0: the whole match) of the first match in `s`; none
  /// when there is no match, no such group, or the group took no part.
  std::optional<std::string> extract(std::string_view s, std::size_t group) const;

  /// `s` with every match replaced by `replacement` ($1 ... for groups, as
  /// Java's replaceAll). Throws std::runtime_error for a replacement naming
  /// a group the pattern lacks.
  std::string replace_all(std::string_view s, std::string_view replacement) const;

private:
  struct compiled;
  std::unique_ptr<compiled> code_;
};

} // namespace flinkcpp::sql
