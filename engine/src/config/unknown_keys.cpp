#include "config/unknown_keys.hpp"

#include <algorithm>

#include "config/config_values.hpp"

namespace flinkcpp {

namespace {

bool is_true(std::string_view value) {
  return to_lower(value) == "true";
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// Keys of Flink features flink-cpp lacks, refused when set as named.
struct refusal {
  std::string_view key;
  bool (*applies)(std::string_view value);
  std::string_view reason;
};

constexpr const char* shared_tls_key =
  "Flink 1.x's key for both kinds of TLS, which Flink 2.0 removed: set its "
  "security.ssl.internal.* and security.ssl.rest.* forms instead";

bool is_set(std::string_view value) {
  return !value.empty();
}

const refusal refusals[] = {
  {"security.ssl.keystore", is_set, shared_tls_key},
  {"security.ssl.keystore-password", is_set, shared_tls_key},
  {"security.ssl.key-password", is_set, shared_tls_key},
  {"security.ssl.truststore", is_set, shared_tls_key},
  {"security.ssl.truststore-password", is_set, shared_tls_key},
  {"security.ssl.internal.cert.fingerprint", is_set,
   "certificate pinning is not implemented in flink-cpp: internal connections accept every "
   "certificate security.ssl.internal.truststore trusts"},
  {"security.ssl.rest.cert.fingerprint", is_set,
   "certificate pinning is not implemented in flink-cpp: REST clients accept every "
   "certificate security.ssl.rest.truststore trusts"},
  {"execution.checkpointing.unaligned.enabled", is_true,
   "unaligned checkpoints are not implemented in flink-cpp: its checkpoints are aligned"},
  {"execution.checkpointing.unaligned", is_true,
   "unaligned checkpoints are not implemented in flink-cpp: its checkpoints are aligned"},
  {"execution.checkpointing.unaligned.forced", is_true,
   "unaligned checkpoints are not implemented in flink-cpp: its checkpoints are aligned"},
  {"queryable-state.enable", is_true,
   "queryable state is not implemented in flink-cpp (Flink deprecated it in 1.18 and removed it "
   "in 2.0): read state through a savepoint or the job's output instead"},
  {"fs.default-scheme",
   [](std::string_view value) {
     auto v = to_lower(value);
     return v != "file:///" && v != "file:/" && v != "file://";
   },
   "flink-cpp reads and writes local (or mounted) file systems only: paths without a scheme "
   "would not go to the file system this key names"},
};

/// Prefixes (or whole keys, ending without '.') of keys that mean nothing to
/// flink-cpp, with why.
struct ignored_group {
  std::string_view prefix;
  std::string_view reason;
};

const ignored_group ignored_groups[] = {
  {"taskmanager.memory.", "JVM memory sizing"},
  {"jobmanager.memory.", "JVM memory sizing"},
  {"jobmanager.heap.size", "JVM memory sizing"},
  {"taskmanager.heap.size", "JVM memory sizing"},
  {"taskmanager.jvm-exit-on-oom", "JVM behaviour"},
  {"env.", "options of Flink's shell scripts and JVM"},
  {"classloader.", "JVM class loading"},
  {"plugin.", "JVM plugin class loading"},
  {"akka.", "Flink's JVM RPC system"},
  {"pekko.", "Flink's JVM RPC system"},
  {"blob.", "Flink's BLOB server, which ships JVM jars"},
  {"kubernetes.", "Flink's native Kubernetes integration (the Helm chart deploys flink-cpp)"},
  {"yarn.", "Flink's YARN integration"},
  {"containerized.", "Flink's YARN and native Kubernetes integration"},
  {"security.ssl.provider", "the JDK's TLS provider choice (flink-cpp uses OpenSSL)"},
  {"security.ssl.internal.handshake-timeout", "Netty's TLS tuning"},
  {"security.ssl.internal.close-notify-flush-timeout", "Netty's TLS tuning"},
  {"security.ssl.internal.session-cache-size", "Netty's TLS tuning"},
  {"security.ssl.internal.session-timeout", "Netty's TLS tuning"},
  {"security.kerberos.", "Kerberos login for JVM connectors"},
  {"security.delegation.tokens", "Kerberos delegation tokens for JVM connectors"},
  {"security.module.factory.classes", "JVM security modules"},
  {"security.context.factory.classes", "JVM security contexts"},
  {"state.backend.rocksdb.", "RocksDB tuning; the leveldb backend has keys of its own"},
  {"fs.", "JVM file system plugins (flink-cpp writes local or mounted file systems)"},
  {"s3.", "JVM file system plugins (flink-cpp writes local or mounted file systems)"},
  {"hadoop.", "JVM file system plugins (flink-cpp writes local or mounted file systems)"},
  {"pipeline.jars", "JVM class path"},
  {"pipeline.classpaths", "JVM class path"},
  {"pipeline.generic-types", "JVM serialization"},
  {"pipeline.force-kryo", "JVM serialization"},
  {"pipeline.force-avro", "JVM serialization"},
  {"pipeline.auto-type-registration", "JVM serialization"},
  {"pipeline.serialization-config", "JVM serialization"},
  {"pipeline.default-kryo-serializers", "JVM serialization"},
  {"pipeline.registered-kryo-types", "JVM serialization"},
  {"pipeline.registered-pojo-types", "JVM serialization"},
  {"pipeline.closure-cleaner-level", "JVM serialization"},
  {"pipeline.object-reuse", "JVM object copies"},
  {"python.", "PyFlink"},
  {"queryable-state.", "queryable state, which flink-cpp lacks: its server stays off"},
  {"query.", "queryable state (Flink 1.x names), which flink-cpp lacks"},
};

bool in_group(std::string_view key, std::string_view prefix) {
  if (prefix.back() == '.')
    return starts_with(key, prefix);
  return key == prefix || starts_with(key, std::string{prefix} + ".");
}

/// Edit distance, for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

unknown_key_verdict classify_unknown_key(std::string_view key, std::string_view value,
                                         const std::vector<std::string_view>& known_keys) {
  for (const auto& r : refusals)
    if (key == r.key && r.applies(value))
      return {unknown_key_class::refused, std::string{r.reason}};
  for (const auto& g : ignored_groups)
    if (in_group(key, g.prefix))
      return {unknown_key_class::ignored, std::string{g.reason}};
  std::string_view best;
  auto best_distance = key.size();
  for (auto known : known_keys) {
    auto d = distance(to_lower(key), to_lower(known));
    if (d < best_distance) {
      best_distance = d;
      best = known;
    }
  }
  // Close enough to be a typo or another spelling: a few edits, or a quarter of the key.
  if (!best.empty() && best_distance <= std::max<std::size_t>(3, key.size() / 4))
    return {unknown_key_class::unknown, "did you mean '" + std::string{best} + "'?"};
  return {unknown_key_class::unknown, {}};
}

} // namespace flinkcpp
