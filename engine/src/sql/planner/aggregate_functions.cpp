#include "sql/planner/aggregate_functions.hpp"

#include "flinkcpp/detail/record_serialization.hpp"
#include "sql/planner/row_functions.hpp"

namespace flinkcpp::sql {

namespace {

/// A distinct_counter over keyed map state: the count of each (call, value).
distinct_counter counter_over(map_state<std::string, std::int64_t>& counts) {
  return [&counts](std::size_t call, const value& v, int delta) {
    auto key = distinct_key(call, v);
    auto n = counts.get(key).value_or(0) + delta;
    if (n <= 0)
      counts.remove(key);
    else
      counts.put(key, n);
    return n;
  };
}

/// The values of the DISTINCT calls of a kept session (its last field).
distinct_values distinct_of(const std::vector<value>& session) {
  auto pairs =
    detail::from_bytes<std::vector<std::pair<std::string, std::int64_t>>>(session.back().text);
  return {pairs.begin(), pairs.end()};
}

row output_row(row_kind kind, std::vector<value> keys, std::vector<value> results) {
  row out;
  out.kind = kind;
  out.fields = std::move(keys);
  for (auto& r : results)
    out.fields.push_back(std::move(r));
  return out;
}

} // namespace

void group_aggregate::open(context& ctx) {
  value_state_descriptor<std::vector<value>> accumulator{"accumulator"};
  map_state_descriptor<std::string, std::int64_t> distinct{"distinct"};
  if (state_ttl_.count() > 0) {
    accumulator.ttl = state_ttl_config{state_ttl_};
    distinct.ttl = state_ttl_config{state_ttl_};
  }
  accumulator_.emplace(ctx.state(accumulator));
  distinct_.emplace(ctx.state(distinct));
}

void group_aggregate::process_element(const row& in, context& ctx, collector<row>& out) {
  bool retract = !is_accumulate(in.kind);
  auto stored = accumulator_->value();
  if (!stored && retract)
    return; // a retraction of a group no longer kept (as Flink: ignored)
  auto acc = stored ? std::move(*stored) : aggregates_->create();
  if (!stored)
    acc.push_back(value::of(0)); // the group's row count, after the accumulator
  std::optional<std::vector<value>> before;
  auto& rows = acc.back();
  if (rows.integer > 0)
    before = aggregates_->results(acc);
  aggregates_->accumulate(acc, in, retract, counter_over(*distinct_));
  rows.integer += retract ? -1 : 1;
  auto keys = key_values(ctx.current_key());
  if (rows.integer <= 0) {
    if (before)
      out.collect(output_row(row_kind::remove, std::move(keys), std::move(*before)));
    accumulator_->clear();
    distinct_->clear();
    return;
  }
  auto after = aggregates_->results(acc);
  accumulator_->update(std::move(acc));
  if (!before) {
    out.collect(output_row(row_kind::insert, std::move(keys), std::move(after)));
  } else if (*before != after) {
    out.collect(output_row(row_kind::update_before, keys, std::move(*before)));
    out.collect(output_row(row_kind::update_after, std::move(keys), std::move(after)));
  }
}

void window_aggregate::open(context& ctx) {
  accumulator_.emplace(ctx.state(value_state_descriptor<std::vector<value>>{"accumulator"}));
  distinct_.emplace(ctx.state(map_state_descriptor<std::string, std::int64_t>{"distinct"}));
  late_records_dropped_ = &ctx.metrics().counter("numLateRecordsDropped");
}

void window_aggregate::process_element(const row& in, context& ctx, collector<row>&) {
  auto keys = key_values(ctx.current_key());
  auto last = keys[window_end_key_].integer - 1;
  if (last <= ctx.timer_service().current_watermark()) {
    late_records_dropped_->inc();
    return;
  }
  auto acc = accumulator_->value().value_or(aggregates_->create());
  aggregates_->accumulate(acc, in, false, counter_over(*distinct_));
  accumulator_->update(std::move(acc));
  ctx.timer_service().register_event_time_timer(last);
}

void window_aggregate::on_timer(std::int64_t, context& ctx, collector<row>& out) {
  auto acc = accumulator_->value();
  if (!acc)
    return;
  out.collect(
    output_row(row_kind::insert, key_values(ctx.current_key()), aggregates_->results(*acc)));
  accumulator_->clear();
  distinct_->clear();
}

void session_aggregate::open(context& ctx) {
  sessions_.emplace(ctx.state(value_state_descriptor<std::vector<std::vector<value>>>{"sessions"}));
  late_records_dropped_ = &ctx.metrics().counter("numLateRecordsDropped");
}

void session_aggregate::process_element(const row& in, context& ctx, collector<row>&) {
  const auto& time = in.fields[time_column_];
  if (time.is_null())
    return;
  auto start = time.integer;
  auto end = time.integer + gap_;
  auto acc = aggregates_->create();
  auto width = static_cast<std::ptrdiff_t>(acc.size());
  distinct_values distinct;
  aggregates_->accumulate(acc, in, false, counter_over(distinct));
  auto sessions = sessions_->value().value_or(std::vector<std::vector<value>>{});
  std::vector<std::vector<value>> kept;
  std::vector<std::int64_t> replaced; // the ends of the sessions merged in
  for (auto& s : sessions) {
    auto s_start = s[0].integer;
    auto s_end = s[1].integer;
    if (s_start <= end && start <= s_end) {
      start = std::min(start, s_start);
      end = std::max(end, s_end);
      aggregates_->merge(acc, std::vector<value>(s.begin() + 2, s.begin() + 2 + width));
      if (aggregates_->has_distinct())
        for (const auto& [key, count] : distinct_of(s))
          distinct[key] += count;
      replaced.push_back(s_end);
    } else {
      kept.push_back(std::move(s));
    }
  }
  auto& timers = ctx.timer_service();
  if (end - 1 <= timers.current_watermark()) {
    late_records_dropped_->inc();
    return;
  }
  for (auto e : replaced)
    if (e != end)
      timers.delete_event_time_timer(e - 1);
  timers.register_event_time_timer(end - 1);
  std::vector<value> merged{value::of(start), value::of(end)};
  merged.insert(merged.end(), acc.begin(), acc.end());
  if (aggregates_->has_distinct())
    merged.push_back(value::of_text(detail::to_bytes(
      std::vector<std::pair<std::string, std::int64_t>>(distinct.begin(), distinct.end()))));
  kept.push_back(std::move(merged));
  sessions_->update(std::move(kept));
}

void session_aggregate::on_timer(std::int64_t time, context& ctx, collector<row>& out) {
  auto sessions = sessions_->value();
  if (!sessions)
    return;
  auto keys = key_values(ctx.current_key());
  std::vector<std::vector<value>> open;
  for (auto& s : *sessions) {
    if (s[1].integer - 1 != time) {
      open.push_back(std::move(s));
      continue;
    }
    std::vector<value> columns;
    for (const auto& c : layout_) {
      switch (c.from) {
        case session_column::source::key:
          columns.push_back(keys[c.index]);
          break;
        case session_column::source::start:
          columns.push_back(s[0]);
          break;
        case session_column::source::end:
          columns.push_back(s[1]);
          break;
        case session_column::source::time:
          columns.push_back(value::of(s[1].integer - 1));
          break;
      }
    }
    std::vector<value> acc(s.begin() + 2, s.end());
    if (aggregates_->has_distinct()) {
      acc.pop_back();
      aggregates_->recompute_distinct(acc, distinct_of(s));
    }
    out.collect(output_row(row_kind::insert, std::move(columns), aggregates_->results(acc)));
  }
  if (open.empty())
    sessions_->clear();
  else
    sessions_->update(std::move(open));
}

} // namespace flinkcpp::sql
