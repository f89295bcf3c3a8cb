#include "sql/planner/row_functions.hpp"

#include <nlohmann/json.hpp>

#include "flinkcpp/detail/record_serialization.hpp"

namespace flinkcpp::sql {

calc_function::calc_function(scalar_ptr condition, std::vector<scalar_ptr> projections) {
  steps_.emplace_back(std::move(condition), std::move(projections));
}

calc_function calc_function::then(const calc_function& next) const {
  auto merged = *this;
  merged.steps_.insert(merged.steps_.end(), next.steps_.begin(), next.steps_.end());
  return merged;
}

void calc_function::operator()(row&& in, collector<row>& out) const {
  for (const auto& s : steps_)
    if (!s.apply(in))
      return;
  out.collect(std::move(in));
}

calc_function::step::step(scalar_ptr condition, std::vector<scalar_ptr> projections)
  : condition_(std::move(condition)),
    projections_(std::move(projections)),
    moved_(projections_.size(), computed) {
  for (std::size_t i = 0; i < projections_.size(); ++i) {
    auto field = projections_[i]->field_index();
    if (!field)
      continue;
    // Computed projections run first (apply()), so only another plain
    // reference to the same field keeps it from moving.
    bool shared = false;
    for (std::size_t k = 0; k < projections_.size() && !shared; ++k)
      shared = k != i && projections_[k]->field_index() == field;
    if (!shared)
      moved_[i] = *field;
  }
  while (kept_ < moved_.size() && moved_[kept_] == kept_)
    ++kept_;
}

bool calc_function::step::apply(row& r) const {
  if (condition_) {
    auto pass = condition_->eval(r);
    if (pass.is_null() || pass.integer == 0)
      return false;
  }
  if (projections_.empty())
    return true;
  // The computed values first: they may read fields moved after. The
  // first kept_ fields stay where they are.
  std::vector<value> rest(projections_.size() - kept_);
  for (std::size_t i = kept_; i < projections_.size(); ++i)
    if (moved_[i] == computed)
      rest[i - kept_] = projections_[i]->eval(r);
  for (std::size_t i = kept_; i < projections_.size(); ++i)
    if (moved_[i] != computed)
      rest[i - kept_] = std::move(r.fields[moved_[i]]);
  r.fields.resize(kept_);
  for (auto& v : rest)
    r.fields.push_back(std::move(v));
  return true;
}

std::string row_bytes(const std::vector<value>& fields) {
  auto size = sizeof(std::uint64_t);
  for (const auto& v : fields)
    size += 2 * sizeof(std::uint64_t) + v.text.size();
  std::string out;
  out.reserve(size);
  detail::binary_writer{out}.write(fields);
  return out;
}

std::string row_key::operator()(const row& in) const {
  // The bytes of the vector of the columns' values, written without
  // copying those that are fields of the row.
  std::string out;
  detail::binary_writer writer{out};
  writer.write_varint(columns.size());
  for (const auto& c : columns) {
    if (auto field = c->field_index())
      writer.write(in.fields[*field]);
    else
      writer.write(c->eval(in));
  }
  return out;
}

void window_assigner_function::operator()(const row& in, collector<row>& out) const {
  const auto& time = in.fields[time_column];
  if (time.is_null())
    return;
  auto ts = time.integer;
  auto emit = [&](std::int64_t start, std::int64_t end) {
    row windowed = in;
    windowed.fields.push_back(value::of(start));
    windowed.fields.push_back(value::of(end));
    windowed.fields.push_back(value::of(end - 1));
    out.collect(std::move(windowed));
  };
  switch (what) {
    case kind::tumble: {
      auto start = aligned_start(ts, size);
      emit(start, start + size);
      break;
    }
    case kind::hop: {
      auto last = aligned_start(ts, step);
      for (auto start = last; start > ts - size; start -= step)
        emit(start, start + size);
      break;
    }
    case kind::cumulate: {
      auto start = aligned_start(ts, size);
      for (auto end = start + step; end <= start + size; end += step)
        if (end > ts)
          emit(start, end);
      break;
    }
    case kind::session:
      emit(ts, ts + size);
      break;
  }
}

std::int64_t window_assigner_function::aligned_start(std::int64_t time, std::int64_t length) const {
  return time - (((time - offset) % length) + length) % length;
}

void expression_watermarks::on_event(const row& record, std::int64_t, watermark_output&) {
  auto v = expression_->eval(record);
  if (!v.is_null())
    largest_ = std::max(largest_, v.integer);
}

void expression_watermarks::on_periodic_emit(watermark_output& output) {
  if (largest_ > emitted_) {
    output.emit_watermark(largest_);
    emitted_ = largest_;
  }
}

std::vector<value> key_values(const std::string& key) {
  return detail::from_bytes<std::vector<value>>(key);
}

std::string row_text::operator()(const row& in) const {
  std::string out;
  switch (how) {
    case style::print:
      out = std::string{short_string(in.kind)} + "[";
      for (std::size_t i = 0; i < in.fields.size(); ++i)
        out += (i ? ", " : "") + format_value(in.fields[i], types[i], value_style::print);
      return out + "]";
    case style::csv:
      for (std::size_t i = 0; i < in.fields.size(); ++i) {
        if (i)
          out += delimiter;
        out += format_value(in.fields[i], types[i], value_style::csv);
      }
      return out;
    case style::json: {
      out = "{";
      for (std::size_t i = 0; i < in.fields.size(); ++i)
        out += (i ? "," : "") + nlohmann::json(names[i]).dump() + ":" +
               format_value(in.fields[i], types[i], value_style::json);
      return out + "}";
    }
    case style::raw:
      return in.fields.at(0).is_null() ? std::string{} : in.fields[0].text;
    case style::changelog: {
      auto line = nlohmann::json::array({short_string(in.kind)});
      for (std::size_t i = 0; i < in.fields.size(); ++i)
        line.push_back(format_value(in.fields[i], types[i], value_style::table));
      return line.dump();
    }
  }
  return out;
}

} // namespace flinkcpp::sql
