#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/job_info.hpp"
#include "flinkcpp/configuration.hpp"
#include "metrics/metric_sample.hpp"
#include "metrics/process_usage.hpp"
#include "util/log_files.hpp"

namespace flinkcpp::rest {

// The cluster's resources in the JSON shapes Flink's REST API returns (field
// names, nesting, epoch-millisecond timestamps). Pure functions of their
// inputs; `now` is epoch milliseconds.

using json = nlohmann::json;

/// GET /config
json config_view(bool web_submit, bool web_cancel);

/// GET /overview
json overview_view(const std::vector<task_manager_status>& task_managers,
                   const std::vector<job_info>& jobs);

/// GET /taskmanagers: each with its hardware and memory (flink-cpp has no
/// JVM: the JVM's parts of Flink's memory model are 0, the process's memory
/// limit is its total process memory).
json task_managers_view(const std::vector<task_manager_status>& task_managers, std::int64_t now);

/// GET /taskmanagers/:taskmanagerid: also its allocated slots and memory
/// metrics from what it reported (`samples`, its taskmanager-scope metrics).
json task_manager_details_view(const task_manager_status& task_manager,
                               const std::vector<metric_sample>& samples, std::int64_t now);

/// GET /jobmanager/config, /jobs/:jobid/jobmanager/config: [{"key", "value"}],
/// sensitive values (passwords, tokens: is_sensitive_key) hidden.
json config_entries_view(const configuration& config);

/// GET /jobmanager/environment: Flink's EnvironmentInfo, with the engine in
/// place of the JVM (its version and architecture; `arguments` as its
/// options, sensitive -D values hidden; no class path).
json environment_view(const std::vector<std::string>& arguments);

/// GET /jobmanager/logs, /taskmanagers/:id/logs: {"logs": [{name, size, mtime}]}.
json log_list_view(const std::vector<log_file_info>& files);

/// GET /jobmanager/thread-dump, /taskmanagers/:id/thread-dump: each thread's
/// name and, as Java prints them, "\"name\" Id=<id> <STATE>".
json thread_dump_view(const std::vector<thread_snapshot>& threads);

/// An error body: {"errors": [message]}.
json error_view(const std::string& message);

/// `body` as the JSON text of a response. Strings that echo a request (a
/// path, a parameter) may hold bytes that are not UTF-8: each such byte
/// becomes U+FFFD instead of failing the response.
std::string response_text(const json& body);

} // namespace flinkcpp::rest
