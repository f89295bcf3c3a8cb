#pragma once

// The syntax tree of a Flink SQL script, as the parser (grammar.yy) builds
// it: statements, queries, table references, expressions and data types.
// Nodes are immutable once built and shared (std::shared_ptr<const ...>), so
// that a view's query can be planned wherever the view is used. Every node
// carries the position of its first token, for errors that name line and
// column. Names keep the spelling of the script (identifiers are compared
// case-insensitively by the catalog, as Flink's default); function names and
// operators are upper-case ("+", "AND", "IS NULL", "COUNT").

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace flinkcpp::sql {

/// Where a token starts in the script: 1-based line and column (in bytes),
/// and its byte offset.
struct position {
  int line = 1;
  int column = 1;
  std::size_t offset = 0;
};

struct type_field;

/// A data type as written: `kind` upper-case (INT, VARCHAR, TIMESTAMP,
/// TIMESTAMP_LTZ, DECIMAL, ROW, ARRAY, MAP, ...), with what it takes.
struct type_syntax {
  std::string kind;
  std::vector<std::int64_t> parameters; ///< precision, scale, length
  bool not_null = false;
  /// ROW<name type, ...>: field names and types; ARRAY<t>: one element
  /// type; MAP<k, v>: two.
  std::vector<type_field> fields;
  position at;
};

/// A field of ROW<...> (the element of ARRAY<...> and MAP<...> has no name).
struct type_field {
  std::string name;
  type_syntax type;
};

struct expr;
struct query;
using expr_ptr = std::shared_ptr<const expr>;
using query_ptr = std::shared_ptr<const query>;

/// An OVER window's frame: ROWS or RANGE BETWEEN ... PRECEDING AND CURRENT
/// ROW (ROWS n PRECEDING for short).
struct over_frame {
  bool rows = false;  ///< ROWS (else RANGE)
  expr_ptr preceding; ///< a number (ROWS) or an interval (RANGE); null: UNBOUNDED
};

/// A window of an OVER clause: PARTITION BY ... ORDER BY ... [frame]. The
/// parser puts the windows a query names (WINDOW w AS (...)) in place of
/// OVER w.
struct over_syntax {
  std::string named; ///< OVER w: w, until the parser puts its window in place
  std::vector<expr_ptr> partition_by;
  std::vector<std::pair<expr_ptr, bool>> order_by; ///< expression, descending
  std::optional<over_frame> frame;
};

/// An expression. Literals keep their text (numbers as written, strings
/// unquoted); operators are calls.
struct expr {
  enum class kind {
    null_literal,
    boolean_literal,  ///< text "TRUE" or "FALSE"
    number_literal,   ///< text as written: 42, 4.5, 1e3
    string_literal,   ///< text without quotes, '' as '
    typed_literal,    ///< TIMESTAMP '...', DATE '...', TIME '...': type in `type`
    interval_literal, ///< INTERVAL '5' SECOND: text '5', units in `name`
    column,           ///< `name`: one part, or qualifier and column
    star,             ///< * or t.* (qualifier in `name`)
    call,             ///< function or operator `name[0]` on `args`
    cast,             ///< CAST(args[0] AS type); TRY_CAST when `distinct`
    case_when,        ///< args: [operand or null], when, then, ..., [else]
    table_argument,   ///< TABLE name [PARTITION BY args], a table function's argument
    descriptor,       ///< DESCRIPTOR(columns): `name` holds the columns
    subquery,         ///< (SELECT ...) or IN (SELECT ...): `query`
    named_argument,   ///< name => args[0]
  };
  kind what;
  position at;
  std::string text;
  std::vector<std::string> name;
  std::vector<expr_ptr> args;
  type_syntax type;
  bool distinct = false;                   ///< COUNT(DISTINCT x)
  expr_ptr filter;                         ///< FILTER (WHERE ...)
  std::shared_ptr<const over_syntax> over; ///< OVER (...)
  query_ptr subquery;
};

/// A FROM item.
struct table_ref {
  enum class kind { table, subquery, join, function };
  enum class join_kind { inner, left, right, full, cross };
  kind what;
  position at;
  std::vector<std::string> name; ///< table: its (possibly qualified) name
  std::string alias;
  query_ptr subquery;
  expr_ptr function; ///< TABLE(f(...)): the call
  std::shared_ptr<const table_ref> left, right;
  join_kind join = join_kind::inner;
  expr_ptr condition; ///< ON ...
};
using table_ref_ptr = std::shared_ptr<const table_ref>;

struct select_item {
  expr_ptr value;
  std::string alias;
};

struct order_item {
  expr_ptr value;
  bool descending = false;
};

/// A query: a SELECT block, a UNION [ALL] of two queries, or VALUES rows;
/// ORDER BY and LIMIT apply to the whole.
struct query {
  enum class kind { select, union_all, union_distinct, values };
  kind what = kind::select;
  position at;
  bool distinct = false;
  std::vector<select_item> items;
  table_ref_ptr from;
  expr_ptr where;
  std::vector<expr_ptr> group_by;
  expr_ptr having;
  std::vector<order_item> order_by;
  std::optional<std::int64_t> limit;
  query_ptr left, right;                   ///< the two sides of a UNION
  std::vector<std::vector<expr_ptr>> rows; ///< VALUES
};

/// A column of CREATE TABLE.
struct column_definition {
  enum class kind { physical, computed, metadata };
  kind what = kind::physical;
  position at;
  std::string name;
  type_syntax type;         ///< physical and metadata columns
  expr_ptr expression;      ///< computed columns
  std::string metadata_key; ///< METADATA FROM 'key' (empty: the column's name)
  bool is_virtual = false;
  std::string comment;
};

struct watermark_definition {
  std::string column;
  expr_ptr expression;
  position at;
};

struct create_table {
  std::vector<std::string> name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<column_definition> columns;
  std::optional<watermark_definition> watermark;
  std::vector<std::string> primary_key;
  std::vector<std::pair<std::string, std::string>> options; ///< WITH (...), in order
  std::string comment;
  std::vector<std::string> like; ///< LIKE other (not supported: refused by the catalog)
};

struct create_view {
  std::vector<std::string> name;
  bool temporary = false;
  bool if_not_exists = false;
  std::vector<std::string> column_names;
  query_ptr definition;
};

struct create_function {
  std::vector<std::string> name;
  bool temporary = false;
  bool system = false;
  bool if_not_exists = false;
  std::string class_name;
  std::string language; ///< upper-case; empty when not given
  std::vector<std::string> using_jars;
};

struct drop_object {
  enum class kind { table, view, function };
  kind what = kind::table;
  std::vector<std::string> name;
  bool temporary = false;
  bool if_exists = false;
};

struct show_statement {
  std::string what; ///< upper-case: TABLES, VIEWS, FUNCTIONS, CATALOGS, DATABASES, JOBS, ...
};

struct describe_statement {
  std::vector<std::string> name;
};

/// SET 'key' = 'value'; SET alone (no key) lists the settings.
struct set_statement {
  std::optional<std::string> key;
  std::string value;
};

struct reset_statement {
  std::optional<std::string> key;
};

struct insert_statement {
  std::vector<std::string> table;
  bool overwrite = false;
  std::vector<std::string> columns; ///< INSERT INTO t (a, b): empty when not given
  query_ptr source;
};

struct select_statement {
  query_ptr body;
};

struct statement_set {
  std::vector<insert_statement> inserts;
};

struct explain_statement;

/// A statement of a script; `at` is where its first token is and `text`
/// its source text (for EXPLAIN and for the client's echo).
struct statement {
  std::variant<create_table, create_view, create_function, drop_object, show_statement,
               describe_statement, set_statement, reset_statement, insert_statement,
               select_statement, statement_set, std::shared_ptr<const explain_statement>>
    body;
  position at;
  std::string text;
};

/// EXPLAIN followed by a query, an INSERT or a statement set.
struct explain_statement {
  statement inner;
};

} // namespace flinkcpp::sql
