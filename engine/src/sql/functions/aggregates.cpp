#include "sql/functions/aggregates.hpp"

#include <algorithm>
#include <cmath>

#include "flinkcpp/detail/record_serialization.hpp"
#include "sql/functions/operators.hpp"
#include "sql/functions/scalar_support.hpp"
#include "sql/functions/user_functions.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

namespace {

std::size_t slot_count(const aggregate_call& call) {
  return !call.user && (call.function == "SUM" || call.function == "AVG") ? 2 : 1;
}

/// A call of the user-defined aggregate function `f` (after its FILTER).
aggregate_call compile_user_aggregate(const expr& e, const detail::sql_aggregate_definition& f,
                                      const scope& input, aggregate_call call) {
  if (e.distinct)
    throw sql_error(e.at, "DISTINCT is not supported for the user-defined aggregate function " +
                            call.function);
  std::vector<scalar_ptr> args;
  for (const auto& a : e.args) {
    if (a->what == expr::kind::star)
      throw sql_error(a->at, call.function + " takes no '*'");
    args.push_back(compile_scalar(*a, input));
  }
  check_user_arguments(call.function, f.parameters, args, e.at);
  call.user = &f;
  call.user_arguments = std::move(args);
  call.result_type = udf_type(f.result);
  call.result_type.nullable = true;
  return call;
}

} // namespace

aggregate_call compile_aggregate(const expr& e, const scope& input) {
  aggregate_call call;
  call.function = e.name.at(0);
  call.distinct = e.distinct;
  for (const auto& a : e.args)
    if (a->what != expr::kind::star && contains_aggregate(*a, input.functions))
      throw sql_error(a->at, "aggregate functions cannot be nested");
  if (e.filter) {
    call.filter = compile_scalar(*e.filter, input);
    if (call.filter->type().root != type_root::boolean)
      throw sql_error(e.filter->at, "FILTER (WHERE ...) expects a BOOLEAN condition, got " +
                                      to_string(call.filter->type()));
  }
  if (input.functions)
    if (const auto* f = input.functions->find_aggregate(call.function))
      return compile_user_aggregate(e, *f, input, std::move(call));
  static const std::vector<std::string> supported = {"COUNT", "SUM", "MIN", "MAX", "AVG"};
  if (std::find(supported.begin(), supported.end(), call.function) == supported.end())
    throw sql_error(e.at, "the aggregate function " + call.function +
                            " is not supported yet: COUNT, SUM, MIN, MAX and AVG are");
  bool star = e.args.size() == 1 && e.args[0]->what == expr::kind::star;
  if (call.function == "COUNT" && (star || e.args.empty())) {
    if (e.distinct)
      throw sql_error(e.at, "COUNT(DISTINCT *) is not valid: name the columns");
  } else {
    if (e.args.size() != 1 || star)
      throw sql_error(e.at, call.function + " takes one argument");
    call.argument = compile_scalar(*e.args[0], input);
  }
  if (call.function == "COUNT") {
    call.result_type = make_type(type_root::bigint);
    call.result_type.nullable = false;
    return call;
  }
  auto t = call.argument->type();
  t.rowtime = false;
  t.nullable = true;
  if ((call.function == "SUM" || call.function == "AVG") && !is_numeric(t.root))
    throw sql_error(e.at, call.function + " expects a number, got " + to_string(t));
  if (t.root == type_root::decimal) {
    if (call.function == "SUM")
      t = make_decimal(18, t.scale);
    else if (call.function == "AVG")
      t = make_decimal(18, std::max(6, t.scale));
    t.nullable = true;
  }
  call.result_type = t;
  return call;
}

aggregate_set::aggregate_set(std::vector<aggregate_call> calls) : calls_(std::move(calls)) {
  for (const auto& c : calls_) {
    first_slot_.push_back(slots_);
    slots_ += slot_count(c);
  }
}

std::vector<value> aggregate_set::create() const {
  std::vector<value> acc(slots_);
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    const auto& c = calls_[i];
    if (c.user) {
      acc[first_slot_[i]] = value::of_text(c.user->create());
      continue;
    }
    if (c.function == "COUNT" || c.function == "SUM" || c.function == "AVG") {
      acc[first_slot_[i]] = value::of(0);
      if (c.function != "COUNT") {
        acc[first_slot_[i] + 1] = value::of(0);
        if (c.argument->type().root == type_root::float_ ||
            c.argument->type().root == type_root::double_)
          acc[first_slot_[i]] = value::of_double(0);
      }
    }
  }
  return acc;
}

void aggregate_set::accumulate(std::vector<value>& acc, const row& input, bool retract,
                               const distinct_counter& distinct) const {
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    const auto& c = calls_[i];
    if (c.filter) {
      auto pass = c.filter->eval(input);
      if (pass.is_null() || pass.integer == 0)
        continue;
    }
    if (c.user) {
      (retract ? c.user->retract : c.user->accumulate)(
        acc[first_slot_[i]].text, udf_arguments(c.user_arguments, c.user->parameters, input));
      continue;
    }
    value v = c.argument ? c.argument->eval(input) : value::of(1);
    if (v.is_null())
      continue;
    if (c.distinct) {
      auto count = distinct(i, v, retract ? -1 : 1);
      // Only the first row holding a value adds it, only the last takes it out.
      if (retract ? count != 0 : count != 1)
        continue;
    }
    add(acc, i, v, retract ? -1 : 1);
  }
}

void aggregate_set::add(std::vector<value>& acc, std::size_t i, const value& v, int sign) const {
  const auto& c = calls_[i];
  auto& slot = acc[first_slot_[i]];
  if (c.function == "COUNT") {
    slot.integer += sign;
  } else if (c.function == "SUM" || c.function == "AVG") {
    const auto& from = c.argument->type();
    if (slot.what == value::tag::floating)
      slot.floating += sign * to_double(v, from);
    else if (from.root == type_root::decimal)
      slot.integer += sign * to_unscaled(v, from, from.scale);
    else
      slot.integer += sign * v.integer;
    acc[first_slot_[i] + 1].integer += sign;
  } else {
    // MIN and MAX (not retractable: the planner takes only inserts to them).
    auto order = slot.is_null() ? 0 : compare_values(v, c.result_type, slot, c.result_type);
    if (slot.is_null() || (c.function == "MIN" ? order < 0 : order > 0))
      slot = v;
  }
}

std::string distinct_key(std::size_t call, const value& v) {
  return detail::to_bytes(static_cast<std::uint32_t>(call)) + detail::to_bytes(v);
}

distinct_counter counter_over(distinct_values& values) {
  return [&values](std::size_t call, const value& v, int delta) {
    auto key = distinct_key(call, v);
    auto n = values[key] += delta;
    if (n <= 0)
      values.erase(key);
    return n;
  };
}

void aggregate_set::recompute_distinct(std::vector<value>& acc,
                                       const distinct_values& values) const {
  auto fresh = create();
  for (std::size_t i = 0; i < calls_.size(); ++i)
    if (calls_[i].distinct)
      for (std::size_t k = first_slot_[i]; k < first_slot_[i] + slot_count(calls_[i]); ++k)
        acc[k] = fresh[k];
  static const auto call_bytes = detail::to_bytes(std::uint32_t{0}).size();
  for (const auto& [key, count] : values) {
    auto call = detail::from_bytes<std::uint32_t>(std::string_view{key}.substr(0, call_bytes));
    add(acc, call, detail::from_bytes<value>(std::string_view{key}.substr(call_bytes)), 1);
  }
}

void aggregate_set::merge(std::vector<value>& into, const std::vector<value>& from) const {
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    const auto& c = calls_[i];
    auto first = first_slot_[i];
    if (c.user) {
      c.user->merge(into[first].text, from[first].text);
      continue;
    }
    if (c.function == "MIN" || c.function == "MAX") {
      const auto& v = from[first];
      auto& slot = into[first];
      if (v.is_null())
        continue;
      auto order = slot.is_null() ? 0 : compare_values(v, c.result_type, slot, c.result_type);
      if (slot.is_null() || (c.function == "MIN" ? order < 0 : order > 0))
        slot = v;
      continue;
    }
    for (std::size_t k = first; k < first + slot_count(c); ++k) {
      if (into[k].what == value::tag::floating)
        into[k].floating += from[k].floating;
      else
        into[k].integer += from[k].integer;
    }
  }
}

std::vector<value> aggregate_set::results(const std::vector<value>& acc) const {
  std::vector<value> out;
  out.reserve(calls_.size());
  for (std::size_t i = 0; i < calls_.size(); ++i) {
    const auto& c = calls_[i];
    const auto& slot = acc[first_slot_[i]];
    if (c.user) {
      out.push_back(from_udf(c.user->get_value(slot.text)));
      continue;
    }
    if (c.function == "COUNT" || c.function == "MIN" || c.function == "MAX") {
      out.push_back(slot);
      continue;
    }
    auto count = acc[first_slot_[i] + 1].integer;
    if (count == 0) {
      out.emplace_back();
      continue;
    }
    if (c.function == "SUM") {
      out.push_back(slot);
      continue;
    }
    const auto& from = c.argument->type();
    if (slot.what == value::tag::floating)
      out.push_back(value::of_double(slot.floating / static_cast<double>(count)));
    else if (from.root == type_root::decimal)
      out.push_back(value::of(
        std::llround(static_cast<double>(slot.integer) / static_cast<double>(count) *
                     static_cast<double>(power_of_ten(c.result_type.scale - from.scale)))));
    else
      out.push_back(value::of(slot.integer / count));
  }
  return out;
}

bool aggregate_set::retractable() const {
  return std::none_of(calls_.begin(), calls_.end(), [](const aggregate_call& c) {
    return c.user ? !c.user->retract : c.function == "MIN" || c.function == "MAX";
  });
}

const aggregate_call* aggregate_set::unmergeable() const {
  for (const auto& c : calls_)
    if (c.user && !c.user->merge)
      return &c;
  return nullptr;
}

bool aggregate_set::has_distinct() const {
  return std::any_of(calls_.begin(), calls_.end(),
                     [](const aggregate_call& c) { return c.distinct; });
}

} // namespace flinkcpp::sql
