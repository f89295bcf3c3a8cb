// User-defined SQL functions, scalar and aggregate, for the SQL tests,
// registered as a job library registers them (CREATE FUNCTION ... USING
// JAR 'this library').

#include <cstdint>
#include <optional>
#include <string>

#include "flinkcpp/sql_function.hpp"

namespace {

std::int64_t with_tax(std::int64_t cents) {
  return cents * 119 / 100;
}

/// The first letter of each word; NULL for NULL or an empty name.
std::optional<std::string> initials(std::optional<std::string> name) {
  if (!name || name->empty())
    return std::nullopt;
  std::string out;
  bool start = true;
  for (char c : *name) {
    if (start && c != ' ')
      out += c;
    start = c == ' ';
  }
  return out;
}

bool is_even(std::int32_t n) {
  return n % 2 == 0;
}

/// sum(v * w) / sum(w), truncated (Flink's documentation's WeightedAvg);
/// NULL without weight. Retracts and merges.
struct weighted_avg {
  struct accumulator {
    std::int64_t sum = 0;
    std::int64_t weight = 0;
  };
  accumulator create_accumulator() const { return {}; }
  void accumulate(accumulator& a, std::int64_t v, std::int32_t w) const {
    a.sum += v * w;
    a.weight += w;
  }
  void retract(accumulator& a, std::int64_t v, std::int32_t w) const {
    a.sum -= v * w;
    a.weight -= w;
  }
  void merge(accumulator& a, const accumulator& other) const {
    a.sum += other.sum;
    a.weight += other.weight;
  }
  std::optional<std::int64_t> get_value(const accumulator& a) const {
    if (a.weight == 0)
      return std::nullopt;
    return a.sum / a.weight;
  }
};

template <class Inspector>
auto inspect(Inspector& f, weighted_avg::accumulator& x) {
  return f(x.sum, x.weight);
}

/// The texts joined by '|' in the order they came; neither retracts nor
/// merges.
struct joined {
  struct accumulator {
    std::string text;
  };
  accumulator create_accumulator() const { return {}; }
  void accumulate(accumulator& a, const std::string& s) const {
    a.text += (a.text.empty() ? "" : "|") + s;
  }
  std::string get_value(const accumulator& a) const { return a.text; }
};

template <class Inspector>
auto inspect(Inspector& f, joined::accumulator& x) {
  return f(x.text);
}

} // namespace

FLINKCPP_SQL_AGGREGATE_FUNCTION(weighted_avg, "test.WeightedAvg");
FLINKCPP_SQL_AGGREGATE_FUNCTION(joined, "test.Joined");
FLINKCPP_SQL_FUNCTION(with_tax, "test.WithTax");
FLINKCPP_SQL_FUNCTION(initials, "test.Initials");
FLINKCPP_SQL_FUNCTION(is_even, "test.IsEven");
