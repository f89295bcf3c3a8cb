#include "config/config_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/core_options.hpp"
#include "config/flat_config.hpp"
#include "config/unknown_keys.hpp"
#include "util/logging.hpp"

namespace flinkcpp {

namespace {

result<void> flatten(const YAML::Node& node, const std::string& prefix, configuration& out,
                     const std::string& file) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      for (const auto& entry : node) {
        if (!entry.first.IsScalar())
          return failure{"'" + file + "', line " + std::to_string(entry.first.Mark().line + 1) +
                         ": a key " + (prefix.empty() ? "" : "under '" + prefix + "' ") +
                         "is not a plain name (a list or map is no configuration key)"};
        auto key = entry.first.as<std::string>();
        auto full = prefix.empty() ? key : prefix + "." + key;
        if (auto r = flatten(entry.second, full, out, file); !r)
          return r;
      }
      return {};
    case YAML::NodeType::Sequence: {
      // Flink's list values: items joined with ';'.
      std::string joined;
      for (const auto& item : node) {
        if (!item.IsScalar())
          return failure{"'" + file + "': the list under '" + prefix + "' must hold plain values"};
        joined += (joined.empty() ? "" : ";") + item.as<std::string>();
      }
      out.set(prefix, joined);
      return {};
    }
    case YAML::NodeType::Scalar:
      out.set(prefix, node.as<std::string>());
      return {};
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return {};
  }
  return {};
}

result<configuration> read_yaml_file(const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    return failure{"cannot parse '" + file + "': " + e.what()};
  }
  configuration config;
  if (root.IsNull())
    return config;
  if (!root.IsMap())
    return failure{"'" + file + "' must be a YAML map of configuration keys"};
  if (auto r = flatten(root, "", config, file); !r)
    return failure{r.error()};
  return config;
}

result<configuration> read_flat_file(const std::string& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    return failure{"cannot read '" + file + "'"};
  return parse_flat_config(text.str(), "'" + file + "'");
}

/// Every known key and deprecated name, for hints.
std::vector<std::string_view> all_key_names() {
  std::vector<std::string_view> names;
  for (const auto& o : options::known_options()) {
    names.push_back(o.key);
    for (const auto& d : o.deprecated_keys)
      names.push_back(d);
  }
  return names;
}

} // namespace

std::string config_report::ignored_line() const {
  if (ignored.empty())
    return {};
  std::string line = "configuration keys ignored (they mean nothing to flink-cpp): ";
  for (std::size_t i = 0; i < ignored.size(); ++i)
    line += (i == 0 ? "" : ", ") + ignored[i];
  return line;
}

void config_report::log() const {
  auto log = logger("config");
  for (const auto& w : warnings)
    log->warn("{}", w);
  if (!ignored.empty())
    log->info("{}", ignored_line());
}

result<configuration> read_config_dir(const std::string& dir, config_report& report) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return failure{"configuration directory '" + dir + "' does not exist"};
  auto yaml = (fs::path{dir} / "config.yaml").string();
  auto legacy = (fs::path{dir} / "flink-conf.yaml").string();
  bool has_yaml = fs::exists(yaml, ec);
  bool has_legacy = fs::exists(legacy, ec);
  if (!has_yaml && !has_legacy)
    return failure{"configuration directory '" + dir + "' has no config.yaml or flink-conf.yaml"};
  if (has_yaml && has_legacy)
    report.warnings.push_back("'" + dir + "' holds config.yaml and flink-conf.yaml: reading " +
                              "config.yaml, ignoring flink-conf.yaml (Flink's legacy format)");
  auto file = has_yaml ? yaml : legacy;
  auto read = has_yaml ? read_yaml_file(file) : read_flat_file(file);
  if (!read)
    return read;
  return normalize_keys(read.value(), "'" + file + "'", report);
}

result<configuration> normalize_keys(const configuration& layer, const std::string& source,
                                     config_report& report) {
  configuration out;
  std::map<std::string, std::string> named_as; // primary key -> the name its value came under
  for (const auto& [key, value] : layer.entries()) {
    std::string primary = key;
    for (const auto& o : options::known_options())
      if (std::find(o.deprecated_keys.begin(), o.deprecated_keys.end(), key) !=
          o.deprecated_keys.end()) {
        primary = o.key;
        // Checked here, where the key still has the name it was given.
        if (auto valid = o.validate(value); !valid)
          return failure{"invalid value '" + value + "' for configuration key '" + key +
                         "' (Flink 2.x: '" + primary + "'): expected " + valid.error()};
        report.warnings.push_back("configuration key '" + key + "' is deprecated; read as '" +
                                  primary + "' (Flink 2.x's name)");
      }
    if (auto earlier = out.get(primary); earlier && *earlier != value)
      return failure{source + " sets '" + named_as[primary] + "' to '" + *earlier + "' and '" +
                     key + "' to '" + value + "': they are one key ('" + primary +
                     "'); set it once"};
    if (!out.contains(primary) || primary == key)
      named_as[primary] = key;
    out.set(primary, value);
  }
  return out;
}

result<configuration> dynamic_properties(const std::vector<std::string>& properties,
                                         config_report& report) {
  configuration layer;
  for (const auto& p : properties) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return failure{"malformed -D '" + p + "': expected -D key=value"};
    layer.set(p.substr(0, eq), p.substr(eq + 1)); // the same key again: the last one wins
  }
  return normalize_keys(layer, "-D", report);
}

void apply_layer(configuration& config, const configuration& layer) {
  for (const auto& [key, value] : layer.entries())
    config.set(key, value);
}

result<void> validate_configuration(const configuration& config, config_report& report) {
  const auto& known = options::known_options();
  std::vector<std::string_view> names;
  for (const auto& [key, value] : config.entries()) {
    auto option = std::find_if(known.begin(), known.end(),
                               [&wanted = key](const option_info& o) { return o.key == wanted; });
    if (option != known.end()) {
      if (auto r = option->validate(value); !r)
        return failure{"invalid value '" + value + "' for configuration key '" + key +
                       "': expected " + r.error()};
      continue;
    }
    if (names.empty())
      names = all_key_names();
    auto verdict = classify_unknown_key(key, value, names);
    switch (verdict.kind) {
      case unknown_key_class::refused:
        return failure{"configuration key '" + key + "' is set to '" + value +
                       "', which flink-cpp cannot honour: " + verdict.reason};
      case unknown_key_class::ignored:
        report.ignored.push_back(key + " (" + verdict.reason + ")");
        break;
      case unknown_key_class::unknown:
        report.warnings.push_back("configuration key '" + key +
                                  "' is not used by flink-cpp; ignored" +
                                  (verdict.reason.empty() ? "" : " (" + verdict.reason + ")"));
        break;
    }
  }
  return {};
}

result<configuration> load_configuration(const std::optional<std::string>& config_dir,
                                         const std::vector<std::string>& properties,
                                         config_report& report) {
  configuration config;
  std::optional<std::string> dir = config_dir;
  if (!dir) {
    if (const char* env = std::getenv("FLINK_CONF_DIR"); env != nullptr && *env != '\0')
      dir = env;
  }
  if (dir) {
    auto read = read_config_dir(*dir, report);
    if (!read)
      return failure{read.error()};
    config = std::move(read.value());
  }
  if (const char* env = std::getenv("FLINK_PROPERTIES"); env != nullptr && *env != '\0') {
    auto parsed = parse_flat_config(env, "FLINK_PROPERTIES");
    if (!parsed)
      return failure{parsed.error()};
    auto layer = normalize_keys(parsed.value(), "FLINK_PROPERTIES", report);
    if (!layer)
      return failure{layer.error()};
    apply_layer(config, *layer);
  }
  auto overrides = dynamic_properties(properties, report);
  if (!overrides)
    return failure{overrides.error()};
  apply_layer(config, *overrides);
  if (auto r = validate_configuration(config, report); !r)
    return failure{r.error()};
  return config;
}

} // namespace flinkcpp
