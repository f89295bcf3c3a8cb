// The 'kafka' and 'upsert-kafka' table connectors (Flink's option names), on
// flink-cpp's Kafka source and sink.

#include <algorithm>
#include <set>

#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/kafka_sink.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "sql/connectors/connector_options.hpp"
#include "sql/connectors/kafka_tables.hpp"
#include "sql/connectors/row_format.hpp"
#include "sql/planner/row_functions.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string::npos)
      end = text.size();
    if (end > start)
      out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

const std::vector<std::string>& format_keys() {
  static const std::vector<std::string> keys = {
    "csv.field-delimiter",       "csv.quote-character", "csv.null-literal",
    "csv.ignore-parse-errors",   "csv.allow-comments",  "json.ignore-parse-errors",
    "json.fail-on-missing-field"};
  return keys;
}

/// The options a Kafka table takes (its formats' under "key." and "value."
/// too).
std::vector<std::string> kafka_keys(bool upsert) {
  std::vector<std::string> out = {"topic",
                                  "topic-pattern",
                                  "properties.*",
                                  "format",
                                  "key.format",
                                  "value.format",
                                  "key.fields",
                                  "value.fields-include",
                                  "scan.startup.mode",
                                  "scan.startup.timestamp-millis",
                                  "scan.bounded.mode",
                                  "scan.bounded.timestamp-millis",
                                  "sink.delivery-guarantee",
                                  "sink.transactional-id-prefix",
                                  "sink.partitioner",
                                  "sink.parallelism"};
  if (upsert)
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const std::string& k) {
                               return k == "format" || k == "key.fields" ||
                                      k.rfind("scan.startup", 0) == 0 || k == "topic-pattern";
                             }),
              out.end());
  for (const auto& f : format_keys())
    for (const char* prefix : {"", "key.", "value."})
      out.push_back(prefix + f);
  return out;
}

/// Which physical columns the key and the value hold.
struct kafka_layout {
  std::vector<std::size_t> key;   ///< indices into the physical columns
  std::vector<std::size_t> value; ///< indices into the physical columns
  std::optional<row_decoder::kind> key_format;
  row_decoder::kind value_format = row_decoder::kind::json;
};

kafka_layout layout_of(const connector_options& options,
                       const std::vector<const table_column*>& physical, bool upsert) {
  const auto& table = options.table();
  kafka_layout out;
  std::vector<std::string> key_names;
  if (upsert) {
    if (table.primary_key.empty())
      throw sql_error(options.at(), "table '" + table.name +
                                      "': the upsert-kafka connector needs a PRIMARY KEY (...) "
                                      "NOT ENFORCED: its key is the Kafka record's key");
    key_names = table.primary_key;
  } else if (auto fields = options.text("key.fields")) {
    key_names = split(*fields, ';');
  }
  for (const auto& name : key_names) {
    auto it = std::find_if(physical.begin(), physical.end(),
                           [&](const table_column* c) { return c->name == name; });
    if (it == physical.end())
      options.fail(upsert ? "connector" : "key.fields",
                   "the key column '" + name + "' is not a physical column");
    out.key.push_back(static_cast<std::size_t>(it - physical.begin()));
  }
  if (!out.key.empty() || options.text("key.format"))
    out.key_format = format_option(options, "key.format");
  if (options.text("format") && options.text("value.format"))
    options.fail("format", "give 'format' or 'value.format', not both");
  out.value_format = format_option(options, options.text("format") ? "format" : "value.format");
  auto include = options.choice("value.fields-include", {"all", "except_key"}, "all");
  for (std::size_t i = 0; i < physical.size(); ++i)
    if (include == "all" || std::find(out.key.begin(), out.key.end(), i) == out.key.end())
      out.value.push_back(i);
  if (out.key_format && out.key.empty())
    options.fail("key.format", "a key format needs the key's columns: 'key.fields'");
  return out;
}

row_decoder decoder_of(const connector_options& options,
                       const std::vector<const table_column*>& physical,
                       const std::vector<std::size_t>& columns, row_decoder::kind format,
                       const std::string& prefix) {
  std::vector<std::string> names;
  std::vector<data_type> types;
  for (auto i : columns) {
    names.push_back(physical[i]->name);
    types.push_back(physical[i]->type);
  }
  return row_decoder{format, names, types, options, prefix};
}

std::string servers_of(const connector_options& options) {
  return options.required("properties.bootstrap.servers");
}

/// The client properties: 'properties.*' but the servers.
std::vector<std::pair<std::string, std::string>> client_properties(const table_definition& t) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, v] : t.options)
    if (key.rfind("properties.", 0) == 0 && key != "properties.bootstrap.servers" &&
        key != "properties.group.id")
      out.emplace_back(key.substr(11), v);
  return out;
}

/// A Kafka record as a row: the physical columns (from key and value), then
/// the metadata columns asked for. A tombstone is a -D of its key (an
/// upsert table's), or skipped.
struct kafka_row_decoder {
  std::size_t width = 0;
  std::vector<std::size_t> key_columns;
  std::vector<std::size_t> value_columns;
  std::optional<row_decoder> key_decoder;
  row_decoder value_decoder;
  std::vector<std::string> metadata; ///< timestamp, partition, offset, topic
  bool upsert = false;

  void operator()(const kafka_record& r, collector<row>& out) const {
    row decoded;
    decoded.fields.resize(width);
    try {
      if (key_decoder) {
        auto k = key_decoder->decode(r.key.value_or(std::string_view{}));
        for (std::size_t i = 0; i < key_columns.size(); ++i)
          decoded.fields[key_columns[i]] = std::move(k[i]);
      }
      if (!r.value) {
        if (!upsert)
          return;
        decoded.kind = row_kind::remove;
      } else {
        auto v = value_decoder.decode(*r.value);
        for (std::size_t i = 0; i < value_columns.size(); ++i)
          decoded.fields[value_columns[i]] = std::move(v[i]);
        decoded.kind = upsert ? row_kind::update_after : row_kind::insert;
      }
    } catch (const std::exception&) {
      if (value_decoder.ignores_parse_errors())
        return;
      throw;
    }
    for (const auto& m : metadata) {
      if (m == "timestamp")
        decoded.fields.push_back(r.timestamp < 0 ? value{} : value::of(r.timestamp));
      else if (m == "partition")
        decoded.fields.push_back(value::of(r.partition));
      else if (m == "offset")
        decoded.fields.push_back(value::of(r.offset));
      else
        decoded.fields.push_back(value::of_text(std::string{r.topic}));
    }
    out.collect(std::move(decoded));
  }
};

offsets_initializer offsets_of(const connector_options& options, const std::string& mode_key,
                               const std::string& mode, const std::string& timestamp_key) {
  if (mode == "earliest-offset")
    return offsets_initializer::earliest();
  if (mode == "latest-offset")
    return offsets_initializer::latest();
  if (mode == "group-offsets")
    return offsets_initializer::committed_offsets(offset_reset::earliest);
  auto ms = options.integer(timestamp_key);
  if (!ms)
    options.fail(mode_key, "'timestamp' needs '" + timestamp_key + "'");
  return offsets_initializer::timestamp(*ms);
}

} // namespace

relation kafka_scan(stream_environment& env, const table_definition& table,
                    const std::vector<const table_column*>& physical,
                    const std::vector<const table_column*>& metadata, position at,
                    const std::optional<watermark_strategy<row>>& watermarks) {
  bool upsert = table.option("connector") == "upsert-kafka";
  connector_options options{table, kafka_keys(upsert), at};
  options.check_all_known();
  auto layout = layout_of(options, physical, upsert);
  auto builder = kafka_source<row>::builder();
  builder.set_bootstrap_servers(servers_of(options));
  auto topic = options.text("topic");
  auto pattern = options.text("topic-pattern");
  if (topic && pattern)
    options.fail("topic", "give 'topic' or 'topic-pattern', not both");
  if (pattern)
    builder.set_topic_pattern(*pattern);
  else
    builder.set_topics(split(options.required("topic"), ';'));
  if (auto group = options.text("properties.group.id"))
    builder.set_group_id(*group);
  auto startup =
    upsert ? std::string{"earliest-offset"}
           : options.choice("scan.startup.mode",
                            {"earliest-offset", "latest-offset", "group-offsets", "timestamp"},
                            "group-offsets");
  if (startup == "group-offsets" && !options.text("properties.group.id"))
    options.fail("scan.startup.mode", "'group-offsets' needs 'properties.group.id'");
  builder.set_starting_offsets(
    offsets_of(options, "scan.startup.mode", startup, "scan.startup.timestamp-millis"));
  auto bounded = options.choice(
    "scan.bounded.mode",
    {"unbounded", "earliest-offset", "latest-offset", "group-offsets", "timestamp"}, "unbounded");
  if (bounded != "unbounded")
    builder.set_bounded(
      offsets_of(options, "scan.bounded.mode", bounded, "scan.bounded.timestamp-millis"));
  for (const auto& [key, v] : client_properties(table))
    builder.set_property(key, v);
  kafka_row_decoder decode{physical.size(),
                           layout.key,
                           layout.value,
                           std::nullopt,
                           decoder_of(options, physical, layout.value, layout.value_format,
                                      options.text("format") ? "" : "value."),
                           {},
                           upsert};
  if (layout.key_format)
    decode.key_decoder = decoder_of(options, physical, layout.key, *layout.key_format, "key.");
  std::vector<column_info> columns;
  columns.reserve(physical.size() + metadata.size());
  for (const auto* c : physical)
    columns.push_back({c->name, {}, c->type});
  static const std::set<std::string> readable = {"timestamp", "partition", "offset", "topic"};
  for (const auto* m : metadata) {
    if (!readable.count(m->metadata_key))
      options.fail("connector", "the metadata '" + m->metadata_key +
                                  "' is not available: the kafka connector gives 'timestamp', "
                                  "'partition', 'offset' and 'topic'");
    decode.metadata.push_back(m->metadata_key);
    columns.push_back({m->name, {}, m->type});
  }
  builder.set_deserializer(kafka_record_deserializer<row>::of(decode));
  try {
    auto stream = env.from_source(builder.build(),
                                  watermarks.value_or(watermark_strategy<row>::no_watermarks()),
                                  "Kafka Source");
    return relation::of(stream, std::move(columns), !upsert);
  } catch (const std::invalid_argument& e) {
    throw sql_error(at, "table '" + table.name + "': " + e.what());
  }
}

void kafka_write(const relation& rows, const table_definition& table,
                 const std::vector<const table_column*>& written, operator_namer& names,
                 position at) {
  bool upsert = table.option("connector") == "upsert-kafka";
  connector_options options{table, kafka_keys(upsert), at};
  options.check_all_known();
  if (!upsert && !rows.append_only)
    throw sql_error(at, "table sink '" + table.name +
                          "' (kafka) does not support consuming update changes: its query "
                          "produces updates (-U, +U, -D); write it to an upsert-kafka table");
  std::vector<const table_column*> physical;
  std::optional<std::size_t> timestamp_column;
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (written[i]->what == table_column::kind::physical) {
      physical.push_back(written[i]);
    } else if (written[i]->metadata_key == "timestamp") {
      timestamp_column = i;
    } else {
      options.fail("connector", "the metadata '" + written[i]->metadata_key +
                                  "' cannot be written: the kafka connector writes 'timestamp' "
                                  "(declare the others VIRTUAL)");
    }
  }
  auto layout = layout_of(options, physical, upsert);
  auto topic = options.required("topic");
  auto text_of = [&](const std::vector<std::size_t>& columns, row_decoder::kind format) {
    row_text text;
    text.how = format == row_decoder::kind::csv    ? row_text::style::csv
               : format == row_decoder::kind::json ? row_text::style::json
                                                   : row_text::style::raw;
    for (auto i : columns) {
      text.names.push_back(physical[i]->name);
      text.types.push_back(physical[i]->type);
    }
    return text;
  };
  // Written rows hold the physical columns in order, then the metadata.
  auto value_text = text_of(layout.value, layout.value_format);
  std::optional<row_text> key_text;
  if (layout.key_format)
    key_text = text_of(layout.key, *layout.key_format);
  auto project = [](const row& in, const std::vector<std::size_t>& columns) {
    row out;
    for (auto i : columns)
      out.fields.push_back(in.fields[i]);
    return out;
  };
  auto serializer = kafka_record_serializer<row>::of(
    [=](const row& r, const sink_write_context&, kafka_producer_record& out) {
      out.topic = topic;
      if (key_text)
        out.key = (*key_text)(project(r, layout.key));
      if (upsert && r.kind == row_kind::remove)
        out.value.reset(); // a tombstone
      else
        out.value = value_text(project(r, layout.value));
      if (timestamp_column && !r.fields[*timestamp_column].is_null())
        out.timestamp = r.fields[*timestamp_column].integer;
    });
  auto guarantee = options.choice("sink.delivery-guarantee",
                                  {"none", "at-least-once", "exactly-once"}, "at-least-once");
  auto builder = kafka_sink<row>::builder();
  builder.set_bootstrap_servers(servers_of(options))
    .set_record_serializer(serializer)
    .set_delivery_guarantee(guarantee == "none"           ? delivery_guarantee::none
                            : guarantee == "exactly-once" ? delivery_guarantee::exactly_once
                                                          : delivery_guarantee::at_least_once);
  if (guarantee == "exactly-once")
    builder.set_transactional_id_prefix(options.required("sink.transactional-id-prefix"));
  for (const auto& [key, v] : client_properties(table))
    builder.set_property(key, v);
  // An upsert table drops -U: the +U after it replaces the key's value.
  auto stream =
    upsert ? rows.stream.filter([](const row& r) { return r.kind != row_kind::update_before; })
           : rows.stream;
  try {
    auto sink = stream.sink_to(builder.build(), "Kafka Sink");
    sink.name("Sink(table=[[default_catalog, default_database, " + table.name + "]])")
      .uid(names.next_uid("sink"));
    if (auto parallelism = options.integer("sink.parallelism"))
      sink.set_parallelism(static_cast<int>(*parallelism));
  } catch (const std::invalid_argument& e) {
    throw sql_error(at, "table '" + table.name + "': " + e.what());
  }
}

} // namespace flinkcpp::sql
