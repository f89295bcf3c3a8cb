#pragma once

// Reading a table's WITH options as a connector takes them (internal to
// sql/connectors): which keys it knows, and typed values with errors that
// name the table, the option and what was expected.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sql/catalog/catalog.hpp"

namespace flinkcpp::sql {

class connector_options {
public:
  /// `known`: the option keys the connector takes ("fields.#.kind": '#'
  /// stands for a physical column's name; "properties.*": any key of that
  /// prefix).
  connector_options(const table_definition& table, std::vector<std::string> known, position at);

  /// Throws sql_error naming the first option the connector does not take,
  /// and listing those it does.
  void check_all_known() const;

  std::optional<std::string> text(const std::string& key) const;
  std::string text(const std::string& key, const std::string& fallback) const;
  std::string required(const std::string& key) const;
  std::optional<std::int64_t> integer(const std::string& key) const;
  std::optional<double> number(const std::string& key) const;
  bool boolean(const std::string& key, bool fallback) const;
  /// One of `choices` (case-insensitive; returned lower-case).
  std::string choice(const std::string& key, const std::vector<std::string>& choices,
                     const std::string& fallback) const;
  /// One of `choices` that must be given.
  std::string required_choice(const std::string& key,
                              const std::vector<std::string>& choices) const;
  /// One character (a CSV delimiter or quote).
  char character(const std::string& key, char fallback) const;
  /// A duration ("5 s", "100ms", "1min", or milliseconds) in milliseconds.
  std::optional<std::int64_t> duration_ms(const std::string& key) const;

  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

  const table_definition& table() const { return *table_; }
  position at() const { return at_; }

private:
  const table_definition* table_;
  std::vector<std::string> known_;
  position at_;
};

/// What an unknown connector's error lists: the built-in connectors and
/// the registered sources (table_source_factory.hpp).
std::string known_connectors();

/// The options of the filesystem connector, as a source and as a sink.
std::vector<std::string> filesystem_option_keys();

} // namespace flinkcpp::sql
