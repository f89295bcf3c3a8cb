#include "sql/planner/join_function.hpp"

#include "flinkcpp/detail/record_serialization.hpp"
#include "sql/planner/row_functions.hpp"

namespace flinkcpp::sql {

void join_function::open(context& ctx) {
  for (int side = 0; side < 2; ++side) {
    map_state_descriptor<std::string, std::int64_t> d{side == 0 ? "left" : "right"};
    if (state_ttl_.count() > 0)
      d.ttl = state_ttl_config{state_ttl_};
    rows_[side].emplace(ctx.state(d));
  }
}

void join_function::process_element1(const row& in, context& ctx, collector<row>& out) {
  if (in_open_window(ctx))
    process(0, in, out);
}

void join_function::process_element2(const row& in, context& ctx, collector<row>& out) {
  if (in_open_window(ctx))
    process(1, in, out);
}

bool join_function::in_open_window(context& ctx) {
  if (!window_end_key_)
    return true;
  auto last = key_values(ctx.current_key())[*window_end_key_].integer - 1;
  if (last <= ctx.timer_service().current_watermark())
    return false;
  ctx.timer_service().register_event_time_timer(last);
  return true;
}

void join_function::on_timer(std::int64_t, context&, collector<row>& out) {
  // The window is over: an outer side's rows that matched nothing come
  // padded, once.
  for (int side = 0; side < 2; ++side) {
    if (!outer_[side])
      continue;
    for (const auto& [bytes, count] : rows_[side]->entries()) {
      auto fields = detail::from_bytes<std::vector<value>>(bytes);
      if (match_count(side, fields, *rows_[1 - side]) == 0)
        for (std::int64_t i = 0; i < count; ++i)
          out.collect(joined(side, &fields, nullptr, row_kind::insert));
    }
  }
  rows_[0]->clear();
  rows_[1]->clear();
}

row join_function::joined(int side, const std::vector<value>* mine, const std::vector<value>* other,
                          row_kind kind) const {
  const auto* left = side == 0 ? mine : other;
  const auto* right = side == 0 ? other : mine;
  row out;
  out.kind = kind;
  out.fields.reserve(width_[0] + width_[1]);
  if (left)
    out.fields.insert(out.fields.end(), left->begin(), left->end());
  else
    out.fields.resize(width_[0]);
  if (right)
    out.fields.insert(out.fields.end(), right->begin(), right->end());
  else
    out.fields.resize(width_[0] + width_[1]);
  return out;
}

bool join_function::holds(const row& joined_row) const {
  if (!residual_)
    return true;
  auto v = residual_->eval(joined_row);
  return !v.is_null() && v.integer != 0;
}

bool join_function::matches(int side, const std::vector<value>& mine,
                            const std::vector<value>& other) const {
  return !residual_ || holds(joined(side, &mine, &other, row_kind::insert));
}

std::int64_t join_function::match_count(int side_of_row, const std::vector<value>& row_fields,
                                        side_state& state) const {
  std::int64_t n = 0;
  for (const auto& [bytes, count] : state.entries())
    if (matches(side_of_row, row_fields, detail::from_bytes<std::vector<value>>(bytes)))
      n += count;
  return n;
}

void join_function::process(int side, const row& in, collector<row>& out) {
  auto& mine = *rows_[side];
  auto& others = *rows_[1 - side];
  auto key = row_bytes(in.fields);
  bool add = is_accumulate(in.kind);
  if (!add) {
    auto count = mine.get(key);
    if (!count)
      return; // a retraction of a row no longer kept (expired): as Flink, ignored
    if (*count <= 1)
      mine.remove(key);
    else
      mine.put(key, *count - 1);
  }
  auto emitted = add ? row_kind::insert : row_kind::remove;
  bool matched = false;
  for (const auto& [bytes, count] : others.entries()) {
    auto other = detail::from_bytes<std::vector<value>>(bytes);
    auto both = joined(side, &in.fields, &other, emitted);
    if (!holds(both))
      continue;
    matched = true;
    // The other row's padded form comes and goes with its first and last
    // match on this side (a window join pads when its window ends).
    bool flips = outer_[1 - side] && !window_end_key_ && match_count(1 - side, other, mine) == 0;
    if (count == 1 && !flips) { // the most common: the joined row as it is
      out.collect(std::move(both));
      continue;
    }
    for (std::int64_t i = 0; i < count; ++i) {
      if (flips && add)
        out.collect(joined(1 - side, &other, nullptr, row_kind::remove));
      out.collect(row(both));
      if (flips && !add)
        out.collect(joined(1 - side, &other, nullptr, row_kind::insert));
    }
  }
  if (!matched && outer_[side] && !window_end_key_)
    out.collect(joined(side, &in.fields, nullptr, emitted));
  if (add && !mine.update(key, [](std::int64_t& n) { ++n; }))
    mine.put(std::move(key), 1);
}

} // namespace flinkcpp::sql
