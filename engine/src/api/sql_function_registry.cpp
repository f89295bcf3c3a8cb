// The process-wide registry of user-defined SQL functions
// (flinkcpp/sql_function.hpp): filled while job libraries load.

#include <algorithm>
#include <deque>
#include <mutex>

#include "flinkcpp/sql_function.hpp"

namespace flinkcpp::detail {

namespace {

struct sql_function_registry {
  std::mutex mutex;
  std::deque<sql_function_definition> functions;
  std::deque<sql_aggregate_definition> aggregates;
};

sql_function_registry& registry() {
  static sql_function_registry instance;
  return instance;
}

} // namespace

sql_function_registrar::sql_function_registrar(sql_function_definition definition) {
  auto& r = registry();
  std::lock_guard<std::mutex> guard{r.mutex};
  r.functions.push_back(std::move(definition));
}

sql_aggregate_registrar::sql_aggregate_registrar(sql_aggregate_definition definition) {
  auto& r = registry();
  std::lock_guard<std::mutex> guard{r.mutex};
  r.aggregates.push_back(std::move(definition));
}

namespace {

/// The definition named `name` among `all`, or null.
template <class Definition>
const Definition* named(const std::deque<Definition>& all, const std::string& name) {
  auto& r = registry();
  std::lock_guard<std::mutex> guard{r.mutex};
  for (const auto& f : all)
    if (f.name == name)
      return &f;
  return nullptr;
}

} // namespace

const sql_function_definition* find_sql_function(const std::string& name) {
  return named(registry().functions, name);
}

const sql_aggregate_definition* find_sql_aggregate(const std::string& name) {
  return named(registry().aggregates, name);
}

std::vector<std::string> sql_function_names() {
  auto& r = registry();
  std::lock_guard<std::mutex> guard{r.mutex};
  std::vector<std::string> out;
  for (const auto& f : r.functions)
    out.push_back(f.name);
  for (const auto& f : r.aggregates)
    out.push_back(f.name);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace flinkcpp::detail
