#pragma once

// Table sources defined outside the SQL area (Flink's DynamicTableSourceFactory,
// found by the table's 'connector' identifier): a library linked into the
// binary registers one at static initialization (the Nexmark generator's
// 'nexmark' does, from engine/examples/nexmark/nexmark_table.cpp).

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/stream_environment.hpp"
#include "flinkcpp/watermark_strategy.hpp"
#include "sql/catalog/catalog.hpp"
#include "sql/connectors/connector_options.hpp"
#include "sql/functions/value.hpp"

namespace flinkcpp::sql {

/// What a source connector needs to make a table's rows.
struct table_source_request {
  stream_environment* env = nullptr;
  const connector_options* options = nullptr;
  /// The table's physical columns (ROW fields as "row.field"), in order:
  /// all of them to check (a bad column is an error even when no query
  /// reads it) ...
  std::vector<const table_column*> declared;
  /// ... and those the query reads, to make: a row of the stream holds
  /// their values in this order.
  std::vector<const table_column*> physical;
  /// The table's WATERMARK pushed into the source (per split, as Flink
  /// does), or none when the table has none.
  std::optional<watermark_strategy<row>> watermarks;
};

struct table_source_factory {
  /// The WITH keys the connector takes besides 'connector' (see
  /// connector_options).
  std::vector<std::string> option_keys;
  /// The rows; throws sql_error (through the options' fail) for bad
  /// options or columns the connector cannot fill.
  std::function<data_stream<row>(const table_source_request&)> scan;
};

/// Registers `factory` as connector `identifier`. Call at static
/// initialization (or before any script is planned); not thread-safe
/// against lookups. A second registration of an identifier replaces the
/// first.
void register_table_source(const std::string& identifier, table_source_factory factory);

/// Registers a factory when constructed: a namespace-scope object of a
/// connector's source file registers it at static initialization.
struct table_source_registrar {
  table_source_registrar(const std::string& identifier, table_source_factory factory) {
    register_table_source(identifier, std::move(factory));
  }
};

/// The factory registered as `identifier`, or null.
const table_source_factory* find_table_source(const std::string& identifier);

/// The registered identifiers, sorted.
std::vector<std::string> registered_table_sources();

} // namespace flinkcpp::sql
