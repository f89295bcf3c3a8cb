#pragma once

// The aggregate functions of grouped queries (COUNT, SUM, MIN, MAX, AVG;
// DISTINCT and FILTER (WHERE ...) on each; user-defined ones, with FILTER)
// over an accumulator per group:
// one vector of values for all calls of a query, each call owning a few
// slots. Accumulators are plain values, so they live in keyed state.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "flinkcpp/sql_function.hpp"
#include "sql/functions/scalar.hpp"

namespace flinkcpp::sql {

struct aggregate_call {
  std::string function; ///< COUNT, SUM, MIN, MAX, AVG, or a user-defined one's name
  scalar_ptr argument;  ///< null for COUNT(*) and user-defined functions
  scalar_ptr filter;    ///< FILTER (WHERE ...); null when none
  bool distinct = false;
  data_type result_type;
  /// A user-defined aggregate function (its accumulator one slot of bytes)
  /// and its arguments.
  const detail::sql_aggregate_definition* user = nullptr;
  std::vector<scalar_ptr> user_arguments;
};

/// Compiles the aggregate call `call` (COUNT(*), SUM(x), COUNT(DISTINCT x)
/// FILTER (WHERE ...), ...) against its input's columns. Throws sql_error
/// for an unknown aggregate, a wrong argument type, and nested aggregates.
aggregate_call compile_aggregate(const expr& call, const scope& input);

/// How many rows of a group hold a value for a DISTINCT call: `(call, v,
/// delta)` adds delta (+1 or -1) to the count of v and returns the new
/// count. A grouped operator keeps these counts in keyed map state.
using distinct_counter = std::function<std::int64_t(std::size_t, const value&, int)>;

/// The key a DISTINCT call's value is counted under: the call's index, then
/// the value, as bytes.
std::string distinct_key(std::size_t call, const value& v);

/// The DISTINCT calls' values of one group (a session), with their counts,
/// by distinct_key.
using distinct_values = std::map<std::string, std::int64_t>;

/// A distinct_counter over `values`, which must outlive it.
distinct_counter counter_over(distinct_values& values);

class aggregate_set {
public:
  explicit aggregate_set(std::vector<aggregate_call> calls);

  /// A new group's accumulator.
  std::vector<value> create() const;

  /// Adds `input` to the accumulator (or takes it out: `retract`).
  void accumulate(std::vector<value>& acc, const row& input, bool retract,
                  const distinct_counter& distinct) const;

  /// Adds the accumulator `from` into `into` (sessions merging); not for
  /// DISTINCT calls (their counts live outside the accumulator: see
  /// recompute_distinct).
  void merge(std::vector<value>& into, const std::vector<value>& from) const;

  /// Makes the DISTINCT calls' part of `acc` anew from the values `values`
  /// holds (each once): after sessions merged their values.
  void recompute_distinct(std::vector<value>& acc, const distinct_values& values) const;

  /// The calls' results, in call order.
  std::vector<value> results(const std::vector<value>& acc) const;

  /// Whether rows can be taken out again: MIN and MAX cannot (yet), nor
  /// user-defined functions without retract.
  bool retractable() const;

  /// The user-defined function among the calls that cannot merge
  /// accumulators (session windows need to), or null.
  const aggregate_call* unmergeable() const;

  bool has_distinct() const;

  const std::vector<aggregate_call>& calls() const { return calls_; }

private:
  /// Adds (sign 1) or takes out (-1) `v` to built-in call `i`'s slots.
  void add(std::vector<value>& acc, std::size_t i, const value& v, int sign) const;

  std::vector<aggregate_call> calls_;
  std::vector<std::size_t> first_slot_;
  std::size_t slots_ = 0;
};

} // namespace flinkcpp::sql
