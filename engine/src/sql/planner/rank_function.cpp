#include "sql/planner/rank_function.hpp"

#include <algorithm>

#include "sql/functions/operators.hpp"

namespace flinkcpp::sql {

void rank_function::open(context& ctx) {
  value_state_descriptor<std::vector<entry>> d{"top"};
  if (state_ttl_.count() > 0)
    d.ttl = state_ttl_config{state_ttl_};
  top_.emplace(ctx.state(d));
}

bool rank_spec::before(const std::vector<value>& a, const std::vector<value>& b) const {
  for (std::size_t i = 0; i < order_keys.size(); ++i) {
    const auto& x = a[i];
    const auto& y = b[i];
    int c = x.is_null()   ? (y.is_null() ? 0 : -1)
            : y.is_null() ? 1
                          : compare_values(x, order_types[i], y, order_types[i]);
    if (c != 0)
      return descending[i] ? c > 0 : c < 0;
  }
  return false;
}

std::vector<value> rank_spec::keys_of(const row& r) const {
  std::vector<value> out;
  out.reserve(order_keys.size());
  for (const auto& k : order_keys)
    out.push_back(k->eval(r));
  return out;
}

row rank_function::output(const entry& e, row_kind kind, std::int64_t rank) const {
  row out;
  out.kind = kind;
  auto keys = spec_->order_keys.size();
  out.fields.assign(e.begin() + static_cast<std::ptrdiff_t>(keys), e.end());
  if (spec_->rank_column)
    out.fields.insert(out.fields.begin() + static_cast<std::ptrdiff_t>(*spec_->rank_column),
                      value::of(rank));
  return out;
}

void rank_function::process_element(const row& in, context&, collector<row>& out) {
  auto e = spec_->keys_of(in);
  auto with_projections = [&] {
    e.reserve(spec_->order_keys.size() + spec_->projections.size());
    for (const auto& p : spec_->projections)
      e.push_back(p->eval(in));
  };
  if (spec_->retracting || spec_->numbers != rank_spec::numbering::row_number) {
    with_projections();
    auto top = top_->value().value_or(std::vector<entry>{});
    change(top, std::move(e), !is_accumulate(in.kind), out);
    if (top.empty())
      top_->clear();
    else
      top_->update(std::move(top));
    return;
  }
  // The kept rows changed in place: a row that does not enter is not
  // projected, nor the top copied.
  auto limit = static_cast<std::size_t>(spec_->limit);
  auto enter = [&](std::vector<entry>& top) {
    // After the rows it ties with: the earlier row keeps the better rank.
    auto at = static_cast<std::size_t>(
      std::upper_bound(top.begin(), top.end(), e,
                       [this](const entry& a, const entry& b) { return spec_->before(a, b); }) -
      top.begin());
    if (at >= limit)
      return false;
    with_projections();
    top.insert(top.begin() + static_cast<std::ptrdiff_t>(at), std::move(e));
    // Row i held before what top[i + 1] holds now; the last one leaves.
    auto held = top.size() - 1;
    bool evicts = top.size() > limit;
    if (spec_->update_on_replace && evicts) {
      out.collect(output(top.back(), row_kind::update_before, 1));
      out.collect(output(top[at], row_kind::update_after, 1));
    } else if (!spec_->rank_column) {
      if (evicts)
        out.collect(output(top.back(), row_kind::remove, static_cast<std::int64_t>(limit)));
      out.collect(output(top[at], row_kind::insert, static_cast<std::int64_t>(at) + 1));
    } else {
      for (auto i = at; i < std::min(top.size(), limit); ++i) {
        auto rank = static_cast<std::int64_t>(i) + 1;
        if (i < held) {
          out.collect(output(top[i + 1], row_kind::update_before, rank));
          out.collect(output(top[i], row_kind::update_after, rank));
        } else {
          out.collect(output(top[i], row_kind::insert, rank));
        }
      }
    }
    if (evicts)
      top.pop_back();
    return true;
  };
  if (top_->update_with(enter))
    return;
  std::vector<entry> top;
  if (enter(top))
    top_->update(std::move(top));
}

std::vector<std::int64_t> rank_function::numbers_of(const std::vector<entry>& rows) const {
  std::vector<std::int64_t> numbers;
  numbers.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    bool tie = spec_->numbers != rank_spec::numbering::row_number && i > 0 &&
               !spec_->before(rows[i - 1], rows[i]);
    if (tie)
      numbers.push_back(numbers.back());
    else if (spec_->numbers == rank_spec::numbering::dense_rank)
      numbers.push_back(i == 0 ? 1 : numbers.back() + 1);
    else
      numbers.push_back(static_cast<std::int64_t>(i) + 1);
  }
  return numbers;
}

std::size_t rank_function::top_size(const std::vector<std::int64_t>& numbers) const {
  return static_cast<std::size_t>(
    std::find_if(numbers.begin(), numbers.end(),
                 [this](std::int64_t n) { return n > spec_->limit; }) -
    numbers.begin());
}

void rank_function::change(std::vector<entry>& rows, entry e, bool remove,
                           collector<row>& out) const {
  auto old_numbers = numbers_of(rows);
  auto old_size = top_size(old_numbers);
  std::vector<entry> old_top(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(old_size));
  if (remove) {
    auto it = std::find(rows.begin(), rows.end(), e);
    if (it == rows.end())
      return; // a retraction of a row never seen (its state expired)
    rows.erase(it);
  } else {
    auto at = std::upper_bound(rows.begin(), rows.end(), e, [this](const entry& a, const entry& b) {
      return spec_->before(a, b);
    });
    rows.insert(at, std::move(e));
  }
  auto numbers = numbers_of(rows);
  auto size = top_size(numbers);
  if (!spec_->rank_column) {
    // The rows gone from the top N, then those new in it.
    std::vector<entry> now(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(size));
    for (std::size_t i = 0; i < old_top.size(); ++i)
      if (auto it = std::find(now.begin(), now.end(), old_top[i]); it != now.end())
        now.erase(it);
      else
        out.collect(output(old_top[i], row_kind::remove, old_numbers[i]));
    for (const auto& n : now)
      out.collect(output(n, row_kind::insert, 0));
  } else {
    for (std::size_t i = 0; i < std::max(size, old_top.size()); ++i) {
      if (i >= old_top.size()) {
        out.collect(output(rows[i], row_kind::insert, numbers[i]));
      } else if (i >= size) {
        out.collect(output(old_top[i], row_kind::remove, old_numbers[i]));
      } else if (rows[i] != old_top[i] || numbers[i] != old_numbers[i]) {
        out.collect(output(old_top[i], row_kind::update_before, old_numbers[i]));
        out.collect(output(rows[i], row_kind::update_after, numbers[i]));
      }
    }
  }
  if (!spec_->retracting)
    rows.resize(size); // an append-only input never lets a row back in
}

} // namespace flinkcpp::sql
