#pragma once

#include <map>

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace flinkcpp {

/// Where log lines go: processes that run in a pod log to stdout (what
/// `kubectl logs` shows); the client logs to stderr so that a job's printed
/// results alone reach stdout.
enum class log_destination { standard_output, standard_error };

/// Configures logging for the whole process. Call once, early, before other
/// threads start; later calls replace the settings. `level` is one of TRACE,
/// DEBUG, INFO, WARN, ERROR, OFF (case-insensitive; validated by the config);
/// `per_component` overrides it for the components it names (log.levels).
void init_logging(log_destination destination, std::string_view level,
                  const std::map<std::string, std::string>& per_component = {});

/// The logger of one component ("jobmaster", "taskexecutor", "task", ...).
/// Thread-safe; loggers live until process exit.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

} // namespace flinkcpp
