#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Configuration as Flink has it: string values under dotted keys
/// ("parallelism.default" -> "4"), read from config.yaml and overridden with
/// `-D key=value`. By the time a job sees it, every known key has been
/// validated. A plain value type; not thread-safe for concurrent writes.
class configuration {
public:
  using entry_map = std::map<std::string, std::string, std::less<>>;

  /// Sets (or replaces) the value of `key`.
  void set(std::string key, std::string value) { entries_[std::move(key)] = std::move(value); }

  /// The raw value of `key`, if set.
  std::optional<std::string> get(std::string_view key) const {
    auto i = entries_.find(key);
    if (i == entries_.end())
      return std::nullopt;
    return i->second;
  }

  bool contains(std::string_view key) const { return entries_.find(key) != entries_.end(); }

  const entry_map& entries() const { return entries_; }

private:
  entry_map entries_;
};

} // namespace flinkcpp
FLINKCPP_API_END
