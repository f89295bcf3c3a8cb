#include "sql/connectors/table_source_factory.hpp"

#include <map>
#include <utility>

namespace flinkcpp::sql {

namespace {

std::map<std::string, table_source_factory>& factories() {
  static std::map<std::string, table_source_factory> registered;
  return registered;
}

} // namespace

void register_table_source(const std::string& identifier, table_source_factory factory) {
  factories()[identifier] = std::move(factory);
}

const table_source_factory* find_table_source(const std::string& identifier) {
  auto i = factories().find(identifier);
  return i == factories().end() ? nullptr : &i->second;
}

std::vector<std::string> registered_table_sources() {
  std::vector<std::string> out;
  out.reserve(factories().size());
  for (const auto& [name, factory] : factories())
    out.push_back(name);
  return out;
}

} // namespace flinkcpp::sql
