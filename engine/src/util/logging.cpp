#include "util/logging.hpp"

#include <cctype>
#include <map>
#include <mutex>
#include <unordered_map>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace flinkcpp {

namespace {

struct logging_state {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum level = spdlog::level::info;
  std::map<std::string, spdlog::level::level_enum> component_levels;
  std::unordered_map<std::string, std::shared_ptr<spdlog::logger>> loggers;
};

logging_state& state() {
  static logging_state instance;
  return instance;
}

// Time, level and component, then the message: readable in `kubectl logs`.
constexpr const char* log_pattern = "%Y-%m-%d %H:%M:%S,%e %-5l %-12n %v";

spdlog::level::level_enum level_of(std::string_view level) {
  std::string lowered{level};
  for (auto& c : lowered)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowered == "warn")
    lowered = "warning";
  return spdlog::level::from_str(lowered);
}

spdlog::level::level_enum level_for(const logging_state& s, const std::string& component) {
  auto i = s.component_levels.find(component);
  return i == s.component_levels.end() ? s.level : i->second;
}

} // namespace

void init_logging(log_destination destination, std::string_view level,
                  const std::map<std::string, std::string>& per_component) {
  auto& s = state();
  std::lock_guard<std::mutex> guard{s.mutex};
  if (destination == log_destination::standard_output)
    s.sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  else
    s.sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  s.sink->set_pattern(log_pattern);
  s.level = level_of(level);
  s.component_levels.clear();
  for (const auto& [component, l] : per_component)
    s.component_levels[component] = level_of(l);
  for (auto& [name, log] : s.loggers) {
    log->sinks().assign(1, s.sink);
    log->set_level(level_for(s, name));
  }
}

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  auto& s = state();
  std::lock_guard<std::mutex> guard{s.mutex};
  auto i = s.loggers.find(component);
  if (i != s.loggers.end())
    return i->second;
  s.sink->set_pattern(log_pattern);
  auto log = std::make_shared<spdlog::logger>(component, s.sink);
  log->set_level(level_for(s, component));
  s.loggers.emplace(component, log);
  return log;
}

} // namespace flinkcpp
