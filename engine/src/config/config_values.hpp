#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace flinkcpp {

// Parsers for configuration values in Flink's formats. Each failure names what
// a valid value looks like; the caller adds the key and the value.

/// `text` without leading and trailing white space (a view into `text`).
std::string_view trim(std::string_view text);

/// `text` with ASCII letters in lower case (keys and values compare so).
std::string to_lower(std::string_view text);

/// An integer in [min, max].
result<std::int64_t> parse_integer(std::string_view text, std::int64_t min, std::int64_t max);

/// A decimal number in [min, max].
result<double> parse_number(std::string_view text, double min, double max);

/// "true" or "false", any case.
result<bool> parse_boolean(std::string_view text);

/// Any text, as written (addresses, names, passwords): never fails.
result<std::string> parse_text(std::string_view text);

/// A duration as Flink writes it: a number and an optional unit (ns, us, ms,
/// s, min, h, d, and their long forms), spaces allowed; no unit means
/// milliseconds. "-1" is kept as -1 ms for keys where it disables something.
/// A duration beyond 2^63 ns (about 292 years) fails as too large.
result<std::chrono::milliseconds> parse_duration(std::string_view text);

/// A memory size as Flink writes it: a number and an optional unit (b, kb,
/// mb, gb, tb or k, m, g, t, any case); no unit means bytes. A size of 2^63
/// bytes (8 EiB) or more fails as too large.
result<std::uint64_t> parse_memory_size(std::string_view text);

/// A port or a range of ports: "9249" or "9250-9260" (first, last).
result<std::pair<int, int>> parse_port_range(std::string_view text);

/// A directory or file on a local (or mounted) file system, in any form Flink
/// accepts for one: "/abs", "file:/abs", "file:///abs" or
/// "file://localhost/abs" (percent escapes decoded). Returns the absolute path
/// the files are really at, lexically normalized, without a trailing '/'.
/// Refused, saying why: a relative path (it would depend on the working
/// directory), another host in a file: URI, any other scheme (s3://,
/// hdfs://, ...: flink-cpp cannot write them), and control characters (a
/// NUL, also %00, would cut the path short where the system reads it).
result<std::string> parse_local_path(std::string_view text);

/// The items of a comma-separated list, each trimmed; empty items dropped.
std::vector<std::string_view> list_items(std::string_view text);

/// Log levels per component, "taskexecutor=DEBUG,jobmaster=WARN"
/// (log.levels); each level one of TRACE, DEBUG, INFO, WARN, ERROR, OFF.
result<std::map<std::string, std::string>> parse_log_levels(std::string_view text);

/// Whether `key`'s value is a secret that REST and logs show only as
/// hidden_value: Flink's rule (GlobalConfiguration.isSensitive), a key whose
/// lowercase name contains "password", "secret", "token", "apikey", ...
bool is_sensitive_key(std::string_view key);

/// What REST shows in place of a sensitive value (Flink's "******").
inline constexpr std::string_view hidden_value = "******";

/// One of `choices` (compared ignoring case); returns the choice as written
/// in `choices`.
result<std::string> parse_choice(std::string_view text,
                                 const std::vector<std::string_view>& choices);

} // namespace flinkcpp
