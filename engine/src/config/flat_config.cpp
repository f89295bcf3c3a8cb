#include "config/flat_config.hpp"

#include "config/config_values.hpp"

namespace flinkcpp {

result<configuration> parse_flat_config(std::string_view text, const std::string& source) {
  configuration config;
  int number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    auto line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++number;
    auto content = trim(line.substr(0, line.find('#')));
    if (content.empty())
      continue;
    auto where = source + ":" + std::to_string(number);
    auto separator = content.find(": ");
    if (separator == std::string_view::npos) {
      // "key:" at the end of a line has no value either.
      return failure{where + ": '" + std::string{content} +
                     "' is not a 'key: value' pair (a space must follow the ':')"};
    }
    auto key = trim(content.substr(0, separator));
    auto value = trim(content.substr(separator + 2));
    if (key.empty() || value.empty())
      return failure{where + ": '" + std::string{content} + "' has an empty " +
                     (key.empty() ? "key" : "value")};
    config.set(std::string{key}, std::string{value});
  }
  return config;
}

} // namespace flinkcpp
