#include "sql/planner/row_functions.hpp"

#include <nlohmann/json.hpp>

#include "flinkcpp/detail/record_serialization.hpp"

namespace flinkcpp::sql {

void calc_function::operator()(const row& in, collector<row>& out) const {
  if (condition) {
    auto pass = condition->eval(in);
    if (pass.is_null() || pass.integer == 0)
      return;
  }
  if (projections.empty()) {
    out.collect(in);
    return;
  }
  row projected;
  projected.kind = in.kind;
  projected.fields.reserve(projections.size());
  for (const auto& p : projections)
    projected.fields.push_back(p->eval(in));
  out.collect(std::move(projected));
}

std::string row_key::operator()(const row& in) const {
  std::vector<value> values;
  values.reserve(columns.size());
  for (const auto& c : columns)
    values.push_back(c->eval(in));
  return detail::to_bytes(values);
}

namespace {

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  return ((a % b) + b) % b;
}

} // namespace

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
      auto start = ts - floor_mod(ts - offset, size);
      emit(start, start + size);
      break;
    }
    case kind::hop: {
      auto last = ts - floor_mod(ts - offset, step);
      for (auto start = last; start > ts - size; start -= step)
        emit(start, start + size);
      break;
    }
    case kind::cumulate: {
      auto start = ts - floor_mod(ts - offset, size);
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
