#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace flinkcpp {

/// A known configuration key with its type, default, parser and meaning
/// (Flink's ConfigOption). `key` is Flink 2.x's name; `deprecated_keys` are
/// the older names Flink still reads (its withDeprecatedKeys), which the
/// configuration loader turns into `key` before anything reads it.
/// Immutable; thread-safe.
template <class T>
class config_option {
public:
  /// Parses a value's text, or says what a valid value looks like.
  using parser = std::function<result<T>(std::string_view)>;

  config_option(std::string key, T default_value, parser parse, std::string description,
                std::vector<std::string> deprecated_keys = {})
    : key_(std::move(key)),
      default_(std::move(default_value)),
      parse_(std::move(parse)),
      description_(std::move(description)),
      deprecated_keys_(std::move(deprecated_keys)) {}

  const std::string& key() const { return key_; }
  const std::vector<std::string>& deprecated_keys() const { return deprecated_keys_; }
  const std::string& description() const { return description_; }
  const T& default_value() const { return default_; }

  result<T> parse(std::string_view text) const { return parse_(text); }

  bool is_set(const configuration& config) const { return config.contains(key_); }

  /// The value in `config`, or the default when unset. `config` must have
  /// passed validate_configuration (else std::logic_error).
  T get(const configuration& config) const {
    auto text = config.get(key_);
    if (!text)
      return default_;
    auto value = parse_(*text);
    if (!value)
      throw std::logic_error("configuration key '" + key_ + "' read before validation");
    return std::move(value).value();
  }

private:
  std::string key_;
  T default_;
  parser parse_;
  std::string description_;
  std::vector<std::string> deprecated_keys_;
};

/// A known key, type-erased, for validation and documentation.
struct option_info {
  std::string key;
  std::vector<std::string> deprecated_keys;
  std::string description;
  /// Empty message when valid, else what a valid value looks like.
  std::function<result<void>(std::string_view)> validate;
};

template <class T>
option_info describe(const config_option<T>& option) {
  return {option.key(), option.deprecated_keys(), option.description(),
          [&option](std::string_view text) -> result<void> {
            auto value = option.parse(text);
            if (!value)
              return failure{value.error()};
            return {};
          }};
}

} // namespace flinkcpp
