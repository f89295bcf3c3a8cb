#include "sql/functions/user_functions.hpp"

#include <filesystem>

#include <dlfcn.h>

#include "sql/functions/scalar_support.hpp"
#include "sql/sql_error.hpp"

namespace flinkcpp::sql {

data_type udf_type(sql_function_type t) {
  switch (t) {
    case sql_function_type::boolean:
      return make_type(type_root::boolean);
    case sql_function_type::integer:
      return make_type(type_root::integer);
    case sql_function_type::bigint:
      return make_type(type_root::bigint);
    case sql_function_type::double_:
      return make_type(type_root::double_);
    case sql_function_type::string:
      return make_varchar();
  }
  return make_varchar();
}

sql_value to_udf(const value& v, const data_type& from, sql_function_type to) {
  if (v.is_null())
    return sql_value{};
  switch (to) {
    case sql_function_type::boolean:
      return sql_value{v.integer != 0};
    case sql_function_type::integer:
      return sql_value{static_cast<std::int32_t>(v.integer)};
    case sql_function_type::bigint:
      return sql_value{v.integer};
    case sql_function_type::double_:
      return sql_value{to_double(v, from)};
    case sql_function_type::string:
      return sql_value{v.text};
  }
  return sql_value{};
}

value from_udf(const sql_value& v) {
  switch (v.index()) {
    case 1:
      return value::of_bool(std::get<bool>(v));
    case 2:
      return value::of(std::get<std::int32_t>(v));
    case 3:
      return value::of(std::get<std::int64_t>(v));
    case 4:
      return value::of_double(std::get<double>(v));
    case 5:
      return value::of_text(std::get<std::string>(v));
    default:
      return value{};
  }
}

namespace {

/// Throws sql_error when function `f` was built for another ABI.
void check_abi(const detail::sql_function_signature& f, position at) {
  if (f.built_for_abi != FLINKCPP_ABI_VERSION)
    throw sql_error(at, "the function '" + f.name + "' was built against flink-cpp " +
                          f.built_for_version + " (ABI " + std::to_string(f.built_for_abi) +
                          "); this is flink-cpp " + FLINKCPP_VERSION_STRING + " (ABI " +
                          std::to_string(FLINKCPP_ABI_VERSION) + ")");
}

void load_library(const std::string& uri, position at) {
  auto path = uri.rfind("local://", 0) == 0 ? uri.substr(8) : uri;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw sql_error(at, "the function library '" + uri + "' does not exist or is not a file");
  // Kept loaded for the process's lifetime: its functions run in subtasks.
  if (::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr)
    throw sql_error(at, "cannot load the function library '" + uri + "': " + ::dlerror());
}

} // namespace

void function_table::create(const std::string& name, const std::string& class_name,
                            const std::vector<std::string>& libraries, bool if_not_exists,
                            position at) {
  if (functions_.count(name) || aggregates_.count(name)) {
    if (if_not_exists)
      return;
    throw sql_error(at, "a function named '" + name + "' exists already");
  }
  for (const auto& library : libraries)
    load_library(library, at);
  if (const auto* a = detail::find_sql_aggregate(class_name)) {
    check_abi(*a, at);
    aggregates_.emplace(name, a);
    return;
  }
  const auto* f = detail::find_sql_function(class_name);
  if (!f) {
    std::string known;
    for (const auto& n : detail::sql_function_names())
      known += (known.empty() ? "" : ", ") + n;
    throw sql_error(at, "no library registers the function '" + class_name +
                          "' (FLINKCPP_SQL_FUNCTION(fn, \"" + class_name +
                          "\") or FLINKCPP_SQL_AGGREGATE_FUNCTION(type, \"" + class_name +
                          "\")); registered: " + (known.empty() ? "none" : known));
  }
  check_abi(*f, at);
  functions_.emplace(name, f);
}

bool function_table::drop(const std::string& name) {
  return functions_.erase(name) + aggregates_.erase(name) > 0;
}

const detail::sql_aggregate_definition*
function_table::find_aggregate(const std::string& name) const {
  auto it = aggregates_.find(name);
  return it == aggregates_.end() ? nullptr : it->second;
}

const detail::sql_function_definition* function_table::find(const std::string& name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second;
}

std::vector<sql_value> udf_arguments(const std::vector<scalar_ptr>& args,
                                     const std::vector<sql_function_type>& parameters,
                                     const row& in) {
  std::vector<sql_value> values;
  values.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i)
    values.push_back(to_udf(args[i]->eval(in), args[i]->type(), parameters[i]));
  return values;
}

void check_user_arguments(const std::string& name, const std::vector<sql_function_type>& parameters,
                          const std::vector<scalar_ptr>& args, position at) {
  std::string given;
  for (const auto& a : args)
    given += (given.empty() ? "" : ", ") + to_string(a->type());
  if (args.size() != parameters.size())
    throw sql_error(at, "no match for " + name + "(" + given + "): the function takes " +
                          std::to_string(parameters.size()) + " argument" +
                          (parameters.size() == 1 ? "" : "s"));
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto wanted = udf_type(parameters[i]);
    if (!compatible(args[i]->type(), wanted))
      throw sql_error(at, "no match for " + name + "(" + given + "): argument " +
                            std::to_string(i + 1) + " must be " + to_string(wanted));
  }
}

scalar_ptr compile_user_function(const std::string& name, const detail::sql_function_definition& f,
                                 std::vector<scalar_ptr> args, position at) {
  check_user_arguments(name, f.parameters, args, at);
  auto result = udf_type(f.result);
  result.nullable = true;
  return make_scalar(result, [&f, args = std::move(args)](const row& in) {
    return from_udf(f.call(udf_arguments(args, f.parameters, in)));
  });
}

} // namespace flinkcpp::sql
