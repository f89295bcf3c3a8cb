#include "sql/planner/planner.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "config/table_options.hpp"
#include "flinkcpp/flinkcpp.hpp"
#include "sql/functions/aggregates.hpp"
#include "sql/functions/operators.hpp"
#include "sql/functions/scalar_support.hpp"
#include "sql/parser/unparse.hpp"
#include "sql/planner/aggregate_functions.hpp"
#include "sql/planner/interval_join_function.hpp"
#include "sql/planner/join_function.hpp"
#include "sql/planner/rank_function.hpp"
#include "sql/planner/row_functions.hpp"
#include "sql/planner/temporal_sort.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

std::string column_list(const std::vector<column_info>& columns) {
  std::string out = "[";
  for (std::size_t i = 0; i < columns.size(); ++i)
    out += (i ? ", " : "") + columns[i].name + ": " + to_string(columns[i].type);
  return out + "]";
}

/// The name a SELECT item's column gets: its alias, a column's own name,
/// else EXPR$<position>, as Flink names them.
std::string item_name(const select_item& item, std::size_t position) {
  if (!item.alias.empty())
    return item.alias;
  if (item.value->what == expr::kind::column)
    return item.value->name.back();
  return "EXPR$" + std::to_string(position);
}

/// Adds the names `e` reads to `out`: each column's name with its dotted
/// suffixes (p.name: "p.name", "name"), a DESCRIPTOR's columns.
void add_names_read(const expr& e, std::set<std::string>& out) {
  if (e.what == expr::kind::column) {
    std::string name;
    for (auto part = e.name.rbegin(); part != e.name.rend(); ++part) {
      name = name.empty() ? *part : *part + "." + name;
      out.insert(name);
    }
  }
  if (e.what == expr::kind::descriptor)
    out.insert(e.name.begin(), e.name.end());
  for (const auto& a : e.args)
    if (a)
      add_names_read(*a, out);
  if (e.filter)
    add_names_read(*e.filter, out);
  if (e.over) {
    for (const auto& p : e.over->partition_by)
      add_names_read(*p, out);
    for (const auto& [key, descending] : e.over->order_by)
      add_names_read(*key, out);
  }
}

void add_names_read(const table_ref& from, std::set<std::string>& out) {
  if (from.condition)
    add_names_read(*from.condition, out);
  if (from.function)
    add_names_read(*from.function, out);
  for (const auto* side : {from.left.get(), from.right.get()})
    if (side)
      add_names_read(*side, out);
}

/// The column names SELECT `q` reads from its FROM (every clause's, with
/// their dotted suffixes), or none when an item is a '*' (all of them).
std::optional<std::set<std::string>> names_read(const query& q) {
  std::set<std::string> out;
  for (const auto& item : q.items) {
    if (item.value->what == expr::kind::star)
      return std::nullopt;
    add_names_read(*item.value, out);
  }
  for (const auto* e : {q.where.get(), q.having.get()})
    if (e)
      add_names_read(*e, out);
  for (const auto& g : q.group_by)
    add_names_read(*g, out);
  for (const auto& o : q.order_by)
    add_names_read(*o.value, out);
  if (q.from)
    add_names_read(*q.from, out);
  return out;
}

/// The windows a row_number() OVER query would need: refused for now.
void refuse_over(const expr& e) {
  if (e.what == expr::kind::call && e.over)
    throw sql_error(e.at, e.name[0] +
                            "() OVER ... is only supported as an item of a SELECT list: an "
                            "aggregate function, or ROW_NUMBER(), RANK() or DENSE_RANK() in a "
                            "Top-N (WHERE rn <= N outside)");
  for (const auto& a : e.args)
    if (a)
      refuse_over(*a);
}

std::shared_ptr<expr> column_ref(const std::string& name, position at) {
  auto e = std::make_shared<expr>();
  e->what = expr::kind::column;
  e->at = at;
  e->name.push_back(name);
  return e;
}

} // namespace

relation planner::calc(relation input, scalar_ptr condition, std::vector<scalar_ptr> projections,
                       std::vector<column_info> columns, const std::string& description) {
  // Over another Calc's rows: one Calc doing both (Flink's CalcMergeRule).
  calc_input merged{input.stream, calc_function{std::move(condition), std::move(projections)},
                    description};
  if (input.last_calc) {
    merged.rows = input.last_calc->rows;
    merged.calc = input.last_calc->calc.then(merged.calc);
    merged.description = input.last_calc->description + ", " + description;
  }
  input.set_stream(merged.rows.flat_map<row>(merged.calc)
                     .name("Calc(" + merged.description + ")")
                     .uid(names_.next_uid("calc")));
  input.columns = std::move(columns);
  input.last_calc = std::move(merged);
  return input;
}

std::chrono::milliseconds planner::state_ttl() const {
  return options::table_exec_state_ttl.get(env_.config());
}

relation planner::plan_sort(const query& q) {
  // The query without ORDER BY and LIMIT; a SELECT also keeps the ORDER BY
  // expressions, as hidden columns $order0..., dropped after the sort.
  auto base = std::make_shared<query>(q);
  base->order_by.clear();
  base->limit.reset();
  bool hidden =
    base->what == query::kind::select && !base->distinct && base->group_by.empty() && !base->having;
  if (hidden)
    for (std::size_t i = 0; i < q.order_by.size(); ++i)
      base->items.push_back(select_item{q.order_by[i].value, "$order" + std::to_string(i)});
  auto input = plan_query(*base);
  auto visible = input.columns.size() - (hidden ? q.order_by.size() : 0);
  auto in_scope = input.columns_scope(&tables_.functions());
  auto spec = std::make_shared<rank_spec>();
  for (std::size_t i = 0; i < visible; ++i)
    spec->projections.push_back(field_reference(i, input.columns[i].type));
  for (std::size_t i = 0; i < q.order_by.size(); ++i) {
    const auto& item = q.order_by[i];
    spec->order_keys.push_back(hidden
                                 ? field_reference(visible + i, input.columns[visible + i].type)
                                 : compile_scalar(*item.value, in_scope));
    spec->order_types.push_back(spec->order_keys.back()->type());
    spec->descending.push_back(item.descending);
  }
  if (!input.append_only)
    throw sql_error(q.at, "ORDER BY and LIMIT over a changelog (an updating input) are not "
                          "supported yet: the input must be append-only");
  auto out = input;
  out.columns.resize(visible);
  out.window.reset();
  if (!q.limit) {
    // Only a time attribute ascending comes first: rows then come in the
    // order of time, which the watermark makes final.
    if (!spec->order_types[0].rowtime || spec->descending[0])
      throw sql_error(q.order_by[0].value->at,
                      "ORDER BY in a streaming query must start with a time attribute "
                      "ascending (the column of a WATERMARK), or come with a LIMIT");
    auto time = hidden ? visible : in_scope.resolve(q.order_by[0].value->name, q.at);
    out.set_stream(input.stream.key_by(row_key{})
                     .process(temporal_sort{spec, time})
                     .name("TemporalSort(orderBy=[" + to_sql(*q.order_by[0].value) + "])")
                     .uid(names_.next_uid("sort")));
    return out;
  }
  if (*q.limit < 1)
    throw sql_error(q.at, "LIMIT needs at least 1 row in a streaming query");
  // The first rows by the ORDER BY keys (by arrival without them), as a
  // Top-N over all rows.
  spec->limit = *q.limit;
  out.set_stream(input.stream.key_by(row_key{})
                   .process(rank_function{spec, state_ttl()})
                   .name(std::string{q.order_by.empty() ? "Limit" : "SortLimit"} +
                         "(limit=" + std::to_string(*q.limit) + ")")
                   .uid(names_.next_uid("limit")));
  // Rows only enter when the first come stay first.
  out.append_only = q.order_by.empty();
  for (auto& c : out.columns)
    c.type.rowtime = c.type.rowtime && out.append_only;
  return out;
}

relation planner::plan_query(const query& q) {
  if (!q.order_by.empty() || q.limit)
    return plan_sort(q);
  switch (q.what) {
    case query::kind::select:
      return plan_select(q);
    case query::kind::values:
      return plan_values(q);
    case query::kind::union_all:
    case query::kind::union_distinct:
      return plan_union(q);
  }
  throw sql_error(q.at, "unsupported query");
}

relation planner::plan_values(const query& q) {
  scope none;
  none.functions = &tables_.functions();
  std::vector<std::vector<scalar_ptr>> compiled;
  for (const auto& r : q.rows) {
    if (!compiled.empty() && r.size() != compiled.front().size())
      throw sql_error(r.front()->at, "VALUES rows have different numbers of columns");
    std::vector<scalar_ptr> cells;
    cells.reserve(r.size());
    for (const auto& e : r)
      cells.push_back(compile_scalar(*e, none));
    compiled.push_back(std::move(cells));
  }
  std::vector<column_info> columns;
  for (std::size_t c = 0; c < compiled.front().size(); ++c) {
    std::vector<data_type> types;
    types.reserve(compiled.size());
    for (const auto& r : compiled)
      types.push_back(r[c]->type());
    columns.push_back({"EXPR$" + std::to_string(c), {}, common_type(types, q.at, "VALUES")});
  }
  std::vector<row> rows;
  row empty;
  for (const auto& r : compiled) {
    row out;
    for (std::size_t c = 0; c < r.size(); ++c)
      out.fields.push_back(widen(r[c]->eval(empty), r[c]->type(), columns[c].type));
    rows.push_back(std::move(out));
  }
  auto stream = env_.from_elements(std::move(rows));
  stream.name("Values").uid(names_.next_uid("values"));
  return relation::of(stream, std::move(columns));
}

relation planner::plan_union(const query& q) {
  auto left = plan_query(*q.left);
  auto right = plan_query(*q.right);
  if (left.columns.size() != right.columns.size())
    throw sql_error(q.at, "the two sides of UNION have " + std::to_string(left.columns.size()) +
                            " and " + std::to_string(right.columns.size()) + " columns");
  std::vector<column_info> columns;
  for (std::size_t i = 0; i < left.columns.size(); ++i) {
    auto t = common_type({left.columns[i].type, right.columns[i].type}, q.at, "UNION");
    columns.push_back({left.columns[i].name, {}, t});
  }
  auto aligned = [&](relation side) {
    bool same = true;
    std::vector<scalar_ptr> projections;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      auto field = field_reference(i, side.columns[i].type);
      if (side.columns[i].type.root != columns[i].type.root ||
          side.columns[i].type.scale != columns[i].type.scale) {
        same = false;
        field = compile_cast(field, columns[i].type, false, q.at);
      }
      projections.push_back(field);
    }
    return same ? side : calc(side, nullptr, projections, columns, "union alignment");
  };
  auto l = aligned(left);
  auto r = aligned(right);
  auto out = relation::of(l.stream.union_with(r.stream), columns, l.append_only && r.append_only);
  return q.what == query::kind::union_all ? out : plan_distinct(out, q.at);
}

relation planner::plan_named(const std::vector<std::string>& name, const std::string& alias,
                             position at) {
  auto object = catalog::object_name(name, at);
  auto qualifier = alias.empty() ? object : alias;
  if (!tables_.find_view(name)) {
    // A table: the columns every query of it reads, when they are known.
    auto& read = tables_read_.try_emplace(object, std::set<std::string>{}).first->second;
    if (read && reads_)
      read->insert(reads_->begin(), reads_->end());
    else
      read.reset();
  }
  auto scanned = scan_for_.find(object);
  auto key = std::make_pair(object, scanned != scan_for_.end() ? scanned->second : reads_);
  if (auto planned = named_.find(key); planned != named_.end()) {
    auto r = planned->second;
    for (auto& c : r.columns)
      c.qualifier = qualifier;
    r.last_calc.reset(); // its rows, not a Calc of their own
    return r;
  }
  auto r = plan_object(name, qualifier, object, key.second, at);
  named_.emplace(key, r);
  return r;
}

relation planner::plan_object(const std::vector<std::string>& name, const std::string& qualifier,
                              const std::string& object,
                              const std::optional<std::set<std::string>>& reads, position at) {
  if (const auto* view = tables_.find_view(name)) {
    if (std::find(expanding_.begin(), expanding_.end(), object) != expanding_.end())
      throw sql_error(at, "the view '" + object + "' uses itself");
    expanding_.push_back(object);
    auto r = plan_query(*read_items(*view));
    expanding_.pop_back();
    if (!view->column_names.empty() && view->column_names.size() != r.columns.size())
      throw sql_error(at, "the view '" + object + "' names " +
                            std::to_string(view->column_names.size()) + " columns, its query has " +
                            std::to_string(r.columns.size()));
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
      if (!view->column_names.empty())
        r.columns[i].name = view->column_names[i];
      r.columns[i].qualifier = qualifier;
    }
    return r;
  }
  const auto* table = tables_.find_table(name);
  if (!table)
    throw sql_error(at, "object '" + object + "' not found: no table or view has that name");
  return scan_table(env_, *table, qualifier, names_, at, &tables_.functions(),
                    reads ? &*reads : nullptr);
}

query_ptr planner::read_items(const view_definition& view) const {
  const auto& q = *view.query;
  // Only a plain SELECT whose items all have names loses items (its rows
  // stay the same rows, its columns the same names).
  if (!reads_ || !view.column_names.empty() || q.what != query::kind::select || q.distinct ||
      !q.group_by.empty() || q.having || !q.order_by.empty() || q.limit)
    return view.query;
  std::vector<select_item> kept;
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    const auto& item = q.items[i];
    if (item.value->what == expr::kind::star || item.value->over ||
        contains_aggregate(*item.value, &tables_.functions()) ||
        (item.alias.empty() && item.value->what != expr::kind::column))
      return view.query;
    if (reads_->count(item_name(item, i)))
      kept.push_back(item);
  }
  if (kept.empty())
    kept.push_back(q.items.front()); // a row per row still
  auto pruned = std::make_shared<query>(q);
  pruned->items = std::move(kept);
  return pruned;
}

relation planner::plan_from(const table_ref& from) {
  switch (from.what) {
    case table_ref::kind::table:
      return plan_named(from.name, from.alias, from.at);
    case table_ref::kind::subquery: {
      auto r = plan_query(*from.subquery);
      for (auto& c : r.columns)
        c.qualifier = from.alias;
      return r;
    }
    case table_ref::kind::function:
      return plan_window_function(from);
    case table_ref::kind::join:
      return plan_join(from, nullptr);
  }
  throw sql_error(from.at, "unsupported FROM item");
}

namespace {

/// The conjuncts of `e` (a AND b AND c: a, b, c).
void conjuncts(const expr_ptr& e, std::vector<expr_ptr>& out) {
  if (e->what == expr::kind::call && e->name[0] == "AND") {
    conjuncts(e->args[0], out);
    conjuncts(e->args[1], out);
  } else {
    out.push_back(e);
  }
}

/// Which sides of a join `e` reads: bit 0 the left (columns below
/// `left_width` of `both`), bit 1 the right.
int sides_of(const expr& e, const scope& both, std::size_t left_width) {
  if (e.what == expr::kind::column) {
    if (!both.has(e.name))
      return 0; // a niladic function (CURRENT_TIMESTAMP), or an error compile names
    return both.resolve(e.name, e.at) < left_width ? 1 : 2;
  }
  int sides = 0;
  for (const auto& a : e.args)
    if (a)
      sides |= sides_of(*a, both, left_width);
  return sides;
}

/// A rowtime column plus or minus constant intervals: `column` + `offset`.
struct time_term {
  std::size_t column;
  std::int64_t offset;
};

std::optional<time_term> time_term_of(const expr& e, const scope& both) {
  if (e.what == expr::kind::column) {
    if (!both.has(e.name))
      return std::nullopt;
    auto i = both.resolve(e.name, e.at);
    if (!both.columns[i].type.rowtime)
      return std::nullopt;
    return time_term{i, 0};
  }
  if (e.what != expr::kind::call || (e.name[0] != "+" && e.name[0] != "-") || e.args.size() != 2 ||
      e.args[1]->what != expr::kind::interval_literal)
    return std::nullopt;
  auto base = time_term_of(*e.args[0], both);
  auto [v, t] = interval_value(*e.args[1]);
  if (!base || t.root != type_root::interval_day_time)
    return std::nullopt;
  base->offset += e.name[0] == "+" ? v.integer : -v.integer;
  return base;
}

} // namespace

std::optional<interval_join_plan> interval_of(std::vector<expr_ptr>& parts, const scope& both,
                                              std::size_t width) {
  interval_join_plan plan{0, 0, {}};
  std::optional<std::int64_t> lower;
  std::optional<std::int64_t> upper;
  std::vector<expr_ptr> rest;
  // Takes a OP b for bounds on left - right; false when it is none.
  auto take = [&](const expr& a, const std::string& op, const expr& b) {
    auto ta = time_term_of(a, both);
    auto tb = time_term_of(b, both);
    if (!ta || !tb || (ta->column < width) == (tb->column < width))
      return false;
    bool a_left = ta->column < width;
    auto l = a_left ? *ta : *tb;
    auto r = a_left ? *tb : *ta;
    if ((lower || upper) && (l.column != plan.left_time || r.column != plan.right_time))
      return false;
    plan.left_time = l.column;
    plan.right_time = r.column;
    // a OP b as left - right OP' c.
    auto c = a_left ? tb->offset - ta->offset : ta->offset - tb->offset;
    auto o = op;
    if (!a_left)
      o = op == ">=" ? "<=" : op == "<=" ? ">=" : op == ">" ? "<" : ">";
    if (o == ">=" || o == ">") {
      auto bound = o == ">" ? c + 1 : c;
      lower = lower ? std::max(*lower, bound) : bound;
    } else {
      auto bound = o == "<" ? c - 1 : c;
      upper = upper ? std::min(*upper, bound) : bound;
    }
    return true;
  };
  for (const auto& p : parts) {
    bool taken = false;
    if (p->what == expr::kind::call && p->args.size() == 2 &&
        (p->name[0] == ">=" || p->name[0] == ">" || p->name[0] == "<=" || p->name[0] == "<"))
      taken = take(*p->args[0], p->name[0], *p->args[1]);
    else if (p->what == expr::kind::call && p->name[0] == "BETWEEN")
      taken = time_term_of(*p->args[0], both) && take(*p->args[0], ">=", *p->args[1]) &&
              take(*p->args[0], "<=", *p->args[2]);
    if (!taken)
      rest.push_back(p);
  }
  if (!lower || !upper)
    return std::nullopt;
  parts = std::move(rest);
  plan.bounds = {*lower, *upper};
  return plan;
}

namespace {

/// The conjunction of the join conditions `parts` over `columns`; null when
/// there are none. Throws sql_error for a part that is not BOOLEAN.
scalar_ptr join_condition(const std::vector<expr_ptr>& parts, const scope& columns) {
  scalar_ptr all;
  for (const auto& p : parts) {
    auto c = compile_scalar(*p, columns);
    if (c->type().root != type_root::boolean && c->type().root != type_root::null)
      throw sql_error(p->at, "a join condition must be BOOLEAN, got " + to_string(c->type()));
    all = all ? logic("AND", all, c, p->at) : c;
  }
  return all;
}

} // namespace

relation planner::plan_join(const table_ref& join, const expr_ptr& where) {
  auto left = plan_from(*join.left);
  auto right = plan_from(*join.right);
  std::vector<expr_ptr> parts;
  if (join.condition)
    conjuncts(join.condition, parts);
  if (where)
    conjuncts(where, parts);
  auto kind = join.join;
  bool left_outer = kind == table_ref::join_kind::left || kind == table_ref::join_kind::full;
  bool right_outer = kind == table_ref::join_kind::right || kind == table_ref::join_kind::full;
  scope both = left.columns_scope(&tables_.functions());
  both.columns.insert(both.columns.end(), right.columns.begin(), right.columns.end());
  auto width = left.columns.size();
  // Equalities between the two sides key the join; the rest is residual.
  std::vector<scalar_ptr> left_keys;
  std::vector<scalar_ptr> right_keys;
  std::vector<expr_ptr> residual_parts;
  std::vector<expr_ptr> side_filters[2]; // an inner join's conditions on one side
  bool inner = !left_outer && !right_outer;
  std::string keys_text;
  // Joined on both windows' start and end: a window join.
  bool window_start_joined = false;
  std::optional<std::size_t> window_end_key;
  for (const auto& p : parts) {
    if (contains_aggregate(*p, &tables_.functions()))
      throw sql_error(p->at, "aggregate functions are not allowed in a join condition");
    bool equality = p->what == expr::kind::call && p->name[0] == "=";
    auto a = equality ? sides_of(*p->args[0], both, width) : 0;
    auto b = equality ? sides_of(*p->args[1], both, width) : 0;
    if (equality && ((a == 1 && b == 2) || (a == 2 && b == 1))) {
      const auto& l = a == 1 ? p->args[0] : p->args[1];
      const auto& r = a == 1 ? p->args[1] : p->args[0];
      auto lk = compile_scalar(*l, left.columns_scope(&tables_.functions()));
      auto rk = compile_scalar(*r, right.columns_scope(&tables_.functions()));
      check_comparable("=", lk->type(), rk->type(), p->at);
      // Equal values must have equal bytes: both sides as one type.
      auto common = common_type({lk->type(), rk->type()}, p->at, "a join condition");
      if (!(lk->type() == common))
        lk = compile_cast(lk, common, false, p->at);
      if (!(rk->type() == common))
        rk = compile_cast(rk, common, false, p->at);
      if (left.window && right.window && l->what == expr::kind::column &&
          r->what == expr::kind::column) {
        auto li = left.columns_scope().resolve(l->name, l->at);
        auto ri = right.columns_scope().resolve(r->name, r->at);
        if (li == left.window->start && ri == right.window->start)
          window_start_joined = true;
        if (li == left.window->end && ri == right.window->end)
          window_end_key = left_keys.size();
      }
      left_keys.push_back(lk);
      right_keys.push_back(rk);
      keys_text += (keys_text.empty() ? "" : " AND ") + to_sql(*p);
      // NULL equals nothing: a nullable key is checked as a condition too.
      if (!common.nullable)
        continue;
    }
    auto sides = inner && !p->subquery ? sides_of(*p, both, width) : 0;
    if (sides == 1 || sides == 2)
      side_filters[sides - 1].push_back(p); // filters its side's rows first, as Flink pushes it
    else
      residual_parts.push_back(p);
  }
  for (int side = 0; side < 2; ++side) {
    auto& input = side == 0 ? left : right;
    std::string text;
    for (const auto& p : side_filters[side])
      text += (text.empty() ? "" : " AND ") + to_sql(*p);
    if (auto condition =
          join_condition(side_filters[side], input.columns_scope(&tables_.functions())))
      input = calc(input, condition, {}, input.columns, "where=[" + text + "]");
  }
  if (left_keys.empty())
    throw sql_error(join.at, "a join needs an equality condition between its two sides (a = "
                             "b, one on each side): flink-cpp, as Flink, runs no streaming "
                             "cross join");
  // Bounds between the two sides' rowtimes make a join of append-only
  // inputs (inner or outer) an interval join, with bounded state.
  std::optional<interval_join_plan> interval;
  if (left.append_only && right.append_only)
    interval = interval_of(residual_parts, both, width);
  auto residual = join_condition(residual_parts, both);
  auto columns = both.columns;
  bool window_join = window_start_joined && window_end_key && !interval;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    // Interval and window joins keep their inputs' time attributes (their
    // output is as late as they are); a regular join materializes them.
    if (!interval && !window_join)
      columns[i].type.rowtime = false;
    if ((i < width && right_outer) || (i >= width && left_outer))
      columns[i].type.nullable = true;
  }
  static const char* const names[] = {"InnerJoin", "LeftOuterJoin", "RightOuterJoin",
                                      "FullOuterJoin", "InnerJoin"};
  auto connected =
    left.stream.connect(right.stream).key_by(row_key{left_keys}, row_key{right_keys});
  auto stream =
    interval
      ? connected
          .process(interval_join_function{
            interval_side{interval->left_time, width, left_outer},
            interval_side{interval->right_time - width, right.columns.size(), right_outer},
            interval->bounds, residual})
          .name(std::string{"IntervalJoin(joinType=["} + names[static_cast<int>(kind)] +
                "], where=[" + keys_text +
                "], leftLowerBound=" + std::to_string(interval->bounds.lower) +
                ", leftUpperBound=" + std::to_string(interval->bounds.upper) + ")")
          .uid(names_.next_uid("interval-join"))
      : connected
          .process(join_function{width, right.columns.size(), residual, left_outer, right_outer,
                                 state_ttl(), window_join ? window_end_key : std::nullopt})
          .name(std::string{window_join ? "WindowJoin" : "Join"} + "(joinType=[" +
                names[static_cast<int>(kind)] + "], where=[" + keys_text + "])")
          .uid(names_.next_uid("join"));
  // A window join's rows still belong to the left side's windows; interval
  // and window joins, outer ones too, are append-only.
  auto out = relation::of(stream, columns,
                          interval.has_value() || window_join ||
                            (inner && left.append_only && right.append_only));
  if (window_join)
    out.window = left.window;
  return out;
}

relation planner::plan_window_function(const table_ref& from) {
  const auto& call = *from.function;
  if (call.what != expr::kind::call)
    throw sql_error(call.at, "TABLE(...) in FROM takes a window table function call");
  const auto& name = call.name[0];
  using kind = window_assigner_function::kind;
  std::vector<std::string> parameters;
  kind what = kind::tumble;
  if (name == "TUMBLE") {
    parameters = {"DATA", "TIMECOL", "SIZE", "OFFSET"};
  } else if (name == "HOP") {
    what = kind::hop;
    parameters = {"DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET"};
  } else if (name == "CUMULATE") {
    what = kind::cumulate;
    parameters = {"DATA", "TIMECOL", "STEP", "SIZE", "OFFSET"};
  } else if (name == "SESSION") {
    what = kind::session;
    parameters = {"DATA", "TIMECOL", "GAP"};
  } else {
    throw sql_error(call.at, "unknown table function " + name +
                               ": expected TUMBLE, HOP, CUMULATE or SESSION");
  }
  std::map<std::string, expr_ptr> given;
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    const auto& a = call.args[i];
    std::string parameter;
    expr_ptr argument = a;
    if (a->what == expr::kind::named_argument) {
      parameter = a->name[0];
      argument = a->args[0];
      if (std::find(parameters.begin(), parameters.end(), parameter) == parameters.end())
        throw sql_error(a->at, name + " has no parameter " + parameter);
    } else {
      if (i >= parameters.size())
        throw sql_error(a->at, name + " takes at most " + std::to_string(parameters.size()) +
                                 " arguments");
      parameter = parameters[i];
    }
    if (!given.emplace(parameter, argument).second)
      throw sql_error(a->at, name + "'s parameter " + parameter + " is given twice");
  }
  for (std::size_t i = 0; i < (what == kind::session ? 3 : parameters.size() - 1); ++i)
    if (!given.count(parameters[i]))
      throw sql_error(call.at, name + " needs its " + parameters[i] + " argument");
  const auto& data = *given["DATA"];
  if (data.what != expr::kind::table_argument)
    throw sql_error(data.at, name + "'s first argument is a table: TABLE name");
  auto input = plan_named(data.name, from.alias, data.at);
  const auto& timecol = *given["TIMECOL"];
  if (timecol.what != expr::kind::descriptor || timecol.name.size() != 1)
    throw sql_error(timecol.at, name + "'s time column is given as DESCRIPTOR(column)");
  auto time_index =
    input.columns_scope(&tables_.functions()).resolve({timecol.name[0]}, timecol.at);
  const auto& time_type = input.columns[time_index].type;
  if (!time_type.rowtime)
    throw sql_error(timecol.at, "the window function requires the time column '" + timecol.name[0] +
                                  "' to be a time attribute (the column of a WATERMARK), but it "
                                  "is " +
                                  to_string(time_type));
  auto interval = [&](const std::string& parameter) -> std::int64_t {
    auto it = given.find(parameter);
    if (it == given.end())
      return 0;
    const auto& e = *it->second;
    if (e.what != expr::kind::interval_literal)
      throw sql_error(e.at, name + "'s " + parameter + " is an interval: INTERVAL '10' SECOND");
    auto [v, t] = interval_value(e);
    if (t.root != type_root::interval_day_time)
      throw sql_error(e.at, name + "'s " + parameter +
                              " must be given in SECOND, MINUTE, HOUR "
                              "or DAY");
    return v.integer;
  };
  window_assigner_function assign;
  assign.what = what;
  assign.time_column = time_index;
  assign.size = what == kind::session ? interval("GAP") : interval("SIZE");
  assign.step = what == kind::hop        ? interval("SLIDE")
                : what == kind::cumulate ? interval("STEP")
                                         : 0;
  assign.offset = interval("OFFSET");
  std::vector<std::size_t> partition;
  for (const auto& p : data.args) {
    if (what != kind::session)
      throw sql_error(p->at, "PARTITION BY belongs to SESSION's table argument");
    if (p->what != expr::kind::column)
      throw sql_error(p->at, "SESSION's PARTITION BY names columns");
    partition.push_back(input.columns_scope(&tables_.functions()).resolve(p->name, p->at));
  }
  auto qualifier = from.alias.empty() ? input.columns.front().qualifier : from.alias;
  auto out = with_windows(input, assign, qualifier, "", call.at);
  if (what == kind::session)
    out.session = session_window{time_index, assign.size, partition};
  return out;
}

relation planner::with_windows(const relation& input, const window_assigner_function& assign,
                               const std::string& qualifier, const std::string& prefix,
                               position at) {
  using kind = window_assigner_function::kind;
  static const char* const names[] = {"TUMBLE", "HOP", "CUMULATE", "SESSION"};
  auto name = names[static_cast<int>(assign.what)];
  if (assign.size <= 0 ||
      ((assign.what == kind::hop || assign.what == kind::cumulate) && assign.step <= 0))
    throw sql_error(at, std::string{name} + "'s window size, step and gap must be positive");
  if ((assign.what == kind::hop || assign.what == kind::cumulate) && assign.size % assign.step != 0)
    throw sql_error(at, std::string{name} + "'s size must be an integral multiple of its " +
                          (assign.what == kind::hop ? "slide" : "step"));
  if (!input.append_only)
    throw sql_error(at, std::string{name} + " windows take an append-only input, not a changelog");
  auto columns = input.columns;
  for (auto& c : columns)
    c.type.rowtime = false;
  auto bound = make_timestamp(3);
  bound.nullable = false;
  auto time = bound;
  time.rowtime = true;
  columns.push_back({prefix + "window_start", qualifier, bound});
  columns.push_back({prefix + "window_end", qualifier, bound});
  columns.push_back({prefix + "window_time", qualifier, time});
  auto stream = input.stream.flat_map<row>(assign)
                  .name(std::string{"WindowTableFunction("} + name + ")")
                  .uid(names_.next_uid("window"));
  auto n = input.columns.size();
  auto out = relation::of(stream, columns);
  out.window = window_columns{n, n + 1, n + 2};
  if (assign.what != kind::session)
    out.window_table = window_table_input{input.stream, assign};
  return out;
}

namespace {

/// The item of `q`'s SELECT list that is ROW_NUMBER(), RANK() or
/// DENSE_RANK() OVER (...), if any (aggregates OVER (...) are not).
std::optional<std::size_t> rank_item(const query& q, const function_table* functions) {
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    const auto& v = *q.items[i].value;
    if (v.what == expr::kind::call && v.over && v.name[0] != "LAG" &&
        !is_aggregate_function(v.name[0], functions)) {
      if (v.name[0] != "ROW_NUMBER" && v.name[0] != "RANK" && v.name[0] != "DENSE_RANK")
        throw sql_error(v.at, v.name[0] + "() OVER is not supported yet: aggregate functions, "
                                          "LAG(), ROW_NUMBER(), RANK() and DENSE_RANK() are");
      return i;
    }
  }
  return std::nullopt;
}

/// Whether `e` names the column `name` (by any qualifier), or is a '*'.
bool mentions(const expr& e, const std::string& name) {
  if (e.what == expr::kind::column)
    return e.name.back() == name;
  if (e.what == expr::kind::star)
    return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [&](const expr_ptr& a) { return a && mentions(*a, name); });
}

/// N of a Top-N bound on `rank` (rank <= N, rank < N, rank = 1, N >= rank,
/// N > rank), if `e` is one.
std::optional<std::int64_t> rank_bound(const expr& e, const std::string& rank) {
  if (e.what != expr::kind::call || e.args.size() != 2)
    return std::nullopt;
  auto is_rank = [&](const expr& x) {
    return x.what == expr::kind::column && x.name.back() == rank;
  };
  auto number = [](const expr& x) -> std::optional<std::int64_t> {
    if (x.what != expr::kind::number_literal ||
        x.text.find_first_not_of("0123456789") != std::string::npos || x.text.size() > 18)
      return std::nullopt;
    return std::stoll(x.text);
  };
  const auto& op = e.name[0];
  for (int flipped = 0; flipped < 2; ++flipped) {
    const auto& r = *e.args[flipped];
    const auto& n = number(*e.args[1 - flipped]);
    if (!is_rank(r) || !n)
      continue;
    // flipped: N >= rank is rank <= N.
    auto le = flipped ? ">=" : "<=";
    auto lt = flipped ? ">" : "<";
    if (op == le || (op == "=" && *n == 1))
      return n;
    if (op == lt)
      return *n - 1;
  }
  return std::nullopt;
}

/// a AND b (either may be null).
expr_ptr both(const expr_ptr& a, const expr_ptr& b) {
  if (!a)
    return b;
  auto e = std::make_shared<expr>();
  e->what = expr::kind::call;
  e->at = b->at;
  e->name.push_back("AND");
  e->args = {a, b};
  return e;
}

} // namespace

relation planner::plan_rank(const query& inner, std::size_t rank_item, std::int64_t limit,
                            bool with_rank, const std::string& qualifier) {
  if (inner.what != query::kind::select || !inner.group_by.empty() || inner.having ||
      inner.distinct || !inner.order_by.empty() || inner.limit)
    throw sql_error(inner.at, "ROW_NUMBER() OVER is supported in a plain SELECT ... FROM ... "
                              "[WHERE ...] (no GROUP BY, DISTINCT, ORDER BY or LIMIT there)");
  if (limit < 1)
    throw sql_error(inner.at, "a Top-N needs a bound of at least 1 on its row number");
  // The input: the inner query with every column of its FROM.
  auto base = std::make_shared<query>(inner);
  auto star = std::make_shared<expr>();
  star->what = expr::kind::star;
  star->at = inner.at;
  base->items = {select_item{star, {}}};
  auto input = plan_select(*base, &inner);
  auto in_scope = input.columns_scope(&tables_.functions());
  const auto& over = *inner.items[rank_item].value->over;
  if (over.order_by.empty())
    throw sql_error(inner.items[rank_item].value->at,
                    "ROW_NUMBER() OVER needs an ORDER BY, as Flink's Top-N");
  auto spec = std::make_shared<rank_spec>();
  std::vector<column_info> columns;
  for (std::size_t i = 0; i < inner.items.size(); ++i) {
    const auto& item = inner.items[i];
    if (i == rank_item) {
      if (with_rank) {
        spec->rank_column = columns.size();
        auto t = make_type(type_root::bigint);
        t.nullable = false;
        columns.push_back({item_name(item, i), qualifier, t});
      }
      continue;
    }
    if (item.value->what == expr::kind::star) {
      for (std::size_t c = 0; c < input.columns.size(); ++c) {
        if (!item.value->name.empty() && input.columns[c].qualifier != item.value->name.back())
          continue;
        spec->projections.push_back(field_reference(c, input.columns[c].type));
        columns.push_back({input.columns[c].name, qualifier, input.columns[c].type});
      }
      continue;
    }
    refuse_over(*item.value);
    spec->projections.push_back(compile_scalar(*item.value, in_scope));
    columns.push_back({item_name(item, i), qualifier, spec->projections.back()->type()});
  }
  std::vector<scalar_ptr> partition;
  partition.reserve(over.partition_by.size());
  for (const auto& p : over.partition_by)
    partition.push_back(compile_scalar(*p, in_scope));
  for (const auto& [key, descending] : over.order_by) {
    spec->order_keys.push_back(compile_scalar(*key, in_scope));
    spec->order_types.push_back(spec->order_keys.back()->type());
    spec->descending.push_back(descending);
  }
  spec->limit = limit;
  const auto& function = inner.items[rank_item].value->name[0];
  spec->numbers = function == "RANK"         ? rank_spec::numbering::rank
                  : function == "DENSE_RANK" ? rank_spec::numbering::dense_rank
                                             : rank_spec::numbering::row_number;
  spec->retracting = !input.append_only;
  // Deduplication: the first or the last row of a key by a time attribute.
  bool by_time = spec->numbers == rank_spec::numbering::row_number && input.append_only &&
                 spec->order_keys.size() == 1 && spec->order_types[0].rowtime;
  spec->update_on_replace = by_time && limit == 1 && spec->descending[0];
  bool keeps_first = by_time && limit == 1 && !spec->descending[0];
  for (auto& c : columns)
    c.type.rowtime = keeps_first && c.type.rowtime;
  auto stream = input.stream.key_by(row_key{partition})
                  .process(rank_function{spec, state_ttl()})
                  .name(std::string{by_time && limit == 1 ? "Deduplicate" : "Rank"} +
                        "(rankRange=[rankStart=1, rankEnd=" + std::to_string(limit) + "])")
                  .uid(names_.next_uid("rank"));
  return relation::of(stream, columns, keeps_first);
}

relation planner::plan_select(const query& q, const query* reads) {
  // FROM (SELECT ..., ROW_NUMBER() OVER (...) AS rn FROM ...) WHERE rn <= N:
  // a Top-N; the bound is its own, the rest of the WHERE stays.
  if (q.from && q.from->what == table_ref::kind::subquery &&
      q.from->subquery->what == query::kind::select) {
    const auto& inner = *q.from->subquery;
    if (auto item = rank_item(inner, &tables_.functions())) {
      auto rank = item_name(inner.items[*item], *item);
      expr_ptr rest;
      std::optional<std::int64_t> limit;
      if (q.where) {
        std::vector<expr_ptr> parts;
        conjuncts(q.where, parts);
        for (const auto& p : parts) {
          auto n = limit ? std::nullopt : rank_bound(*p, rank);
          if (n)
            limit = n;
          else
            rest = both(rest, p);
        }
      }
      if (!limit)
        throw sql_error(q.at, "ROW_NUMBER() OVER needs a bound on its result in the outer "
                              "query (WHERE " +
                                rank + " <= N), as Flink's Top-N");
      bool with_rank =
        std::any_of(q.items.begin(), q.items.end(),
                    [&](const select_item& i) { return mentions(*i.value, rank); }) ||
        (rest && mentions(*rest, rank));
      auto outer = std::make_shared<query>(q);
      outer->where = rest;
      return plan_select_over(plan_rank(inner, *item, *limit, with_rank, q.from->alias), *outer);
    }
  }
  // FROM a, b WHERE ...: the WHERE is the join's condition.
  // FROM a JOIN b ON ... WHERE ...: the same for an inner join.
  bool where_joins =
    q.from && q.from->what == table_ref::kind::join &&
    (q.from->join == table_ref::join_kind::cross || q.from->join == table_ref::join_kind::inner) &&
    q.where;
  auto outer_reads = std::exchange(reads_, names_read(reads ? *reads : q));
  auto input = !q.from       ? relation::of(env_.from_elements(std::vector<row>{row{}}), {})
               : where_joins ? plan_join(*q.from, q.where)
                             : plan_from(*q.from);
  reads_ = std::move(outer_reads);
  return plan_select_over(std::move(input), q, where_joins);
}

relation planner::plan_select_over(relation input, const query& q, bool where_done) {
  if (q.where && !where_done) {
    if (contains_aggregate(*q.where, &tables_.functions()))
      throw sql_error(q.where->at, "aggregate functions are not allowed in WHERE: use HAVING");
    refuse_over(*q.where);
    auto condition = compile_scalar(*q.where, input.columns_scope(&tables_.functions()));
    if (condition->type().root != type_root::boolean && condition->type().root != type_root::null)
      throw sql_error(q.where->at,
                      "WHERE expects a BOOLEAN condition, got " + to_string(condition->type()));
    input = calc(input, condition, {}, input.columns, "where=[" + to_sql(*q.where) + "]");
  }
  if (auto over = over_calls(q, &tables_.functions()); !over.empty()) {
    // Aggregates OVER (...) first, then the rest over their results.
    auto rest = std::make_shared<query>(q);
    return plan_select_over(plan_over(std::move(input), over, *rest), *rest, true);
  }
  bool grouped = !q.group_by.empty() || q.having ||
                 std::any_of(q.items.begin(), q.items.end(), [this](const select_item& i) {
                   return contains_aggregate(*i.value, &tables_.functions());
                 });
  if (grouped)
    return plan_grouped(std::move(input), q);
  if (input.session)
    throw sql_error(q.at, "SESSION windows are aggregated: GROUP BY window_start, window_end "
                          "(and SESSION's PARTITION BY columns)");
  auto in_scope = input.columns_scope(&tables_.functions());
  std::vector<scalar_ptr> projections;
  std::vector<column_info> columns;
  std::optional<window_columns> window;
  std::map<std::size_t, std::size_t> moved; // input column -> output column, plain references
  std::string description;
  for (const auto& item : q.items) {
    refuse_over(*item.value);
    if (item.value->what == expr::kind::star) {
      for (std::size_t i = 0; i < input.columns.size(); ++i) {
        const auto& c = input.columns[i];
        if (!item.value->name.empty() && c.qualifier != item.value->name.back())
          continue;
        moved.emplace(i, projections.size());
        projections.push_back(field_reference(i, c.type));
        columns.push_back(c);
      }
      continue;
    }
    auto compiled = compile_scalar(*item.value, in_scope);
    if (item.value->what == expr::kind::column)
      moved.emplace(in_scope.resolve(item.value->name, item.value->at), projections.size());
    auto type = compiled->type();
    projections.push_back(compiled);
    columns.push_back({item_name(item, columns.size()), {}, type});
    description += (description.empty() ? "" : ", ") + to_sql(*item.value);
  }
  if (input.window && moved.count(input.window->start) && moved.count(input.window->end))
    window = window_columns{moved[input.window->start], moved[input.window->end],
                            moved.count(input.window->time) ? moved[input.window->time]
                                                            : moved[input.window->end]};
  auto out = calc(input, nullptr, projections, columns, "select=[" + description + "]");
  out.window = window;
  return q.distinct ? plan_distinct(out, q.at) : out;
}

namespace {

/// `e` with each sub-expression whose SQL text is a key of `columns`
/// replaced by a reference to that column.
expr_ptr replace_by_text(const expr_ptr& e, const std::map<std::string, std::string>& columns) {
  if (!e)
    return e;
  if (auto found = columns.find(to_sql(*e)); found != columns.end())
    return column_ref(found->second, e->at);
  auto copy = std::make_shared<expr>(*e);
  for (auto& a : copy->args)
    a = replace_by_text(a, columns);
  return copy;
}

/// `type`, nullable.
data_type with_nulls(data_type type) {
  type.nullable = true;
  type.rowtime = false;
  return type;
}

/// LAG(x [, offset [, default]]) OVER (...) over the columns of `in`.
lag_call compile_lag(const expr& call, const scope& in) {
  if (call.filter || call.args.empty() || call.args.size() > 3)
    throw sql_error(call.at, "LAG takes a value, an offset and a default: LAG(x [, 1 [, d]])");
  lag_call lag;
  lag.argument = compile_scalar(*call.args[0], in);
  if (call.args.size() > 1) {
    const auto& offset = *call.args[1];
    if (offset.what != expr::kind::number_literal || offset.text.empty() ||
        offset.text.size() > 9 ||
        offset.text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(offset.text) < 1)
      throw sql_error(offset.at, "LAG's offset is a positive whole number: LAG(x, 2)");
    lag.offset = static_cast<std::size_t>(std::stoll(offset.text));
  }
  if (call.args.size() > 2) {
    lag.fallback = compile_scalar(*call.args[2], in);
    auto expected = lag.argument->type().root;
    auto given = lag.fallback->type().root;
    if (given != expected && given != type_root::null)
      throw sql_error(call.args[2]->at, "LAG's default must have the type of its value (" +
                                          to_string(lag.argument->type()) + "), not " +
                                          to_string(lag.fallback->type()));
  }
  return lag;
}

/// The OVER window of `call` as text, to tell windows apart.
std::string window_text(const expr& call) {
  auto bare = std::make_shared<expr>(call);
  bare->name = {"W"};
  bare->args.clear();
  bare->filter = nullptr;
  bare->distinct = false;
  return to_sql(*bare);
}

} // namespace

std::vector<expr_ptr> planner::over_calls(const query& q, const function_table* functions) {
  std::vector<expr_ptr> calls;
  std::set<std::string> seen;
  std::function<void(const expr_ptr&)> visit = [&](const expr_ptr& e) {
    if (!e)
      return;
    if (e->what == expr::kind::call && e->over &&
        (e->name[0] == "LAG" || is_aggregate_function(e->name[0], functions))) {
      if (seen.insert(to_sql(*e)).second)
        calls.push_back(e);
      return;
    }
    for (const auto& a : e->args)
      visit(a);
  };
  for (const auto& item : q.items)
    visit(item.value);
  return calls;
}

relation planner::plan_over(relation input, const std::vector<expr_ptr>& calls, query& q) {
  const auto& first = *calls.front();
  const auto& window = *first.over;
  for (const auto& c : calls)
    if (window_text(*c) != window_text(first))
      throw sql_error(c->at, "the OVER windows of a query must be the same (as in Flink): " +
                               to_sql(*c) + " differs from " + to_sql(first));
  if (!input.append_only)
    throw sql_error(first.at, "OVER aggregation takes an append-only input, not a changelog");
  auto in_scope = input.columns_scope(&tables_.functions());
  over_window spec;
  const auto* order = window.order_by.size() == 1 ? window.order_by[0].first.get() : nullptr;
  bool ascending_column =
    order != nullptr && order->what == expr::kind::column && !window.order_by[0].second;
  if (ascending_column)
    spec.time_column = in_scope.resolve(order->name, order->at);
  if (!ascending_column || !input.columns[spec.time_column].type.rowtime)
    throw sql_error(first.at, "an OVER window is ordered by one time attribute ascending (the "
                              "column of a WATERMARK), as Flink's streaming OVER aggregations");
  if (const auto& frame = window.frame) {
    spec.rows = frame->rows;
    if (const auto& preceding = frame->preceding) {
      bool interval = preceding->what == expr::kind::interval_literal;
      if (interval == frame->rows)
        throw sql_error(preceding->at, frame->rows
                                         ? "a ROWS frame counts rows: ROWS BETWEEN 5 PRECEDING"
                                         : "a RANGE frame over time takes an interval: RANGE "
                                           "BETWEEN INTERVAL '1' HOUR PRECEDING");
      if (interval) {
        auto [v, t] = interval_value(*preceding);
        if (t.root != type_root::interval_day_time || v.integer < 0)
          throw sql_error(preceding->at, "a RANGE frame's interval is given in SECOND, MINUTE, "
                                         "HOUR or DAY");
        spec.preceding = v.integer;
      } else {
        spec.preceding = std::stoll(preceding->text);
      }
    }
  }
  std::vector<scalar_ptr> partition;
  for (const auto& p : window.partition_by)
    partition.push_back(compile_scalar(*p, in_scope));
  // The output: the row, the aggregates' results, the LAG values.
  std::vector<aggregate_call> compiled;
  std::vector<lag_call> lags;
  std::vector<std::pair<std::string, data_type>> aggregated; // text, type
  std::vector<std::pair<std::string, data_type>> lagged;
  std::string select;
  for (const auto& c : calls) {
    if (c->distinct)
      throw sql_error(c->at, "DISTINCT in an OVER aggregation is not supported yet");
    auto plain = std::make_shared<expr>(*c);
    plain->over = nullptr;
    select += (select.empty() ? "" : ", ") + to_sql(*plain);
    if (c->name[0] == "LAG") {
      lags.push_back(compile_lag(*c, in_scope));
      lagged.emplace_back(to_sql(*c), with_nulls(lags.back().argument->type()));
      continue;
    }
    compiled.push_back(compile_aggregate(*plain, in_scope));
    aggregated.emplace_back(to_sql(*c), compiled.back().result_type);
  }
  std::map<std::string, std::string> results;
  auto columns = input.columns;
  for (const auto* part : {&aggregated, &lagged})
    for (const auto& [text, type] : *part) {
      auto name = "$over" + std::to_string(results.size());
      results.emplace(text, name);
      columns.push_back({name, {}, type});
    }
  std::string partition_text;
  for (const auto& p : window.partition_by)
    partition_text += (partition_text.empty() ? "" : ", ") + to_sql(*p);
  auto stream =
    input.stream.key_by(row_key{partition})
      .process(
        over_aggregate{std::make_shared<const aggregate_set>(compiled), std::move(lags), spec})
      .name("OverAggregate(partitionBy=[" + partition_text + "], orderBy=[" + to_sql(*order) +
            "], window=[" + window_text(first) + "], select=[" + select + "])")
      .uid(names_.next_uid("over-aggregate"));
  for (std::size_t i = 0; i < q.items.size(); ++i) {
    auto& item = q.items[i];
    auto replaced = replace_by_text(item.value, results);
    if (item.alias.empty() && to_sql(*replaced) != to_sql(*item.value))
      item.alias = item_name(item, i); // as named before: EXPR$i
    item.value = replaced;
  }
  auto out = relation::of(stream, std::move(columns));
  out.window = input.window;
  return out;
}

relation planner::plan_distinct(relation input, position at) {
  std::vector<scalar_ptr> keys;
  for (std::size_t i = 0; i < input.columns.size(); ++i)
    keys.push_back(field_reference(i, input.columns[i].type));
  if (!input.append_only)
    throw sql_error(at, "DISTINCT over a changelog is not supported yet");
  auto aggregates = std::make_shared<const aggregate_set>(std::vector<aggregate_call>{});
  input.set_stream(input.stream.key_by(row_key{keys})
                     .process(group_aggregate{aggregates, state_ttl()})
                     .name("GroupAggregate(distinct)")
                     .uid(names_.next_uid("distinct")));
  input.append_only = false;
  input.window.reset();
  return input;
}

namespace {

/// An expression with every call of `names` (upper-case) replaced by a
/// reference to the column `columns` gives for it.
expr_ptr replace_calls(const expr_ptr& e, const std::map<std::string, std::string>& columns) {
  if (!e)
    return e;
  if (e->what == expr::kind::call) {
    auto it = columns.find(e->name[0]);
    if (it != columns.end())
      return column_ref(it->second, e->at);
  }
  auto copy = std::make_shared<expr>(*e);
  for (auto& a : copy->args)
    a = replace_calls(a, columns);
  return copy;
}

/// Whether `e` reads a column of `in` at index `first` or later (or a
/// column `in` does not resolve, or a subquery's).
bool reads_from(const expr& e, const scope& in, std::size_t first) {
  if (e.what == expr::kind::column)
    return !in.has(e.name) || in.resolve(e.name, e.at) >= first;
  if (e.subquery || (e.filter && reads_from(*e.filter, in, first)))
    return true;
  return std::any_of(e.args.begin(), e.args.end(),
                     [&](const expr_ptr& a) { return a && reads_from(*a, in, first); });
}

bool is_window_column(std::size_t column, const window_columns& window) {
  return column == window.start || column == window.end || column == window.time;
}

/// The group keys of a window aggregation split: those other than the
/// window's bounds (the aggregation's key) and the columns of those that
/// are columns, and where each output key comes from.
struct window_grouping {
  std::vector<scalar_ptr> others;
  std::vector<std::size_t> other_columns;
  std::vector<window_key_column> layout;
};

window_grouping split_window_keys(const std::vector<scalar_ptr>& keys,
                                  const std::vector<std::optional<std::size_t>>& key_column,
                                  const window_columns& window) {
  window_grouping out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (key_column[i] == window.start) {
      out.layout.push_back({window_key_column::source::start, 0});
    } else if (key_column[i] == window.end) {
      out.layout.push_back({window_key_column::source::end, 0});
    } else if (key_column[i] == window.time) {
      out.layout.push_back({window_key_column::source::time, 0});
    } else {
      out.layout.push_back({window_key_column::source::key, out.others.size()});
      out.others.push_back(keys[i]);
      if (key_column[i])
        out.other_columns.push_back(*key_column[i]);
    }
  }
  return out;
}

/// As EXPLAIN names a window table function's windows.
std::string describe(const window_assigner_function& windows) {
  using kind = window_assigner_function::kind;
  auto ms = [](std::int64_t v) { return std::to_string(v) + " ms"; };
  std::string text =
    windows.what == kind::tumble ? "TUMBLE(size=[" + ms(windows.size) + "]"
    : windows.what == kind::hop
      ? "HOP(size=[" + ms(windows.size) + "], slide=[" + ms(windows.step) + "]"
      : "CUMULATE(max_size=[" + ms(windows.size) + "], step=[" + ms(windows.step) + "]";
  if (windows.offset != 0)
    text += ", offset=[" + ms(windows.offset) + "]";
  return text + ")";
}

} // namespace

relation planner::plan_group_window(relation& input, query& q, std::size_t window_key) {
  const auto& call = *q.group_by[window_key];
  const auto& name = call.name[0];
  using kind = window_assigner_function::kind;
  window_assigner_function assign;
  assign.what = name == "TUMBLE" ? kind::tumble : name == "HOP" ? kind::hop : kind::session;
  auto expected = assign.what == kind::hop ? 3u : 2u;
  if (call.args.size() < expected ||
      call.args.size() > expected + (assign.what == kind::session ? 0 : 1))
    throw sql_error(call.at, name + "(time, " +
                               (assign.what == kind::tumble ? "size"
                                : assign.what == kind::hop  ? "slide, size"
                                                            : "gap") +
                               ") in GROUP BY takes a time attribute and intervals");
  const auto& time = *call.args[0];
  if (time.what != expr::kind::column)
    throw sql_error(time.at, name + "'s first argument is a time attribute column");
  auto time_index = input.columns_scope(&tables_.functions()).resolve(time.name, time.at);
  if (!input.columns[time_index].type.rowtime)
    throw sql_error(time.at, "the group window requires '" + to_sql(time) +
                               "' to be a time attribute (the column of a WATERMARK), but it is " +
                               to_string(input.columns[time_index].type));
  std::array<std::int64_t, 3> sizes{}; // the intervals, in order
  for (std::size_t i = 1; i < call.args.size(); ++i) {
    const auto& e = *call.args[i];
    if (e.what != expr::kind::interval_literal)
      throw sql_error(e.at, name + " takes intervals: INTERVAL '10' SECOND");
    auto [v, t] = interval_value(e);
    if (t.root != type_root::interval_day_time)
      throw sql_error(e.at, name + "'s intervals are given in SECOND, MINUTE, HOUR or DAY");
    sizes.at(i - 1) = v.integer;
  }
  assign.time_column = time_index;
  if (assign.what == kind::hop) {
    assign.step = sizes[0];
    assign.size = sizes[1];
    assign.offset = sizes[2];
  } else {
    assign.size = sizes[0];
    assign.offset = sizes[1];
  }
  auto windowed = with_windows(input, assign, {}, "$", call.at);
  if (assign.what == kind::session)
    windowed.session = session_window{time_index, assign.size, std::nullopt};
  // GROUP BY TUMBLE(...) groups by the window's bounds; TUMBLE_START(...)
  // and the like read them.
  q.group_by.erase(q.group_by.begin() + static_cast<std::ptrdiff_t>(window_key));
  for (const char* bound : {"$window_start", "$window_end", "$window_time"})
    q.group_by.push_back(column_ref(bound, call.at));
  std::map<std::string, std::string> bounds = {{name + "_START", "$window_start"},
                                               {name + "_END", "$window_end"},
                                               {name + "_ROWTIME", "$window_time"}};
  for (auto& item : q.items)
    item.value = replace_calls(item.value, bounds);
  q.having = replace_calls(q.having, bounds);
  return windowed;
}

relation planner::plan_grouped(relation input, const query& given) {
  // GROUP BY TUMBLE(...), HOP(...) or SESSION(...): Flink's group windows.
  auto q = given;
  for (std::size_t i = 0; i < q.group_by.size(); ++i) {
    const auto& g = *q.group_by[i];
    if (g.what == expr::kind::call && !g.over &&
        (g.name[0] == "TUMBLE" || g.name[0] == "HOP" || g.name[0] == "SESSION")) {
      input = plan_group_window(input, q, i);
      break;
    }
  }
  auto in_scope = input.columns_scope(&tables_.functions());
  // The group keys: compiled, and for plain column references the column.
  std::vector<scalar_ptr> keys;
  std::vector<std::optional<std::size_t>> key_column;
  std::vector<std::string> key_text;
  std::vector<column_info> columns;
  for (std::size_t i = 0; i < q.group_by.size(); ++i) {
    const auto& g = *q.group_by[i];
    if (contains_aggregate(g, &tables_.functions()))
      throw sql_error(g.at, "aggregate functions are not allowed in GROUP BY");
    refuse_over(g);
    keys.push_back(compile_scalar(g, in_scope));
    std::optional<std::size_t> column;
    if (g.what == expr::kind::column) {
      column = in_scope.resolve(g.name, g.at);
      columns.push_back({input.columns[*column].name, input.columns[*column].qualifier,
                         input.columns[*column].type});
    } else {
      columns.push_back({"$g" + std::to_string(i), {}, keys.back()->type()});
    }
    columns.back().type.rowtime = false;
    key_column.push_back(column);
    key_text.push_back(to_sql(g));
  }
  // The aggregate calls of the SELECT list and HAVING, each once.
  std::vector<aggregate_call> calls;
  std::vector<std::string> call_text;
  // Whether an expression reads a column a window table function appended.
  auto reads_window = [&](const expr& e) {
    return input.window_table && reads_from(e, in_scope, input.window->start);
  };
  bool calls_read_windows = false;
  // Rewrites an expression over the grouped rows: group keys and aggregate
  // calls become references to the aggregate's output columns.
  std::function<expr_ptr(const expr_ptr&)> rewrite = [&](const expr_ptr& e) -> expr_ptr {
    if (!e)
      return e;
    auto text = to_sql(*e);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      bool same = text == key_text[i];
      if (!same && key_column[i] && e->what == expr::kind::column && in_scope.has(e->name))
        same = in_scope.resolve(e->name, e->at) == *key_column[i];
      if (same)
        return column_ref("$key" + std::to_string(i), e->at);
    }
    if (e->what == expr::kind::call && !e->over &&
        is_aggregate_function(e->name[0], &tables_.functions())) {
      auto found = std::find(call_text.begin(), call_text.end(), text);
      auto index = static_cast<std::size_t>(found - call_text.begin());
      if (found == call_text.end()) {
        calls.push_back(compile_aggregate(*e, in_scope));
        call_text.push_back(text);
        calls_read_windows = calls_read_windows || reads_window(*e);
      }
      return column_ref("$agg" + std::to_string(index), e->at);
    }
    if (e->what == expr::kind::column) {
      if (in_scope.has(e->name))
        throw sql_error(e->at, "expression '" + to_sql(*e) +
                                 "' is not being grouped: group by "
                                 "it, or aggregate it");
      return e;
    }
    if (e->what == expr::kind::star)
      throw sql_error(e->at, "'*' is not allowed in a grouped query: name the group keys and "
                             "aggregates");
    auto copy = std::make_shared<expr>(*e);
    for (auto& a : copy->args)
      a = rewrite(a);
    return copy;
  };
  std::vector<expr_ptr> items;
  for (const auto& item : q.items) {
    refuse_over(*item.value);
    items.push_back(rewrite(item.value));
  }
  auto having = rewrite(q.having);
  // The window aggregation, when grouped by a window's start and end.
  std::optional<std::size_t> window_start_key;
  std::optional<std::size_t> window_end_key;
  if (input.window)
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (key_column[i] == input.window->start)
        window_start_key = i;
      if (key_column[i] == input.window->end)
        window_end_key = i;
    }
  bool windowed = window_start_key && window_end_key;
  auto aggregates = std::make_shared<const aggregate_set>(calls);
  std::string description = "groupBy=[";
  for (std::size_t i = 0; i < key_text.size(); ++i)
    description += (i ? ", " : "") + key_text[i];
  description += "], select=[";
  for (std::size_t i = 0; i < call_text.size(); ++i)
    description += (i ? ", " : "") + call_text[i];
  description += "]";
  relation grouped = input;
  if (input.session && windowed) {
    // Sessions: keyed by the other group keys, merged per key.
    const auto& session = *input.session;
    auto split = split_window_keys(keys, key_column, *input.window);
    if (session.partition) {
      auto wanted = *session.partition;
      std::sort(wanted.begin(), wanted.end());
      auto other_columns = split.other_columns;
      std::sort(other_columns.begin(), other_columns.end());
      if (wanted != other_columns || other_columns.size() != split.others.size())
        throw sql_error(q.at, "a SESSION window aggregation groups by window_start, window_end "
                              "and exactly SESSION's PARTITION BY columns");
    }
    if (const auto* c = aggregates->unmergeable())
      throw sql_error(q.at, "the aggregate function " + c->function +
                              " has no merge: session windows merge accumulators");
    grouped.set_stream(
      input.stream.key_by(row_key{split.others})
        .process(session_aggregate{aggregates, session.time, session.gap, split.layout})
        .name("SessionWindowAggregate(" + description + ")")
        .uid(names_.next_uid("session-aggregate")));
    grouped.window = window_columns{*window_start_key, *window_end_key, *window_end_key};
    grouped.session.reset();
  } else if (windowed) {
    if (!input.append_only)
      throw sql_error(q.at, "window aggregation takes an append-only input, not a changelog");
    // Straight over a window table function whose columns only the group
    // keys read: the rows before it, in slices of their windows.
    auto keys_read_windows = false;
    for (std::size_t i = 0; i < keys.size(); ++i)
      keys_read_windows =
        keys_read_windows || (!(key_column[i] && is_window_column(*key_column[i], *input.window)) &&
                              reads_window(*q.group_by[i]));
    if (input.window_table && !calls_read_windows && !keys_read_windows &&
        !aggregates->has_distinct() && aggregates->unmergeable() == nullptr) {
      const auto& table = *input.window_table;
      auto split = split_window_keys(keys, key_column, *input.window);
      grouped.set_stream(
        table.rows.key_by(row_key{split.others})
          .process(sliced_window_aggregate{aggregates, table.windows, split.layout})
          .name("WindowAggregate(" + description + ", window=[" + describe(table.windows) + "])")
          .uid(names_.next_uid("sliced-window-aggregate")));
    } else {
      grouped.set_stream(input.stream.key_by(row_key{keys})
                           .process(window_aggregate{aggregates, input.window->end})
                           .name("WindowAggregate(" + description + ")")
                           .uid(names_.next_uid("window-aggregate")));
    }
    grouped.window = window_columns{*window_start_key, *window_end_key, *window_end_key};
  } else {
    if (!input.append_only && !aggregates->retractable())
      throw sql_error(q.at, "MIN, MAX and aggregate functions without retract over a changelog "
                            "(an updating input) are not supported yet");
    grouped.set_stream(input.stream.key_by(row_key{keys})
                         .process(group_aggregate{aggregates, state_ttl()})
                         .name("GroupAggregate(" + description + ")")
                         .uid(names_.next_uid("group-aggregate")));
    grouped.append_only = false;
    grouped.window.reset();
    grouped.session.reset();
  }
  // The grouped rows' columns: the keys as $keyN (and by their own names),
  // then the aggregates as $aggN.
  std::vector<column_info> grouped_columns;
  for (std::size_t i = 0; i < keys.size(); ++i)
    grouped_columns.push_back({"$key" + std::to_string(i), {}, columns[i].type});
  for (std::size_t i = 0; i < calls.size(); ++i)
    grouped_columns.push_back({"$agg" + std::to_string(i), {}, calls[i].result_type});
  grouped.columns = grouped_columns;
  auto out_scope = grouped.columns_scope(&tables_.functions());
  scalar_ptr condition;
  if (having) {
    condition = compile_scalar(*having, out_scope);
    if (condition->type().root != type_root::boolean)
      throw sql_error(q.having->at,
                      "HAVING expects a BOOLEAN condition, got " + to_string(condition->type()));
  }
  std::vector<scalar_ptr> projections;
  std::vector<column_info> out_columns;
  std::map<std::size_t, std::size_t> moved;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto compiled = compile_scalar(*items[i], out_scope);
    if (items[i]->what == expr::kind::column && items[i]->name.size() == 1 &&
        items[i]->name[0].rfind("$key", 0) == 0)
      moved.emplace(std::stoul(items[i]->name[0].substr(4)), i);
    out_columns.push_back({item_name(q.items[i], i), {}, compiled->type()});
    projections.push_back(compiled);
  }
  std::optional<window_columns> window;
  if (windowed && moved.count(*window_start_key) && moved.count(*window_end_key))
    window =
      window_columns{moved[*window_start_key], moved[*window_end_key], moved[*window_end_key]};
  auto out = calc(grouped, condition, projections, out_columns,
                  std::string{having ? "having, " : ""} + "select list");
  out.window = window;
  return q.distinct ? plan_distinct(out, q.at) : out;
}

void planner::plan_insert(const insert_statement& insert, position at) {
  auto object = catalog::object_name(insert.table, at);
  if (tables_.find_view(insert.table))
    throw sql_error(at, "'" + object + "' is a view: INSERT INTO takes a table");
  const auto* table = tables_.find_table(insert.table);
  if (!table)
    throw sql_error(at, "object '" + object + "' not found: no table has that name");
  if (insert.overwrite)
    throw sql_error(at, "INSERT OVERWRITE is only supported in batch mode: use INSERT INTO");
  auto rows = plan_query(*insert.source);
  auto targets = written_columns(*table);
  // The sink column each query column goes to.
  std::vector<const table_column*> order;
  if (insert.columns.empty()) {
    order = targets;
  } else {
    for (const auto& name : insert.columns) {
      auto it = std::find_if(targets.begin(), targets.end(),
                             [&](const table_column* c) { return c->name == name; });
      if (it == targets.end())
        throw sql_error(at,
                        "the table '" + object + "' has no column '" + name + "' to insert into");
      order.push_back(*it);
    }
  }
  if (order.size() != rows.columns.size()) {
    std::vector<column_info> sink;
    sink.reserve(order.size());
    for (const auto* c : order)
      sink.push_back({c->name, {}, c->type});
    throw sql_error(at, "column types of query result and sink for '" + object +
                          "' do not match: different number of columns (query " +
                          column_list(rows.columns) + ", sink " + column_list(sink) + ")");
  }
  std::vector<scalar_ptr> projections;
  std::vector<column_info> columns;
  for (const auto* target : targets) {
    auto it = std::find(order.begin(), order.end(), target);
    if (it == order.end()) {
      if (!target->type.nullable)
        throw sql_error(at, "the column '" + target->name + "' of '" + object +
                              "' is NOT NULL and the INSERT gives it no value");
      projections.push_back(constant(value{}, target->type));
    } else {
      auto i = static_cast<std::size_t>(it - order.begin());
      const auto& from = rows.columns[i].type;
      if (!compatible(from, target->type))
        throw sql_error(at, "incompatible types for sink column '" + target->name +
                              "' at position " + std::to_string(i) + ": the query gives " +
                              to_string(from) + ", the column is " + to_string(target->type));
      projections.push_back(compile_cast(field_reference(i, from), target->type, false, at));
    }
    columns.push_back({target->name, {}, target->type});
  }
  write_table(calc(rows, nullptr, projections, columns, "sink columns"), *table, names_, at);
}

void planner::plan_print(const query& q) {
  auto rows = plan_query(q);
  row_text text;
  text.how = row_text::style::print;
  for (const auto& c : rows.columns)
    text.types.push_back(c.type);
  rows.stream.map(text)
    .name("Calc(print format)")
    .uid(names_.next_uid("print-format"))
    .print()
    .name("Collect(print)")
    .uid(names_.next_uid("print"));
}

void planner::plan_collect(const query& q, const std::string& path) {
  auto rows = plan_query(q);
  row_text text;
  text.how = row_text::style::changelog;
  for (const auto& c : rows.columns) {
    text.names.push_back(c.name);
    text.types.push_back(c.type);
  }
  rows.stream.map(text)
    .name("Calc(collect format)")
    .uid(names_.next_uid("collect-format"))
    .set_parallelism(1)
    .write_as_text(path)
    .name("Collect")
    .uid(names_.next_uid("collect"))
    .set_parallelism(1);
}

} // namespace flinkcpp::sql
