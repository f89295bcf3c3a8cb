#include "rest/cluster_views.hpp"

#include <sys/utsname.h>

#include "config/config_values.hpp"
#include "flinkcpp/version.hpp"

namespace flinkcpp::rest {

namespace {

/// Flink's ResourceProfileInfo of `slots` slots of a taskmanager.
json resource_profile(const task_manager_status& tm, int slots) {
  double share = tm.slots > 0 ? static_cast<double>(slots) / tm.slots : 0.0;
  return {{"cpuCores", tm.hardware.cpu_cores * share},
          {"taskHeapMemory", 0},
          {"taskOffHeapMemory", 0},
          {"managedMemory", 0},
          {"networkMemory", 0},
          {"extendedResources", json::object()}};
}

json task_manager_base(const task_manager_status& tm, std::int64_t now) {
  const auto& h = tm.hardware;
  return {{"id", tm.id},
          {"path", "flink-cpp://" + tm.host + ":" + std::to_string(tm.data_port)},
          {"dataPort", tm.data_port},
          {"jmxPort", -1},
          {"timeSinceLastHeartbeat", now - tm.last_heartbeat},
          {"slotsNumber", tm.slots},
          {"freeSlots", tm.free_slots},
          {"totalResource", resource_profile(tm, tm.slots)},
          {"freeResource", resource_profile(tm, tm.free_slots)},
          {"hardware",
           {{"cpuCores", h.cpu_cores},
            {"physicalMemory", h.physical_memory},
            {"freeMemory", h.free_memory},
            {"managedMemory", 0}}},
          {"memoryConfiguration",
           {{"frameworkHeap", 0},
            {"taskHeap", 0},
            {"frameworkOffHeap", 0},
            {"taskOffHeap", 0},
            {"networkMemory", 0},
            {"managedMemory", 0},
            {"jvmMetaspace", 0},
            {"jvmOverhead", 0},
            {"totalFlinkMemory", h.memory_limit},
            {"totalProcessMemory", h.memory_limit}}},
          {"blocked", false}};
}

double value_of(const std::vector<metric_sample>& samples, const std::string& name) {
  for (const auto& s : samples)
    if (s.name == name)
      return s.value;
  return 0;
}

} // namespace

json config_view(bool web_submit, bool web_cancel) {
  return {{"refresh-interval", 3000},
          {"timezone-name", "Coordinated Universal Time"},
          {"timezone-offset", 0},
          {"flink-version", FLINKCPP_VERSION_STRING},
          {"flink-revision", "flink-cpp"},
          {"features",
           {{"web-submit", web_submit},
            {"web-cancel", web_cancel},
            {"web-rescale", false},
            {"web-history", false}}}};
}

json overview_view(const std::vector<task_manager_status>& task_managers,
                   const std::vector<job_info>& jobs) {
  int slots = 0;
  int free = 0;
  for (const auto& tm : task_managers) {
    slots += tm.slots;
    free += tm.free_slots;
  }
  int running = 0, finished = 0, cancelled = 0, failed = 0;
  for (const auto& j : jobs) {
    switch (j.status) {
      case job_status::finished:
        ++finished;
        break;
      case job_status::canceled:
        ++cancelled;
        break;
      case job_status::failed:
        ++failed;
        break;
      default:
        ++running;
    }
  }
  return {{"taskmanagers", static_cast<int>(task_managers.size())},
          {"taskmanagers-blocked", 0},
          {"slots-total", slots},
          {"slots-available", free},
          {"slots-free-and-blocked", 0},
          {"jobs-running", running},
          {"jobs-finished", finished},
          {"jobs-cancelled", cancelled},
          {"jobs-failed", failed},
          {"flink-version", FLINKCPP_VERSION_STRING},
          {"flink-commit", "flink-cpp"}};
}

json task_managers_view(const std::vector<task_manager_status>& task_managers, std::int64_t now) {
  json list = json::array();
  for (const auto& tm : task_managers)
    list.push_back(task_manager_base(tm, now));
  return {{"taskmanagers", list}};
}

json task_manager_details_view(const task_manager_status& tm,
                               const std::vector<metric_sample>& samples, std::int64_t now) {
  auto view = task_manager_base(tm, now);
  json slots = json::array();
  for (const auto& job : tm.slot_jobs)
    slots.push_back({{"jobId", job.to_string()}, {"resource", resource_profile(tm, 1)}});
  view["allocatedSlots"] = slots;
  // No JVM heap: the process's resident memory stands for the heap in use,
  // its memory limit for the most it may grow to.
  auto rss = static_cast<std::int64_t>(value_of(samples, "Status.Process.Memory.RSS"));
  view["metrics"] = {{"heapUsed", rss},
                     {"heapCommitted", rss},
                     {"heapMax", tm.hardware.memory_limit},
                     {"nonHeapUsed", 0},
                     {"nonHeapCommitted", 0},
                     {"nonHeapMax", 0},
                     {"directCount", 0},
                     {"directUsed", 0},
                     {"directMax", 0},
                     {"mappedCount", 0},
                     {"mappedUsed", 0},
                     {"mappedMax", 0},
                     {"memorySegmentsAvailable", 0},
                     {"memorySegmentsTotal", 0},
                     {"nettyShuffleMemorySegmentsAvailable", 0},
                     {"nettyShuffleMemorySegmentsUsed", 0},
                     {"nettyShuffleMemorySegmentsTotal", 0},
                     {"nettyShuffleMemoryAvailable", 0},
                     {"nettyShuffleMemoryUsed", 0},
                     {"nettyShuffleMemoryTotal", 0},
                     {"garbageCollectors", json::array()}};
  return view;
}

json config_entries_view(const configuration& config) {
  json list = json::array();
  for (const auto& [key, value] : config.entries())
    list.push_back({{"key", key}, {"value", is_sensitive_key(key) ? hidden_value : value}});
  return list;
}

namespace {

/// `argument` with the value of a sensitive "-Dkey=value" or "key=value"
/// hidden.
std::string without_secret(const std::string& argument) {
  auto equals = argument.find('=');
  if (equals == std::string::npos)
    return argument;
  auto key = std::string_view{argument}.substr(0, equals);
  if (key.rfind("-D", 0) == 0)
    key.remove_prefix(2);
  if (!is_sensitive_key(key))
    return argument;
  return argument.substr(0, equals + 1) + std::string{hidden_value};
}

} // namespace

json environment_view(const std::vector<std::string>& arguments) {
  std::vector<std::string> shown;
  shown.reserve(arguments.size());
  for (const auto& a : arguments)
    shown.push_back(without_secret(a));
  utsname host{};
  ::uname(&host);
  return {{"jvm",
           {{"version", std::string{"flink-cpp "} + FLINKCPP_VERSION_STRING + " (C++, CAF 0.17)"},
            {"arch", host.machine},
            {"options", shown}}},
          {"classpath", json::array()}};
}

json log_list_view(const std::vector<log_file_info>& files) {
  json list = json::array();
  for (const auto& f : files)
    list.push_back({{"name", f.name}, {"size", f.size}, {"mtime", f.mtime}});
  return {{"logs", list}};
}

json thread_dump_view(const std::vector<thread_snapshot>& threads) {
  json list = json::array();
  for (const auto& t : threads)
    list.push_back({{"threadName", t.name},
                    {"stringifiedThreadInfo",
                     "\"" + t.name + "\" Id=" + std::to_string(t.id) + " " + t.state + "\n"}});
  return {{"threadInfos", list}};
}

json error_view(const std::string& message) {
  return {{"errors", json::array({message})}};
}

std::string response_text(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace flinkcpp::rest
