#include "sql/planner/temporal_sort.hpp"

#include <algorithm>

namespace flinkcpp::sql {

void temporal_sort::open(context& ctx) {
  held_.emplace(ctx.state(value_state_descriptor<std::vector<std::vector<value>>>{"held"}));
  late_records_dropped_ = &ctx.metrics().counter("numLateRecordsDropped");
}

void temporal_sort::process_element(const row& in, context& ctx, collector<row>&) {
  const auto& time = in.fields[time_column_];
  if (time.is_null() || time.integer <= ctx.timer_service().current_watermark()) {
    late_records_dropped_->inc();
    return;
  }
  auto held = held_->value().value_or(std::vector<std::vector<value>>{});
  held.push_back(in.fields);
  held_->update(std::move(held));
  ctx.timer_service().register_event_time_timer(time.integer);
}

void temporal_sort::on_timer(std::int64_t time, context&, collector<row>& out) {
  auto held = held_->value();
  if (!held)
    return;
  std::vector<std::vector<value>> due;
  std::vector<std::vector<value>> later;
  for (auto& r : *held)
    (r[time_column_].integer <= time ? due : later).push_back(std::move(r));
  // The rows of one time in the order of the other keys (stable: ties in
  // arrival order).
  std::vector<std::pair<std::vector<value>, std::vector<value>>> keyed; // keys, row
  keyed.reserve(due.size());
  for (auto& r : due) {
    row input{row_kind::insert, r};
    keyed.emplace_back(spec_->keys_of(input), std::move(r));
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [&](const auto& a, const auto& b) { return spec_->before(a.first, b.first); });
  due.clear();
  for (auto& [keys, r] : keyed)
    due.push_back(std::move(r));
  for (auto& r : due) {
    row input{row_kind::insert, std::move(r)};
    row projected;
    for (const auto& p : spec_->projections)
      projected.fields.push_back(p->eval(input));
    out.collect(std::move(projected));
  }
  if (later.empty())
    held_->clear();
  else
    held_->update(std::move(later));
}

} // namespace flinkcpp::sql
