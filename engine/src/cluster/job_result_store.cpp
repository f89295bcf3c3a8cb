#include "cluster/job_result_store.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "util/durable_file.hpp"
#include "util/file_system.hpp"

namespace flinkcpp {

namespace fs = std::filesystem;

std::string job_result_store::path_of(const job_id& job) const {
  return (fs::path{directory_} / (job.to_string() + ".json")).string();
}

result<std::optional<std::string>> job_result_store::find(const job_id& job) const {
  auto path = path_of(job);
  if (!file_system::current().exists(path))
    return std::optional<std::string>{};
  auto bytes = read_file_bytes(path);
  if (!bytes)
    return failure{bytes.error()};
  auto json = nlohmann::json::parse(*bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("state") ||
      !json["state"].is_string())
    return failure{"the job result " + path +
                   " is not a JSON object with a 'state' "
                   "(it was written by another program, or damaged)"};
  return std::optional<std::string>{json["state"].get<std::string>()};
}

result<void> job_result_store::record(const job_id& job, const std::string& status) const {
  if (auto created = file_system::current().create_directories(directory_); !created)
    return failure{"cannot create the job result store: " + created.error()};
  nlohmann::json json{{"job_id", job.to_string()}, {"state", status}};
  return write_file_durably(path_of(job), json.dump() + "\n");
}

} // namespace flinkcpp
