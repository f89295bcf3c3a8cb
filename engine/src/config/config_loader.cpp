#include "config/config_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "config/core_options.hpp"

namespace flinkcpp {

namespace {

result<void> flatten(const YAML::Node& node, const std::string& prefix, configuration& out,
                     const std::string& file) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      for (const auto& entry : node) {
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
          return failure{"'" + file + "': the list under '" + prefix +
                         "' must hold plain values"};
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

} // namespace

result<configuration> read_config_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return failure{"configuration directory '" + dir + "' does not exist"};
  auto file = (fs::path{dir} / "config.yaml").string();
  if (!fs::exists(file, ec))
    return failure{"configuration directory '" + dir + "' has no config.yaml"};
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

result<void> apply_dynamic_properties(configuration& config,
                                      const std::vector<std::string>& properties) {
  for (const auto& p : properties) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return failure{"malformed -D '" + p + "': expected -D key=value"};
    config.set(p.substr(0, eq), p.substr(eq + 1));
  }
  return {};
}

result<void> validate_configuration(const configuration& config,
                                    std::vector<std::string>& warnings) {
  const auto& known = options::known_options();
  for (const auto& [key, value] : config.entries()) {
    auto option = std::find_if(known.begin(), known.end(),
                               [&](const option_info& o) { return o.key == key; });
    if (option == known.end()) {
      warnings.push_back("configuration key '" + key + "' is not used by flink-cpp; ignored");
      continue;
    }
    if (auto r = option->validate(value); !r)
      return failure{"invalid value '" + value + "' for configuration key '" + key +
                     "': expected " + r.error()};
  }
  return {};
}

result<configuration> load_configuration(const std::optional<std::string>& config_dir,
                                         const std::vector<std::string>& dynamic_properties,
                                         std::vector<std::string>& warnings) {
  configuration config;
  std::optional<std::string> dir = config_dir;
  if (!dir) {
    if (const char* env = std::getenv("FLINK_CONF_DIR"); env != nullptr && *env != '\0')
      dir = env;
  }
  if (dir) {
    auto read = read_config_dir(*dir);
    if (!read)
      return failure{read.error()};
    config = std::move(read.value());
  }
  if (auto r = apply_dynamic_properties(config, dynamic_properties); !r)
    return failure{r.error()};
  if (auto r = validate_configuration(config, warnings); !r)
    return failure{r.error()};
  return config;
}

} // namespace flinkcpp
