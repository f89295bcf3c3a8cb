// Table sinks: 'print' (Flink's print connector: "+I[a, b]" lines on
// standard output), 'blackhole' (discards), 'filesystem' (csv or json
// lines in part files of a directory, exactly once through checkpoints).

#include "flinkcpp/flinkcpp.hpp"
#include "sql/connectors/connector_options.hpp"
#include "sql/connectors/kafka_tables.hpp"
#include "sql/connectors/table_connectors.hpp"
#include "sql/connectors/table_source_factory.hpp"
#include "sql/planner/row_functions.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

std::vector<const table_column*> written_columns(const table_definition& table) {
  std::vector<const table_column*> out;
  for (const auto& c : table.columns)
    if (c.what == table_column::kind::physical ||
        (c.what == table_column::kind::metadata && !c.is_virtual))
      out.push_back(&c);
  return out;
}

void write_table(const relation& rows, const table_definition& table, operator_namer& names,
                 position at) {
  auto connector = table.option("connector").value_or("");
  auto columns = written_columns(table);
  if (connector == "kafka" || connector == "upsert-kafka") {
    kafka_write(rows, table, columns, names, at);
    return;
  }
  for (const auto* c : columns)
    if (c->what == table_column::kind::metadata)
      throw sql_error(at, "table '" + table.name + "': the " + connector +
                            " connector writes no metadata (column '" + c->name + "')");
  row_text text;
  for (const auto* c : columns) {
    text.names.push_back(c->name);
    text.types.push_back(c->type);
  }
  auto sink_name = "Sink(table=[[default_catalog, default_database, " + table.name + "]])";
  std::optional<data_stream_sink> sink;
  std::optional<std::int64_t> parallelism;
  if (connector == "print") {
    connector_options options{
      table, {"print-identifier", "standard-error", "sink.parallelism"}, at};
    options.check_all_known();
    if (options.boolean("standard-error", false))
      options.fail("standard-error", "printing to standard error is not supported: the print "
                                     "connector writes to standard output");
    parallelism = options.integer("sink.parallelism");
    text.how = row_text::style::print;
    sink = rows.stream.map(text)
             .name("Calc(print format)")
             .uid(names.next_uid("print-format"))
             .sink_to(print_sink<std::string>{options.text("print-identifier", "")}, "Print");
  } else if (connector == "blackhole") {
    connector_options options{table, {}, at};
    options.check_all_known();
    sink = rows.stream.discard();
  } else if (connector == "filesystem") {
    connector_options options{table, filesystem_option_keys(), at};
    options.check_all_known();
    if (!rows.append_only)
      throw sql_error(at, "table sink '" + table.name +
                            "' (filesystem) does not support consuming update changes: its "
                            "query produces updates (-U, +U, -D); write it to the print "
                            "connector, or aggregate in windows");
    auto path = options.required("path");
    auto format = options.required_choice("format", {"csv", "json"});
    text.how = format == "csv" ? row_text::style::csv : row_text::style::json;
    text.delimiter = options.character("csv.field-delimiter", ',');
    parallelism = options.integer("sink.parallelism");
    sink = rows.stream.map(text)
             .name("Calc(" + format + " format)")
             .uid(names.next_uid("format"))
             .write_to_directory(path);
  } else if (connector == "datagen" || find_table_source(connector)) {
    throw sql_error(at,
                    "table '" + table.name + "': the " + connector + " connector can only be read");
  } else {
    throw sql_error(at, "table '" + table.name + "': unknown connector '" + connector + "' " +
                          known_connectors());
  }
  sink->name(sink_name).uid(names.next_uid("sink"));
  if (parallelism) {
    if (*parallelism < 1)
      throw sql_error(at, "table '" + table.name +
                            "', option 'sink.parallelism': expected at "
                            "least 1");
    sink->set_parallelism(static_cast<int>(*parallelism));
  }
}

} // namespace flinkcpp::sql
