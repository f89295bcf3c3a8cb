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
  entry e;
  e.reserve(spec_->order_keys.size() + spec_->projections.size());
  for (const auto& k : spec_->order_keys)
    e.push_back(k->eval(in));
  for (const auto& p : spec_->projections)
    e.push_back(p->eval(in));
  auto top = top_->value().value_or(std::vector<entry>{});
  if (spec_->numbers != rank_spec::numbering::row_number) {
    rank(top, std::move(e), out);
    top_->update(std::move(top));
    return;
  }
  // After the rows it ties with: the earlier row keeps the better rank.
  auto at = static_cast<std::size_t>(
    std::upper_bound(top.begin(), top.end(), e,
                     [this](const entry& a, const entry& b) { return spec_->before(a, b); }) -
    top.begin());
  auto limit = static_cast<std::size_t>(spec_->limit);
  if (at >= limit)
    return;
  auto before_insert = top;
  top.insert(top.begin() + static_cast<std::ptrdiff_t>(at), e);
  std::optional<entry> evicted;
  if (top.size() > limit) {
    evicted = top.back();
    top.pop_back();
  }
  if (spec_->update_on_replace && evicted) {
    out.collect(output(*evicted, row_kind::update_before, 1));
    out.collect(output(e, row_kind::update_after, 1));
  } else if (!spec_->rank_column) {
    if (evicted)
      out.collect(output(*evicted, row_kind::remove, static_cast<std::int64_t>(limit)));
    out.collect(output(e, row_kind::insert, static_cast<std::int64_t>(at) + 1));
  } else {
    for (auto i = at; i < top.size(); ++i) {
      auto rank = static_cast<std::int64_t>(i) + 1;
      if (i < before_insert.size()) {
        out.collect(output(before_insert[i], row_kind::update_before, rank));
        out.collect(output(top[i], row_kind::update_after, rank));
      } else {
        out.collect(output(top[i], row_kind::insert, rank));
      }
    }
  }
  top_->update(std::move(top));
}

std::vector<std::int64_t> rank_function::numbers_of(const std::vector<entry>& top) const {
  std::vector<std::int64_t> numbers;
  numbers.reserve(top.size());
  for (std::size_t i = 0; i < top.size(); ++i) {
    if (i > 0 && !spec_->before(top[i - 1], top[i]))
      numbers.push_back(numbers.back()); // a tie
    else if (spec_->numbers == rank_spec::numbering::rank)
      numbers.push_back(static_cast<std::int64_t>(i) + 1);
    else
      numbers.push_back(i == 0 ? 1 : numbers.back() + 1);
  }
  return numbers;
}

void rank_function::rank(std::vector<entry>& top, entry e, collector<row>& out) const {
  auto at = std::upper_bound(top.begin(), top.end(), e, [this](const entry& a, const entry& b) {
    return spec_->before(a, b);
  });
  auto old_numbers = numbers_of(top);
  auto old_top = top;
  auto index = static_cast<std::size_t>(at - top.begin());
  top.insert(at, std::move(e));
  auto numbers = numbers_of(top);
  if (numbers[index] > spec_->limit) {
    top = std::move(old_top);
    return;
  }
  auto kept = static_cast<std::size_t>(
    std::find_if(numbers.begin(), numbers.end(), [&](std::int64_t n) { return n > spec_->limit; }) -
    numbers.begin());
  if (!spec_->rank_column) {
    for (auto i = kept; i < top.size(); ++i)
      out.collect(output(top[i], row_kind::remove, numbers[i]));
    out.collect(output(top[index], row_kind::insert, numbers[index]));
    top.resize(kept);
    return;
  }
  top.resize(kept);
  for (std::size_t i = 0; i < std::max(top.size(), old_top.size()); ++i) {
    if (i >= old_top.size()) {
      out.collect(output(top[i], row_kind::insert, numbers[i]));
    } else if (i >= top.size()) {
      out.collect(output(old_top[i], row_kind::remove, old_numbers[i]));
    } else if (top[i] != old_top[i] || numbers[i] != old_numbers[i]) {
      out.collect(output(old_top[i], row_kind::update_before, old_numbers[i]));
      out.collect(output(top[i], row_kind::update_after, numbers[i]));
    }
  }
}

} // namespace flinkcpp::sql
