// Table sources: 'datagen' (Flink's DataGen connector), 'filesystem'
// (csv and json lines) and those registered (table_source_factory.hpp),
// then a table's computed columns and WATERMARK.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "flinkcpp/detail/splitmix.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "sql/connectors/connector_options.hpp"
#include "sql/connectors/kafka_tables.hpp"
#include "sql/connectors/row_format.hpp"
#include "sql/connectors/table_connectors.hpp"
#include "sql/connectors/table_source_factory.hpp"
#include "sql/functions/scalar_support.hpp"
#include "sql/functions/time_format.hpp"
#include "sql/functions/value_text.hpp"
#include "sql/planner/changelog_normalize.hpp"
#include "sql/planner/row_functions.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

// -- datagen -----------------------------------------------------------------

struct datagen_field {
  data_type type;
  bool sequence = false;
  std::int64_t min = 0, max = 0; ///< random integers (DECIMAL unscaled); sequence start/end
  double min_number = 0, max_number = 0;
  std::int64_t length = 100;
  double null_rate = 0;
  std::int64_t max_past_ms = 0;
};

/// Row `i` of a datagen table: sequences count from their start, random
/// fields draw from a hash of (i, column), so a row is the same however
/// the rows spread over subtasks.
struct datagen_rows {
  std::vector<datagen_field> fields;

  row operator()(std::int64_t i) const {
    row out;
    out.fields.reserve(fields.size());
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const auto& f = fields[c];
      auto random = detail::splitmix64(static_cast<std::uint64_t>(i) * 0x100000001b3ULL + c);
      if (f.null_rate > 0 &&
          static_cast<double>(detail::splitmix64(random) >> 11) * 0x1.0p-53 < f.null_rate) {
        out.fields.emplace_back();
        continue;
      }
      out.fields.push_back(f.sequence ? sequence_value(f, f.min + i) : random_value(f, random));
    }
    return out;
  }

  static value sequence_value(const datagen_field& f, std::int64_t n) {
    if (is_text(f.type.root))
      return value::of_text(std::to_string(n));
    if (f.type.root == type_root::float_ || f.type.root == type_root::double_)
      return value::of_double(static_cast<double>(n));
    return value::of(n);
  }

  static value random_value(const datagen_field& f, std::uint64_t random) {
    auto root = f.type.root;
    if (root == type_root::boolean)
      return value::of_bool((random & 1) != 0);
    if (is_integer(root) || root == type_root::decimal) {
      auto span = static_cast<std::uint64_t>(f.max) - static_cast<std::uint64_t>(f.min) + 1;
      auto offset = span == 0 ? random : random % span;
      return value::of(static_cast<std::int64_t>(static_cast<std::uint64_t>(f.min) + offset));
    }
    if (root == type_root::float_ || root == type_root::double_) {
      auto unit = static_cast<double>(random >> 11) * 0x1.0p-53;
      return value::of_double(f.min_number + unit * (f.max_number - f.min_number));
    }
    if (is_text(root) || root == type_root::bytes) {
      static constexpr char hex[] = "0123456789abcdef";
      std::string s(static_cast<std::size_t>(f.length), '0');
      auto bits = random;
      for (std::size_t k = 0; k < s.size(); ++k) {
        if (k % 16 == 0)
          bits = detail::splitmix64(random + k);
        s[k] = hex[bits & 15];
        bits >>= 4;
      }
      return value::of_text(std::move(s));
    }
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
    auto past = f.max_past_ms > 0
                  ? static_cast<std::int64_t>(random % static_cast<std::uint64_t>(f.max_past_ms))
                  : 0;
    if (root == type_root::date)
      return value::of((now - past) / ms_per_day);
    if (root == type_root::time)
      return value::of((now - past) % ms_per_day);
    return value::of(now - past);
  }
};

std::pair<std::int64_t, std::int64_t> integer_range(const data_type& t) {
  switch (t.root) {
    case type_root::tinyint:
      return {-128, 127};
    case type_root::smallint:
      return {-32768, 32767};
    case type_root::integer:
      return {-2147483648LL, 2147483647};
    case type_root::decimal: {
      auto top = 1LL;
      for (int k = 0; k < t.precision; ++k)
        top *= 10;
      return {0, top - 1};
    }
    default:
      return {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
  }
}

/// The datagen rows of the columns `physical`; `declared` (all physical
/// columns) are checked and bound the rows (their sequences).
relation datagen_scan(stream_environment& env, const connector_options& options,
                      const std::vector<const table_column*>& declared,
                      const std::vector<const table_column*>& physical,
                      const std::optional<watermark_strategy<row>>& watermarks) {
  options.check_all_known();
  datagen_rows rows;
  std::optional<std::int64_t> sequence_rows;
  for (const auto* c : declared) {
    datagen_field f;
    f.type = c->type;
    auto key = [&](const char* what) { return "fields." + c->name + "." + what; };
    auto kind = options.choice(key("kind"), {"random", "sequence"}, "random");
    f.sequence = kind == "sequence";
    if (f.sequence) {
      if (!is_numeric(c->type.root) && !is_text(c->type.root))
        options.fail(key("kind"),
                     "a sequence needs a number or string column, not " + to_string(c->type));
      auto start = options.integer(key("start"));
      auto end = options.integer(key("end"));
      if (!start || !end)
        options.fail(key("kind"),
                     "a sequence needs '" + key("start") + "' and '" + key("end") + "'");
      if (*end < *start)
        options.fail(key("end"), "the sequence's end is below its start");
      f.min = *start;
      f.max = *end;
      auto n = *end - *start + 1;
      sequence_rows = sequence_rows ? std::min(*sequence_rows, n) : n;
    } else {
      auto [lo, hi] = integer_range(c->type);
      if (c->type.root == type_root::decimal) {
        // A bound as the column's unscaled value.
        auto bound = [&](const std::string& option, std::int64_t fallback) {
          auto text = options.text(option);
          if (!text)
            return fallback;
          auto v = parse_value(*text, c->type);
          if (!v || v->is_null())
            options.fail(option, "expected a " + to_string(c->type) + ", got '" + *text + "'");
          return v->integer;
        };
        lo = bound(key("min"), lo);
        hi = bound(key("max"), hi);
      } else if (is_integer(c->type.root)) {
        lo = options.integer(key("min")).value_or(lo);
        hi = options.integer(key("max")).value_or(hi);
      }
      f.min = lo;
      f.max = hi;
      f.min_number = options.number(key("min")).value_or(std::numeric_limits<double>::min());
      f.max_number = options.number(key("max")).value_or(std::numeric_limits<double>::max());
      if (f.min > f.max || f.min_number > f.max_number)
        options.fail(key("min"), "the minimum is above the maximum");
      f.length = options.integer(key("length")).value_or(100);
      if (f.length < 0)
        options.fail(key("length"), "expected a length of at least 0");
      f.max_past_ms = options.duration_ms(key("max-past")).value_or(0);
    }
    f.null_rate = options.number(key("null-rate")).value_or(0);
    if (f.null_rate < 0 || f.null_rate > 1)
      options.fail(key("null-rate"), "expected a rate between 0 and 1");
    if (std::find(physical.begin(), physical.end(), c) != physical.end())
      rows.fields.push_back(f);
  }
  auto limit = options.integer("number-of-rows");
  if (limit && *limit < 0)
    options.fail("number-of-rows", "expected a number of rows of at least 0");
  std::uint64_t count = stream_environment::unbounded;
  if (limit)
    count = static_cast<std::uint64_t>(*limit);
  if (sequence_rows)
    count = std::min(count, static_cast<std::uint64_t>(*sequence_rows));
  auto rate = options.number("rows-per-second").value_or(10000);
  if (rate <= 0)
    options.fail("rows-per-second", "expected a positive rate");
  std::vector<column_info> columns;
  columns.reserve(physical.size());
  for (const auto* c : physical)
    columns.push_back({c->name, {}, c->type});
  auto stream = env.from_source(detail::generator_source<row, datagen_rows>{rows, count, rate},
                                watermarks.value_or(watermark_strategy<row>::no_watermarks()),
                                "Data Generator Source");
  return relation::of(stream, std::move(columns));
}

// -- filesystem --------------------------------------------------------------

/// A line of a csv or json file as a row of the physical columns (and the
/// file.path / file.name metadata); a line that does not parse fails the
/// job naming file and line, unless parse errors are ignored (the line is
/// then skipped).
struct file_line_parser {
  row_decoder decoder;
  std::vector<std::string> metadata; ///< file.path, file.name: appended in this order

  void operator()(const text_line& line, collector<row>& out) const {
    if (line.text.empty() || (decoder.allows_comments() && line.text[0] == '#'))
      return;
    row parsed;
    try {
      parsed.fields = decoder.decode(line.text);
    } catch (const std::exception& e) {
      if (decoder.ignores_parse_errors())
        return;
      throw std::runtime_error(line.file + ":" + std::to_string(line.number) + ": " + e.what());
    }
    for (const auto& m : metadata) {
      auto slash = line.file.rfind('/');
      parsed.fields.push_back(value::of_text(
        m == "file.name" && slash != std::string::npos ? line.file.substr(slash + 1) : line.file));
    }
    out.collect(std::move(parsed));
  }
};

relation filesystem_scan(stream_environment& env, const connector_options& options,
                         const std::vector<const table_column*>& physical,
                         const std::vector<const table_column*>& metadata) {
  options.check_all_known();
  auto path = options.required("path");
  auto format = options.required_choice("format", {"csv", "json"});
  std::vector<column_info> columns;
  std::vector<std::string> names;
  std::vector<data_type> types;
  for (const auto* c : physical) {
    names.push_back(c->name);
    types.push_back(c->type);
    columns.push_back({c->name, {}, c->type});
  }
  file_line_parser parser{
    row_decoder{format == "json" ? row_decoder::kind::json : row_decoder::kind::csv, names, types,
                options},
    {}};
  for (const auto* m : metadata) {
    if (m->metadata_key != "file.path" && m->metadata_key != "file.name")
      options.fail("connector", "the metadata '" + m->metadata_key +
                                  "' is not available: the filesystem connector gives "
                                  "'file.path' and 'file.name'");
    if (!is_text(m->type.root))
      options.fail("connector", "the metadata column '" + m->name + "' must be a STRING");
    parser.metadata.push_back(m->metadata_key);
    columns.push_back({m->name, {}, m->type});
  }
  return relation::of(env.read_text_lines(path).flat_map<row>(parser), std::move(columns));
}

/// Calls fn(name) for each column `e` names.
template <class F>
void for_each_column(const expr& e, const F& fn) {
  if (e.what == expr::kind::column)
    fn(e.name);
  for (const auto& a : e.args)
    if (a)
      for_each_column(*a, fn);
}

/// The timestamps (the rowtime column) and watermarks (the WATERMARK
/// expression's largest value, as Flink SQL) of `table`'s rows, whose
/// columns are `full`; `project`: how those columns come from the rows the
/// strategy sees (a source's, before computed columns), or null when it
/// sees them as they are. Throws sql_error when they name a column not
/// there.
watermark_strategy<row> table_watermarks(const table_definition& table, const scope& full,
                                         const std::vector<scalar_ptr>* project, position at) {
  auto rowtime = full.resolve({table.watermark->column}, at);
  auto expression = compile_scalar(*table.watermark->expression, full);
  auto time = project ? (*project)[rowtime] : field_reference(rowtime, full.columns[rowtime].type);
  if (project) {
    // The expression reads the declared columns: those it names are made
    // from the source's row for it (the others stay NULL, not copied).
    std::vector<std::size_t> read;
    for_each_column(*table.watermark->expression, [&](const std::vector<std::string>& name) {
      if (full.has(name))
        read.push_back(full.resolve(name, at));
    });
    expression =
      make_scalar(expression->type(), [columns = *project, read, expression](const row& r) {
        row projected;
        projected.fields.resize(columns.size());
        for (auto c : read)
          projected.fields[c] = columns[c]->eval(r);
        return expression->eval(projected);
      });
  }
  return watermark_strategy<row>::for_generator(
           [expression] { return std::make_unique<expression_watermarks>(expression); })
    .with_timestamp_assigner([time](const row& r) {
      auto t = time->eval(r);
      if (t.is_null())
        throw std::runtime_error("a row's rowtime column is NULL: a rowtime attribute needs a "
                                 "value in every row");
      return t.integer;
    });
}

} // namespace

namespace {

/// Whether column `name` is one of `reads` (or a dotted suffix of it is).
bool is_read(const std::string& name, const std::set<std::string>& reads) {
  if (reads.count(name))
    return true;
  for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
    if (reads.count(name.substr(dot + 1)))
      return true;
  return false;
}

/// Which of `table`'s columns to keep for a query reading `reads` (all when
/// null): those read, the rowtime and what the WATERMARK and the kept
/// computed columns read; at least one.
std::vector<bool> kept_columns(const table_definition& table, const std::set<std::string>* reads) {
  std::vector<bool> keep(table.columns.size(), true);
  if (!reads)
    return keep;
  std::set<std::string> needed = *reads;
  if (table.watermark) {
    needed.insert(table.watermark->column);
    for_each_column(*table.watermark->expression,
                    [&](const std::vector<std::string>& name) { needed.insert(name.back()); });
  }
  for (const auto& c : table.columns)
    if (c.what == table_column::kind::computed && is_read(c.name, needed))
      for_each_column(*c.expression, [&](const std::vector<std::string>& name) {
        std::string joined;
        for (const auto& part : name)
          joined += (joined.empty() ? "" : ".") + part;
        needed.insert(joined);
      });
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    keep[i] = table.columns[i].what == table_column::kind::metadata ||
              is_read(table.columns[i].name, needed);
  if (std::find(keep.begin(), keep.end(), true) == keep.end())
    keep[0] = true; // a row per row still
  return keep;
}

/// The names of `columns`, as Flink's plans list them.
std::string field_list(const std::vector<column_info>& columns) {
  std::string out;
  for (const auto& c : columns)
    out += (out.empty() ? "" : ", ") + c.name;
  return out;
}

} // namespace

relation scan_table(stream_environment& env, const table_definition& table,
                    const std::string& qualifier, operator_namer& names, position at,
                    const function_table* functions, const std::set<std::string>* reads) {
  auto connector = table.option("connector").value_or("");
  const auto* factory = find_table_source(connector);
  auto keep = kept_columns(table, reads);
  // Sources that make each column themselves make only those kept.
  bool makes_columns = connector == "datagen" || factory;
  std::vector<const table_column*> declared;
  std::vector<const table_column*> physical;
  std::vector<const table_column*> metadata;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const auto& c = table.columns[i];
    if (c.what == table_column::kind::physical)
      declared.push_back(&c);
    if (c.what == table_column::kind::physical && (keep[i] || !makes_columns))
      physical.push_back(&c);
    else if (c.what == table_column::kind::metadata)
      metadata.push_back(&c);
  }
  // The declared columns, computed ones evaluated, from the source's rows
  // (its physical columns, then its metadata ones).
  scope source_scope;
  source_scope.functions = functions;
  for (const auto* group : {&physical, &metadata})
    for (const auto* c : *group)
      source_scope.columns.push_back({c->name, {}, c->type});
  std::vector<scalar_ptr> projections;
  std::vector<column_info> columns;
  bool reordered = false;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    const auto& c = table.columns[i];
    if (!keep[i]) {
      reordered = reordered || !makes_columns; // a Calc drops it
      continue;
    }
    if (c.what == table_column::kind::computed) {
      projections.push_back(compile_scalar(*c.expression, source_scope));
      reordered = true;
    } else {
      auto index = source_scope.resolve({c.name}, at);
      reordered = reordered || index != projections.size();
      projections.push_back(field_reference(index, c.type));
    }
    columns.push_back({c.name, qualifier, c.type});
  }
  // Watermarks are made in the source, per split (a Kafka partition, a
  // range of datagen rows), as Flink pushes them down: a reader's faster
  // split then does not make its slower split's rows late.
  scope full{columns, functions};
  std::optional<watermark_strategy<row>> pushed;
  if (table.watermark && (connector == "datagen" || connector == "kafka" || factory))
    pushed = table_watermarks(table, full, reordered ? &projections : nullptr, at);
  std::optional<relation> source;
  if (connector == "datagen") {
    if (!metadata.empty())
      throw sql_error(at, "table '" + table.name + "': the datagen connector has no metadata");
    connector_options options{table,
                              {"rows-per-second", "number-of-rows", "fields.#.kind", "fields.#.min",
                               "fields.#.max", "fields.#.length", "fields.#.start", "fields.#.end",
                               "fields.#.null-rate", "fields.#.max-past"},
                              at};
    source = datagen_scan(env, options, declared, physical, pushed);
  } else if (connector == "filesystem") {
    connector_options options{table, filesystem_option_keys(), at};
    source = filesystem_scan(env, options, physical, metadata);
  } else if (connector == "kafka" || connector == "upsert-kafka") {
    source = kafka_scan(env, table, physical, metadata, at, pushed);
  } else if (factory) {
    if (!metadata.empty())
      throw sql_error(at, "table '" + table.name + "': the " + connector +
                            " connector has no metadata");
    connector_options options{table, factory->option_keys, at};
    options.check_all_known();
    std::vector<column_info> made;
    made.reserve(physical.size());
    for (const auto* c : physical)
      made.push_back({c->name, {}, c->type});
    source =
      relation::of(factory->scan({&env, &options, declared, physical, pushed}), std::move(made));
  } else if (connector == "print" || connector == "blackhole") {
    throw sql_error(at, "table '" + table.name + "': the " + connector +
                          " connector can only be written (INSERT INTO), not read");
  } else {
    throw sql_error(at, "table '" + table.name + "': unknown connector '" + connector + "' " +
                          known_connectors());
  }
  source->stream
    .name("TableSourceScan(table=[[default_catalog, default_database, " + table.name +
          "]], fields=[" + field_list(columns) + "])")
    .uid(names.next_uid("source"));
  if (connector == "upsert-kafka") {
    // Upserts of a key become a changelog: -U of the value replaced, +U.
    std::vector<scalar_ptr> key;
    auto scope = source->columns_scope();
    for (const auto& k : table.primary_key) {
      auto i = scope.resolve({k}, at);
      key.push_back(field_reference(i, source->columns[i].type));
    }
    source->set_stream(source->stream.key_by(row_key{key})
                         .process(changelog_normalize{})
                         .name("ChangelogNormalize(key=[" + table.name + "])")
                         .uid(names.next_uid("normalize")));
  }
  relation out = *source;
  out.columns = columns;
  if (reordered) {
    calc_input computed{out.stream, calc_function{nullptr, projections},
                        "computed columns of " + table.name};
    out.set_stream(out.stream.flat_map<row>(computed.calc)
                     .name("Calc(" + computed.description + ")")
                     .uid(names.next_uid("computed-columns")));
    out.last_calc = std::move(computed); // a query's Calc over it merges into it
  }
  if (table.watermark && !pushed)
    out.set_stream(
      out.stream.assign_timestamps_and_watermarks(table_watermarks(table, full, nullptr, at))
        .name("WatermarkAssigner(rowtime=[" + table.watermark->column + "])")
        .uid(names.next_uid("watermarks")));
  return out;
}

} // namespace flinkcpp::sql
