#include "util/logging.hpp"

#include <cctype>
#include <map>
#include <mutex>
#include <unordered_map>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace flinkcpp {

namespace {

struct logging_state {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_sink_mt>()};
  spdlog::level::level_enum level = spdlog::level::info;
  std::map<std::string, spdlog::level::level_enum> component_levels;
  std::unordered_map<std::string, std::shared_ptr<spdlog::logger>> loggers;
};

logging_state& state() {
  static logging_state instance;
  return instance;
}

/// The level as log4j writes it (INFO, WARN, ...), the %L of log_pattern.
class log4j_level final : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr std::string_view names[] = {"TRACE", "DEBUG", "INFO", "WARN",
                                                 "ERROR", "FATAL", "OFF"};
    auto name = names[static_cast<int>(msg.level)];
    dest.append(name.data(), name.data() + name.size());
    for (auto i = name.size(); i < 5; ++i) // log4j's %-5p
      dest.push_back(' ');
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<log4j_level>();
  }
};

// Time, level and component, then the message: readable in `kubectl logs`.
constexpr const char* log_pattern = "%Y-%m-%d %H:%M:%S,%e %L %-12n %v";

std::unique_ptr<spdlog::formatter> make_formatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<log4j_level>('L').set_pattern(log_pattern);
  return formatter;
}

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

result<void> init_logging(log_destination destination, std::string_view level,
                          const std::map<std::string, std::string>& per_component,
                          const std::string& log_file) {
  std::vector<spdlog::sink_ptr> sinks;
  if (destination == log_destination::standard_output)
    sinks.push_back(std::make_shared<spdlog::sinks::stdout_sink_mt>());
  else
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!log_file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        log_file, log_file_max_size, log_file_max_files));
    } catch (const spdlog::spdlog_ex& e) {
      return failure{"cannot write the log file '" + log_file + "' (log.file): " + e.what()};
    }
  }
  for (auto& sink : sinks)
    sink->set_formatter(make_formatter());
  auto& s = state();
  std::lock_guard<std::mutex> guard{s.mutex};
  s.sinks = std::move(sinks);
  s.level = level_of(level);
  s.component_levels.clear();
  for (const auto& [component, l] : per_component)
    s.component_levels[component] = level_of(l);
  for (auto& [name, log] : s.loggers) {
    log->sinks() = s.sinks;
    log->set_level(level_for(s, name));
  }
  return {};
}

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  auto& s = state();
  std::lock_guard<std::mutex> guard{s.mutex};
  auto i = s.loggers.find(component);
  if (i != s.loggers.end())
    return i->second;
  for (auto& sink : s.sinks)
    sink->set_formatter(make_formatter());
  auto log = std::make_shared<spdlog::logger>(component, s.sinks.begin(), s.sinks.end());
  log->set_level(level_for(s, component));
  // Every line reaches the console and the log file at once (as log4j's
  // immediateFlush): a process killed leaves its last lines behind.
  log->flush_on(spdlog::level::trace);
  s.loggers.emplace(component, log);
  return log;
}

} // namespace flinkcpp
