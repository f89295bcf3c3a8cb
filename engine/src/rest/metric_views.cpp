#include "rest/metric_views.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>

#include "flinkcpp/watermark_strategy.hpp"

namespace flinkcpp::rest {

namespace {

/// The names `get` asks for ("a,b"), in order.
std::vector<std::string> names_in(const std::string& get) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= get.size()) {
    auto comma = get.find(',', from);
    auto name = get.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (!name.empty())
      out.push_back(name);
    if (comma == std::string::npos)
      break;
    from = comma + 1;
  }
  return out;
}

/// A value as Flink's REST API writes metric values: a string. Whole
/// numbers as integers; 2^63, which no int64 holds, is how a double carries
/// max_watermark.
std::string text_of(double v) {
  constexpr double two_to_63 = 9223372036854775808.0;
  if (v == two_to_63)
    return std::to_string(max_watermark);
  if (v >= -two_to_63 && v < two_to_63 && v == std::trunc(v))
    return std::to_string(static_cast<std::int64_t>(v));
  return std::to_string(v);
}

/// Flink's metric groups cut operator names to this length.
constexpr std::size_t operator_name_length = 80;

/// What Flink's REST API calls a histogram's quantile "0.5": "50"; "0.999":
/// "999".
std::string percentile_name(std::string_view quantile) {
  auto digits = std::string{quantile.substr(quantile.find('.') + 1)};
  if (digits.size() < 2)
    digits += "0";
  return digits;
}

std::string level_of(double ratio) {
  return ratio <= 0.10 ? "ok" : ratio <= 0.5 ? "low" : "high";
}

} // namespace

json metric_list_view(const std::vector<metric_sample>& samples,
                      const std::optional<std::string>& get) {
  json out = json::array();
  if (!get) {
    std::set<std::string> ids;
    for (const auto& s : samples)
      ids.insert(s.name);
    for (const auto& id : ids)
      out.push_back({{"id", id}});
    return out;
  }
  for (const auto& name : names_in(*get))
    for (const auto& s : samples)
      if (s.name == name) {
        out.push_back({{"id", name}, {"value", text_of(s.value)}});
        break;
      }
  return out;
}

std::vector<metric_sample> vertex_samples(const std::vector<metric_sample>& samples,
                                          const std::string& job, const std::string& vertex) {
  std::vector<metric_sample> out;
  for (const auto& s : samples) {
    auto scope = s.scope_kind();
    if ((scope != metric_scope::task && scope != metric_scope::task_operator) ||
        s.label("job_id") != job || s.label("task_id") != vertex)
      continue;
    auto named = s;
    named.name = std::string{s.label("subtask_index")} + ".";
    if (scope == metric_scope::task_operator)
      named.name += std::string{s.label("operator_name").substr(0, operator_name_length)} + ".";
    named.name += s.name;
    if (auto quantile = s.label("quantile"); !quantile.empty())
      named.name += "_p" + percentile_name(quantile);
    out.push_back(std::move(named));
  }
  return out;
}

json watermarks_view(const std::vector<metric_sample>& task_samples) {
  json out = json::array();
  const std::string suffix = ".currentInputWatermark";
  for (const auto& s : task_samples) {
    auto subtask = std::string_view{s.name}.substr(0, s.name.size() - suffix.size());
    if (s.name.size() > suffix.size() && s.name.ends_with(suffix) &&
        std::all_of(subtask.begin(), subtask.end(), [](char c) { return c >= '0' && c <= '9'; }))
      out.push_back({{"id", s.name}, {"value", text_of(s.value)}});
  }
  return out;
}

metric_series series_of(const std::vector<metric_sample>& samples, bool strip_subtask) {
  metric_series out;
  for (const auto& s : samples) {
    auto dot = strip_subtask ? s.name.find('.') : std::string::npos;
    out[dot == std::string::npos ? s.name : s.name.substr(dot + 1)].push_back(s.value);
  }
  return out;
}

result<json> aggregated_metrics_view(const metric_series& series,
                                     const std::optional<std::string>& get,
                                     const std::optional<std::string>& agg) {
  static const std::vector<std::string> all{"min", "max", "avg", "sum", "skew"};
  auto wanted = agg ? names_in(*agg) : all;
  for (const auto& a : wanted)
    if (std::find(all.begin(), all.end(), a) == all.end())
      return failure{"unknown aggregation '" + a + "' in agg: expected min, max, avg, sum or skew"};
  json out = json::array();
  if (!get) {
    for (const auto& [name, values] : series)
      out.push_back({{"id", name}});
    return out;
  }
  for (const auto& name : names_in(*get)) {
    auto i = series.find(name);
    if (i == series.end())
      continue;
    const auto& v = i->second;
    double sum = 0;
    for (double x : v)
      sum += x;
    auto max = *std::max_element(v.begin(), v.end());
    auto avg = sum / static_cast<double>(v.size());
    json entry = {{"id", name}};
    for (const auto& a : wanted) {
      if (a == "min")
        entry["min"] = *std::min_element(v.begin(), v.end());
      else if (a == "max")
        entry["max"] = max;
      else if (a == "avg")
        entry["avg"] = avg;
      else if (a == "sum")
        entry["sum"] = sum;
      else
        entry["skew"] = max > 0 ? (max - avg) / max * 100.0 : 0.0;
    }
    out.push_back(entry);
  }
  return out;
}

json backpressure_view(const std::vector<metric_sample>& task_samples, std::int64_t now) {
  struct times {
    double back_pressured = 0, busy = 0, idle = 0;
    int attempt = 0;
  };
  std::map<int, times> by_subtask;
  for (const auto& s : task_samples) {
    auto dot = s.name.find('.');
    if (dot == std::string::npos)
      continue;
    auto subtask = std::stoi(s.name.substr(0, dot));
    auto metric = s.name.substr(dot + 1);
    auto& t = by_subtask[subtask];
    if (auto attempt = s.label("task_attempt_num"); !attempt.empty())
      t.attempt = std::stoi(std::string{attempt});
    if (metric == "backPressuredTimeMsPerSecond")
      t.back_pressured = s.value / 1000.0;
    else if (metric == "busyTimeMsPerSecond")
      t.busy = s.value / 1000.0;
    else if (metric == "idleTimeMsPerSecond")
      t.idle = s.value / 1000.0;
  }
  json subtasks = json::array();
  double worst = 0;
  for (const auto& [subtask, t] : by_subtask) {
    worst = std::max(worst, t.back_pressured);
    subtasks.push_back({{"subtask", subtask},
                        {"attempt-number", t.attempt},
                        {"backpressureLevel", level_of(t.back_pressured)},
                        {"ratio", t.back_pressured},
                        {"idleRatio", t.idle},
                        {"busyRatio", t.busy},
                        {"other-concurrent-attempts", json::array()}});
  }
  return {{"status", "ok"},
          {"backpressureLevel", level_of(worst)},
          {"end-timestamp", now},
          {"subtasks", subtasks}};
}

} // namespace flinkcpp::rest
