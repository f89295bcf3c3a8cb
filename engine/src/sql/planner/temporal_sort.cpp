#include "sql/planner/temporal_sort.hpp"

#include <algorithm>

#include "sql/functions/operators.hpp"

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
  row probe;
  std::stable_sort(due.begin(), due.end(), [&](const auto& a, const auto& b) {
    for (std::size_t i = 0; i < spec_->order_keys.size(); ++i) {
      probe.fields = a;
      auto x = spec_->order_keys[i]->eval(probe);
      probe.fields = b;
      auto y = spec_->order_keys[i]->eval(probe);
      int c = x.is_null()   ? (y.is_null() ? 0 : -1)
              : y.is_null() ? 1
                            : compare_values(x, spec_->order_types[i], y, spec_->order_types[i]);
      if (c != 0)
        return spec_->descending[i] ? c > 0 : c < 0;
    }
    return false;
  });
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
