#include "support/openapi_contract.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

namespace flinkcpp::testing {

namespace {

using nlohmann::json;

/// YAML as JSON: maps, lists, and scalars as strings (true/false as booleans).
json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& e : node)
        out[e.first.as<std::string>()] = to_json(e.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& e : node)
        out.push_back(to_json(e));
      return out;
    }
    case YAML::NodeType::Scalar: {
      auto text = node.as<std::string>();
      if (node.Tag() != "!" && (text == "true" || text == "false"))
        return text == "true";
      return text;
    }
    default:
      return nullptr;
  }
}

std::string lower(std::string text) {
  for (auto& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string type_of(const json& v) {
  if (v.is_null())
    return "null";
  if (v.is_boolean())
    return "boolean";
  if (v.is_number_integer())
    return "integer";
  if (v.is_number())
    return "number";
  if (v.is_string())
    return "string";
  if (v.is_array())
    return "array";
  return "object";
}

} // namespace

std::optional<openapi_contract> openapi_contract::load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return std::nullopt;
  try {
    return openapi_contract{to_json(YAML::LoadFile(path))};
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("cannot parse " + path + ": " + e.what());
  }
}

void openapi_contract::correct_schema(const std::string& name, json schema) {
  document_["components"]["schemas"][name] = std::move(schema);
}

std::vector<api_operation> openapi_contract::operations() const {
  std::vector<api_operation> out;
  for (const auto& [path, ops] : document_["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& c : m)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back({m, path});
    }
  return out;
}

const json* openapi_contract::operation(const api_operation& op) const {
  auto path = document_["paths"].find(op.path);
  if (path == document_["paths"].end())
    return nullptr;
  auto found = path->find(lower(op.method));
  return found == path->end() ? nullptr : &*found;
}

bool openapi_contract::has_response(const api_operation& op, int status) const {
  const auto* o = operation(op);
  return o != nullptr && o->contains("responses") &&
         (*o)["responses"].contains(std::to_string(status));
}

std::vector<int> openapi_contract::success_statuses(const api_operation& op) const {
  std::vector<int> out;
  const auto* o = operation(op);
  if (o == nullptr || !o->contains("responses"))
    return out;
  for (const auto& [code, r] : (*o)["responses"].items())
    if (code.size() == 3 && code[0] == '2')
      out.push_back(std::stoi(code));
  return out;
}

const json& openapi_contract::resolve(const json& schema, std::string& name) const {
  const json* s = &schema;
  while (s->contains("$ref")) {
    auto ref = (*s)["$ref"].get<std::string>();
    name = ref.substr(ref.rfind('/') + 1);
    s = &document_["components"]["schemas"][name];
  }
  return *s;
}

namespace {

/// An object schema's properties with the schema each is declared in, and
/// what it says of others, its allOf parts merged.
struct object_shape {
  std::map<std::string, std::pair<const json*, std::string>> properties;
  const json* additional = nullptr;
};

} // namespace

void openapi_contract::check(const json& given, const std::string& given_name, const json& value,
                             const std::string& where, std::vector<std::string>& out) const {
  std::string name = given_name;
  const json& schema = resolve(given, name);
  if (schema.contains("discriminator") && value.is_object()) {
    const auto& d = schema["discriminator"];
    auto property = d["propertyName"].get<std::string>();
    if (!value.contains(property) || !value[property].is_string()) {
      out.push_back(where + ": missing discriminator '" + property + "' (" + name + ")");
      return;
    }
    auto kind = value[property].get<std::string>();
    if (!d["mapping"].contains(kind)) {
      std::string kinds;
      for (const auto& [k, v] : d["mapping"].items())
        kinds += (kinds.empty() ? "" : ", ") + k;
      out.push_back(where + "." + property + ": '" + kind + "' is not one of " + kinds + " (" +
                    name + ")");
      return;
    }
    std::string mapped = name;
    const json& target = resolve(json{{"$ref", d["mapping"][kind]}}, mapped);
    // The mapped schema's allOf names this one again; its discriminator is done.
    json merged = json::object();
    merged["allOf"] = target.value("allOf", json::array({target}));
    check(merged, mapped, value, where, out);
    return;
  }
  if (schema.contains("oneOf")) {
    std::vector<std::string> best;
    bool first = true;
    for (const auto& alternative : schema["oneOf"]) {
      std::vector<std::string> found;
      check(alternative, name, value, where, found);
      if (found.empty())
        return;
      if (first || found.size() < best.size())
        best = std::move(found);
      first = false;
    }
    out.push_back(where + ": fits none of the oneOf alternatives of " + name + ", e.g.:");
    out.insert(out.end(), best.begin(), best.end());
    return;
  }
  bool is_object = schema.value("type", std::string{}) == "object" ||
                   schema.contains("properties") || schema.contains("allOf");
  if (is_object) {
    if (value.is_null())
      return; // an object reference may be null in Java
    if (!value.is_object()) {
      out.push_back(where + ": expected an object (" + name + "), got " + type_of(value));
      return;
    }
    object_shape shape;
    std::vector<std::pair<const json*, std::string>> parts{{&schema, name}};
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const json& part = *parts[i].first;
      // Pointers into the document: find(), never value(), which copies.
      if (auto properties = part.find("properties"); properties != part.end())
        for (const auto& [key, prop] : properties->items())
          shape.properties[key] = {&prop, parts[i].second};
      if (auto additional = part.find("additionalProperties"); additional != part.end())
        shape.additional = &*additional;
      if (auto all_of = part.find("allOf"); all_of != part.end())
        for (const auto& sub : *all_of) {
          std::string sub_name = parts[i].second;
          const json& resolved = resolve(sub, sub_name);
          parts.push_back({&resolved, sub_name});
        }
    }
    if (shape.properties.empty() && shape.additional == nullptr)
      return; // any object (RawJson, JobAccumulator)
    for (const auto& [key, declared] : shape.properties) {
      auto field = where + "." + key;
      if (!value.contains(key)) {
        if (!optional_.count(declared.second + "." + key))
          out.push_back(field + ": missing (" + declared.second + ")");
        continue;
      }
      check(*declared.first, declared.second, value[key], field, out);
    }
    for (const auto& [key, v] : value.items()) {
      if (shape.properties.count(key))
        continue;
      if (shape.additional != nullptr && shape.additional->is_object())
        check(*shape.additional, name, v, where + "." + key, out);
      else if (!(shape.additional != nullptr && shape.additional->is_boolean() &&
                 shape.additional->get<bool>()) &&
               !extra_.count(name + "." + key))
        out.push_back(where + "." + key + ": not a field of " + name);
    }
    return;
  }
  auto type = schema.value("type", std::string{});
  if (type.empty())
    return; // any value
  if (value.is_null()) {
    if (type == "integer" || type == "number" || type == "boolean")
      out.push_back(where + ": null where " + name + " has a " + type);
    return;
  }
  if (type == "array") {
    if (!value.is_array()) {
      out.push_back(where + ": expected an array, got " + type_of(value));
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i)
      check(schema["items"], name, value[i], where + "[" + std::to_string(i) + "]", out);
    return;
  }
  if (type == "integer") {
    if (!value.is_number_integer()) {
      out.push_back(where + ": expected an integer, got " + type_of(value) + " " + value.dump());
      return;
    }
    if (schema.value("format", std::string{}) == "int32") {
      auto v = value.is_number_unsigned() ? static_cast<double>(value.get<std::uint64_t>())
                                          : static_cast<double>(value.get<std::int64_t>());
      if (v < std::numeric_limits<std::int32_t>::min() ||
          v > std::numeric_limits<std::int32_t>::max())
        out.push_back(where + ": " + value.dump() + " does not fit an int32");
    }
    return;
  }
  if (type == "number") {
    if (!value.is_number())
      out.push_back(where + ": expected a number, got " + type_of(value));
    return;
  }
  if (type == "boolean") {
    if (!value.is_boolean())
      out.push_back(where + ": expected a boolean, got " + type_of(value));
    return;
  }
  if (type == "string") {
    if (!value.is_string()) {
      out.push_back(where + ": expected a string, got " + type_of(value) + " " + value.dump());
      return;
    }
    if (schema.contains("enum")) {
      const auto& values = schema["enum"];
      if (std::find(values.begin(), values.end(), value) == values.end())
        out.push_back(where + ": '" + value.get<std::string>() + "' is not a value of " + name);
    }
  }
}

std::vector<std::string> openapi_contract::check_response(const api_operation& op, int status,
                                                          const json& body) const {
  std::vector<std::string> out;
  const auto* o = operation(op);
  if (o == nullptr) {
    out.push_back(op.method + " " + op.path + " is not in the document");
    return out;
  }
  auto code = std::to_string(status);
  if (!(*o)["responses"].contains(code)) {
    out.push_back(op.method + " " + op.path + " answered HTTP " + code +
                  ", which the document does not give for it");
    return out;
  }
  const auto& response = (*o)["responses"][code];
  if (!response.contains("content"))
    return out;
  check(response["content"]["application/json"]["schema"], "response", body, "$", out);
  return out;
}

} // namespace flinkcpp::testing
