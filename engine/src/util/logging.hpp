#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "util/result.hpp"

namespace flinkcpp {

/// Where log lines go: processes that run in a pod log to stdout (what
/// `kubectl logs` shows); the client logs to stderr so that a job's printed
/// results alone reach stdout.
enum class log_destination { standard_output, standard_error };

/// A log file rotates at this size, keeping this many files (log.file, as
/// Flink's log4j configuration rotates its log).
constexpr std::size_t log_file_max_size = 100u << 20;
constexpr std::size_t log_file_max_files = 10;

/// Configures logging for the whole process. Call early, before other threads
/// start; later calls replace the settings. `level` is one of TRACE, DEBUG,
/// INFO, WARN, ERROR, OFF (case-insensitive; validated by the config);
/// `per_component` overrides it for the components it names (log.levels).
/// With `log_file`, lines also go to that file, which rotates (file.1, ...).
/// Levels are written as log4j writes them (INFO, WARN, ERROR). Fails only
/// when the log file cannot be opened; logging then stays as it was.
result<void> init_logging(log_destination destination, std::string_view level,
                          const std::map<std::string, std::string>& per_component = {},
                          const std::string& log_file = {});

/// The logger of one component ("jobmaster", "taskexecutor", "task", ...).
/// Thread-safe; loggers live until process exit.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

} // namespace flinkcpp
