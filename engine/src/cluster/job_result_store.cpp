#include "cluster/job_result_store.hpp"

#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

#include "checkpoint/storage/durable_file.hpp"

namespace flinkcpp {

namespace fs = std::filesystem;

std::string job_result_store::path_of(const job_id& job) const {
  return (fs::path{directory_} / (job.to_string() + ".json")).string();
}

result<std::optional<std::string>> job_result_store::find(const job_id& job) const {
  auto path = path_of(job);
  std::error_code ec;
  if (!fs::exists(path, ec))
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
  std::error_code ec;
  fs::create_directories(directory_, ec);
  if (ec)
    return failure{"cannot create the job result store " + directory_ + ": " + ec.message()};
  nlohmann::json json{{"job_id", job.to_string()}, {"state", status}};
  return write_file_durably(path_of(job), json.dump() + "\n");
}

} // namespace flinkcpp
