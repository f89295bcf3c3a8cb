#include "sql/planner/changelog_normalize.hpp"

namespace flinkcpp::sql {

void changelog_normalize::open(context& ctx) {
  last_.emplace(ctx.state(value_state_descriptor<std::vector<value>>{"last"}));
}

void changelog_normalize::process_element(const row& in, context&, collector<row>& out) {
  auto last = last_->value();
  if (!is_accumulate(in.kind)) {
    if (!last)
      return;
    out.collect(row{row_kind::remove, std::move(*last)});
    last_->clear();
    return;
  }
  if (last) {
    if (*last == in.fields)
      return; // the same value again: no change
    out.collect(row{row_kind::update_before, std::move(*last)});
    out.collect(row{row_kind::update_after, in.fields});
  } else {
    out.collect(row{row_kind::insert, in.fields});
  }
  last_->update(in.fields);
}

} // namespace flinkcpp::sql
