#include "sql/planner/interval_join_function.hpp"

#include "flinkcpp/detail/record_serialization.hpp"
#include "sql/planner/row_functions.hpp"

namespace flinkcpp::sql {

void interval_join_function::open(context& ctx) {
  rows_[0].emplace(ctx.state(map_state_descriptor<std::string, std::int64_t>{"left"}));
  rows_[1].emplace(ctx.state(map_state_descriptor<std::string, std::int64_t>{"right"}));
  if (sides_[0].outer)
    matched_[0].emplace(ctx.state(map_state_descriptor<std::string, bool>{"left-matched"}));
  if (sides_[1].outer)
    matched_[1].emplace(ctx.state(map_state_descriptor<std::string, bool>{"right-matched"}));
}

void interval_join_function::pad(int side, const std::vector<value>& fields, std::int64_t count,
                                 collector<row>& out) const {
  row padded;
  padded.fields.reserve(sides_[0].width + sides_[1].width);
  if (side == 1)
    padded.fields.resize(sides_[0].width);
  padded.fields.insert(padded.fields.end(), fields.begin(), fields.end());
  padded.fields.resize(sides_[0].width + sides_[1].width);
  for (std::int64_t i = 0; i < count; ++i)
    out.collect(padded);
}

void interval_join_function::process_element1(const row& in, context& ctx, collector<row>& out) {
  process(0, in, ctx, out);
}

void interval_join_function::process_element2(const row& in, context& ctx, collector<row>& out) {
  process(1, in, ctx, out);
}

std::int64_t interval_join_function::expiry(int side, std::int64_t t) const {
  // A left row L joins right rows R in [L - upper, L - lower]; a right row
  // R joins left rows in [R + lower, R + upper].
  return side == 0 ? t - bounds_.lower : t + bounds_.upper;
}

void interval_join_function::process(int side, const row& in, context& ctx, collector<row>& out) {
  const auto& time = in.fields[sides_[side].time];
  if (time.is_null()) {
    if (sides_[side].outer) // joins nothing, ever
      pad(side, in.fields, 1, out);
    return;
  }
  auto t = time.integer;
  bool joined_any = false;
  for (const auto& [bytes, count] : rows_[1 - side]->entries()) {
    auto other = detail::from_bytes<std::vector<value>>(bytes);
    const auto& other_time = other[sides_[1 - side].time];
    auto difference = side == 0 ? t - other_time.integer : other_time.integer - t;
    if (difference < bounds_.lower || difference > bounds_.upper)
      continue;
    row joined;
    const auto& left = side == 0 ? in.fields : other;
    const auto& right = side == 0 ? other : in.fields;
    joined.fields.reserve(left.size() + right.size());
    joined.fields.insert(joined.fields.end(), left.begin(), left.end());
    joined.fields.insert(joined.fields.end(), right.begin(), right.end());
    if (residual_) {
      auto pass = residual_->eval(joined);
      if (pass.is_null() || pass.integer == 0)
        continue;
    }
    for (std::int64_t i = 0; i < count; ++i)
      out.collect(joined);
    joined_any = true;
    if (matched_[1 - side])
      matched_[1 - side]->put(bytes, true);
  }
  auto until = expiry(side, t);
  if (until <= ctx.timer_service().current_watermark()) {
    // No row of the other side to come can join it.
    if (sides_[side].outer && !joined_any)
      pad(side, in.fields, 1, out);
    return;
  }
  auto key = row_bytes(in.fields);
  rows_[side]->put(key, rows_[side]->get(key).value_or(0) + 1);
  if (matched_[side] && joined_any)
    matched_[side]->put(key, true);
  ctx.timer_service().register_event_time_timer(until);
}

void interval_join_function::on_timer(std::int64_t time, context&, collector<row>& out) {
  for (int side = 0; side < 2; ++side) {
    for (const auto& [bytes, count] : rows_[side]->entries()) {
      auto fields = detail::from_bytes<std::vector<value>>(bytes);
      if (expiry(side, fields[sides_[side].time].integer) > time)
        continue;
      if (matched_[side]) {
        if (!matched_[side]->contains(bytes))
          pad(side, fields, count, out);
        matched_[side]->remove(bytes);
      }
      rows_[side]->remove(bytes);
    }
  }
}

} // namespace flinkcpp::sql
