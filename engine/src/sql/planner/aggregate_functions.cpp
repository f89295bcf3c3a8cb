#include "sql/planner/aggregate_functions.hpp"

#include <algorithm>
#include <iterator>

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

/// The group key columns `layout` gives the window [start, end) of a key
/// whose own values are `keys`.
std::vector<value> window_keys(const std::vector<window_key_column>& layout,
                               const std::vector<value>& keys, std::int64_t start,
                               std::int64_t end) {
  std::vector<value> columns;
  columns.reserve(layout.size());
  for (const auto& c : layout) {
    switch (c.from) {
      case window_key_column::source::key:
        columns.push_back(keys[c.index]);
        break;
      case window_key_column::source::start:
        columns.push_back(value::of(start));
        break;
      case window_key_column::source::end:
        columns.push_back(value::of(end));
        break;
      case window_key_column::source::time:
        columns.push_back(value::of(end - 1));
        break;
    }
  }
  return columns;
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
  auto last = in.fields[window_end_column_].integer - 1;
  if (last <= ctx.timer_service().current_watermark()) {
    late_records_dropped_->inc();
    return;
  }
  auto distinct = counter_over(*distinct_);
  if (accumulator_->update_with([&](std::vector<value>& acc) {
        aggregates_->accumulate(acc, in, false, distinct);
        return true;
      }))
    return;
  auto acc = aggregates_->create();
  aggregates_->accumulate(acc, in, false, distinct);
  accumulator_->update(std::move(acc));
  ctx.timer_service().register_event_time_timer(last); // once per window
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
    auto columns = window_keys(layout_, keys, s[0].integer, s[1].integer);
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

sliced_window_aggregate::sliced_window_aggregate(std::shared_ptr<const aggregate_set> aggregates,
                                                 window_assigner_function windows,
                                                 std::vector<window_key_column> layout)
  : aggregates_(std::move(aggregates)),
    windows_(windows),
    slice_size_(windows.what == window_assigner_function::kind::tumble ? windows.size
                                                                       : windows.step),
    layout_(std::move(layout)) {}

void sliced_window_aggregate::open(context& ctx) {
  slices_.emplace(ctx.state(value_state_descriptor<std::vector<slice>>{"slices"}));
  late_records_dropped_ = &ctx.metrics().counter("numLateRecordsDropped");
}

std::int64_t sliced_window_aggregate::slice_end(std::int64_t time) const {
  return windows_.aligned_start(time, slice_size_) + slice_size_;
}

std::int64_t sliced_window_aggregate::window_start(std::int64_t end) const {
  if (windows_.what == window_assigner_function::kind::cumulate)
    return windows_.aligned_start(end - 1, windows_.size);
  return end - windows_.size;
}

std::int64_t sliced_window_aggregate::last_window_end(std::int64_t end) const {
  switch (windows_.what) {
    case window_assigner_function::kind::hop:
      return end - slice_size_ + windows_.size;
    case window_assigner_function::kind::cumulate:
      return window_start(end) + windows_.size;
    default:
      return end;
  }
}

void sliced_window_aggregate::process_element(const row& in, context& ctx, collector<row>&) {
  const auto& time = in.fields[windows_.time_column];
  if (time.is_null())
    return;
  auto end = slice_end(time.integer);
  auto watermark = ctx.timer_service().current_watermark();
  if (last_window_end(end) - 1 <= watermark) {
    late_records_dropped_->inc();
    return;
  }
  bool created = false;
  auto add = [&](std::vector<slice>& all) {
    auto at = all.end(); // rows in time order find their slice last
    while (at != all.begin() && std::prev(at)->end > end)
      --at;
    if (at == all.begin() || std::prev(at)->end != end) {
      at = std::next(all.insert(at, slice{end, aggregates_->create()}));
      created = true;
    }
    aggregates_->accumulate(std::prev(at)->accumulator, in, false, {});
    return true;
  };
  if (!slices_->update_with(add)) {
    std::vector<slice> all;
    add(all);
    slices_->update(std::move(all));
  }
  if (!created)
    return;
  // The first window to fire that covers the slice: the one ending with
  // it, or, when the watermark passed that, the first after the watermark.
  auto fire = end;
  if (fire - 1 <= watermark)
    fire += ((watermark + 1 - fire) / slice_size_ + 1) * slice_size_;
  ctx.timer_service().register_event_time_timer(fire - 1);
}

void sliced_window_aggregate::on_timer(std::int64_t time, context& ctx, collector<row>& out) {
  auto end = time + 1;
  auto start = window_start(end);
  auto next_end = end + slice_size_;
  auto next_start = window_start(next_end);
  std::optional<std::vector<value>> merged;
  bool next_covers = false;
  bool emptied = false;
  if (!slices_->update_with([&](std::vector<slice>& all) {
        for (const auto& s : all)
          if (s.end > start && s.end <= end) {
            if (merged)
              aggregates_->merge(*merged, s.accumulator);
            else
              merged = s.accumulator;
          }
        std::erase_if(all, [&](const slice& s) { return s.end <= next_start; });
        next_covers =
          std::any_of(all.begin(), all.end(), [&](const slice& s) { return s.end <= next_end; });
        emptied = all.empty();
        return true;
      }))
    return;
  if (emptied)
    slices_->clear();
  if (next_covers)
    ctx.timer_service().register_event_time_timer(next_end - 1);
  if (merged)
    out.collect(output_row(row_kind::insert,
                           window_keys(layout_, key_values(ctx.current_key()), start, end),
                           aggregates_->results(*merged)));
}

} // namespace flinkcpp::sql
