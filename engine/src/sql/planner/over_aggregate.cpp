#include "sql/planner/over_aggregate.hpp"

#include <algorithm>
#include <iterator>

namespace flinkcpp::sql {

void over_aggregate::open(context& ctx) {
  pending_.emplace(ctx.state(map_state_descriptor<std::int64_t, std::vector<row>>{"pending"}));
  frame_.emplace(ctx.state(value_state_descriptor<std::vector<row>>{"frame"}));
  accumulator_.emplace(ctx.state(value_state_descriptor<std::vector<value>>{"accumulator"}));
  history_.emplace(ctx.state(value_state_descriptor<std::vector<std::vector<value>>>{"lag"}));
  late_records_dropped_ = &ctx.metrics().counter("numLateRecordsDropped");
}

void over_aggregate::process_element(const row& in, context& ctx, collector<row>&) {
  const auto& time = in.fields[window_.time_column];
  if (time.is_null() || time.integer <= ctx.timer_service().current_watermark()) {
    late_records_dropped_->inc();
    return;
  }
  if (!pending_->update(time.integer, [&](std::vector<row>& rows) { rows.push_back(in); }))
    pending_->put(time.integer, std::vector<row>{in});
  ctx.timer_service().register_event_time_timer(time.integer);
}

std::vector<value> over_aggregate::aggregate(const std::vector<row>& rows) const {
  auto acc = aggregates_->create();
  for (const auto& r : rows)
    aggregates_->accumulate(acc, r, false, {});
  return aggregates_->results(acc);
}

void over_aggregate::emit(row&& r, const std::vector<value>& results,
                          std::vector<std::vector<value>>& history, collector<row>& out) const {
  std::vector<value> lagged;
  lagged.reserve(lags_.size());
  for (std::size_t i = 0; i < lags_.size(); ++i) {
    const auto& lag = lags_[i];
    auto& before = history[i];
    if (before.size() >= lag.offset)
      lagged.push_back(before[before.size() - lag.offset]);
    else
      lagged.push_back(lag.fallback ? lag.fallback->eval(r) : value{});
    before.push_back(lag.argument->eval(r));
    if (before.size() > lag.offset)
      before.erase(before.begin());
  }
  r.kind = row_kind::insert;
  r.fields.insert(r.fields.end(), results.begin(), results.end());
  for (auto& v : lagged)
    r.fields.push_back(std::move(v));
  out.collect(std::move(r));
}

void over_aggregate::accumulate(std::vector<row>& due, std::vector<std::vector<value>>& history,
                                collector<row>& out) {
  auto acc = accumulator_->value().value_or(aggregates_->create());
  if (window_.rows) {
    for (auto& r : due) {
      aggregates_->accumulate(acc, r, false, {});
      emit(std::move(r), aggregates_->results(acc), history, out);
    }
  } else {
    for (const auto& r : due)
      aggregates_->accumulate(acc, r, false, {});
    auto results = aggregates_->results(acc);
    for (auto& r : due)
      emit(std::move(r), results, history, out);
  }
  accumulator_->update(std::move(acc));
}

void over_aggregate::on_timer(std::int64_t time, context&, collector<row>& out) {
  auto due = pending_->get(time);
  if (!due)
    return;
  pending_->remove(time);
  auto history = lags_.empty()
                   ? std::vector<std::vector<value>>{}
                   : history_->value().value_or(std::vector<std::vector<value>>(lags_.size()));
  if (window_.preceding)
    aggregate_frame(time, *due, history, out);
  else
    accumulate(*due, history, out);
  if (!lags_.empty())
    history_->update(std::move(history));
}

void over_aggregate::aggregate_frame(std::int64_t time, std::vector<row>& due,
                                     std::vector<std::vector<value>>& history,
                                     collector<row>& out) {
  auto frame = frame_->value().value_or(std::vector<row>{});
  if (window_.rows) {
    auto n = static_cast<std::size_t>(*window_.preceding);
    for (auto& r : due) {
      frame.push_back(r);
      if (frame.size() > n + 1)
        frame.erase(frame.begin());
      emit(std::move(r), aggregate(frame), history, out);
    }
    if (frame.size() > n)
      frame.erase(frame.begin(), std::prev(frame.end(), static_cast<std::ptrdiff_t>(n)));
  } else {
    frame.insert(frame.end(), due.begin(), due.end());
    auto from = time - *window_.preceding;
    std::erase_if(frame,
                  [&](const row& r) { return r.fields[window_.time_column].integer < from; });
    auto results = aggregate(frame);
    for (auto& r : due)
      emit(std::move(r), results, history, out);
  }
  if (frame.empty())
    frame_->clear();
  else
    frame_->update(std::move(frame));
}

} // namespace flinkcpp::sql
