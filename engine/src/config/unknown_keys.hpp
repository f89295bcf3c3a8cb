#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace flinkcpp {

/// What a key flink-cpp does not implement means for a process that finds it
/// in its configuration (README "Configuration" lists the classes).
enum class unknown_key_class {
  /// A Flink feature flink-cpp lacks, whose silent ignoring would weaken
  /// safety, security or durability (TLS asked for, ZooKeeper HA, unaligned
  /// checkpoints, another default file system): the process refuses to start.
  refused,
  /// A key that means nothing to a C++ runtime (JVM memory and options, class
  /// loading, Flink's native Kubernetes and YARN integration, ...): listed
  /// once at INFO as ignored.
  ignored,
  /// Anything else: a warning, with the closest known key as a hint.
  unknown,
};

struct unknown_key_verdict {
  unknown_key_class kind;
  /// Why (refused, ignored) or the hint (unknown: "did you mean ...?"), or
  /// empty.
  std::string reason;
};

/// Classifies `key`, set to `value`, that is not among `known_keys` (the
/// known keys, used for the hint). Pure; thread-safe.
unknown_key_verdict classify_unknown_key(std::string_view key, std::string_view value,
                                         const std::vector<std::string_view>& known_keys);

} // namespace flinkcpp
