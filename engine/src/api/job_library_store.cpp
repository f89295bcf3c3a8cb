#include "api/job_library_store.hpp"

#include <cctype>
#include <chrono>
#include <filesystem>
#include <regex>

#include "util/durable_file.hpp"
#include "util/file_system.hpp"
#include "util/id.hpp"

namespace flinkcpp {

namespace fs = std::filesystem;

job_library_store::job_library_store(std::string upload_dir, std::string blob_dir)
  : upload_dir_(std::move(upload_dir)),
    blob_dir_(std::move(blob_dir)) {}

std::string job_library_store::default_blob_directory() {
  std::error_code ec;
  return (fs::temp_directory_path(ec) / "flink-cpp-blobs").string();
}

result<std::string> job_library_store::jar_name_of(std::string_view file_name) {
  auto name = fs::path{std::string{file_name}}.filename().string();
  for (auto& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '_' && ch != '-')
      ch = '_';
  if (name.size() < 4 || !name.ends_with(".so") || name[0] == '.')
    return failure{errc::invalid_argument,
                   "'" + std::string{file_name} + "' is not a job library: expected a .so file"};
  return name;
}

bool job_library_store::is_jar_id(std::string_view text) {
  static const std::regex form{R"(^[0-9a-f]{32}_[A-Za-z0-9][A-Za-z0-9._-]*\.so$)"};
  std::string s{text};
  return std::regex_match(s, form) && s.find("..") == std::string::npos;
}

result<job_library_store::jar> job_library_store::upload(std::string_view file_name,
                                                         std::string_view bytes) const {
  auto name = jar_name_of(file_name);
  if (!name)
    return failure{name.code(), name.error()};
  if (upload_dir_.empty())
    return failure{"this process takes no uploads (no web.upload.dir)"};
  jar j;
  j.id = job_id::random().to_string() + "_" + *name;
  j.name = *name;
  j.path = (fs::path{upload_dir_} / j.id).string();
  auto stored = file_system::current().create_directories(upload_dir_);
  if (stored)
    stored = create_file_durably(j.path, bytes);
  if (!stored)
    return failure{"cannot store the upload in " + upload_dir_ + ": " + stored.error()};
  j.uploaded_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return j;
}

std::vector<job_library_store::jar> job_library_store::list() const {
  std::vector<jar> out;
  if (upload_dir_.empty())
    return out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(upload_dir_, ec)) {
    auto id = e.path().filename().string();
    if (!is_jar_id(id))
      continue; // a write in progress, or not ours
    auto time = fs::last_write_time(e.path(), ec);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::file_clock::to_sys(time).time_since_epoch())
                .count();
    out.push_back({id, id.substr(33), e.path().string(), ms});
  }
  return out;
}

std::optional<std::string> job_library_store::read(std::string_view id) const {
  if (upload_dir_.empty() || !is_jar_id(id))
    return std::nullopt;
  auto bytes = read_file_bytes((fs::path{upload_dir_} / std::string{id}).string());
  if (!bytes)
    return std::nullopt;
  return std::move(*bytes);
}

bool job_library_store::remove(std::string_view id) const {
  if (upload_dir_.empty() || !is_jar_id(id))
    return false;
  auto& files = file_system::current();
  auto path = (fs::path{upload_dir_} / std::string{id}).string();
  return files.exists(path) && files.remove_file(path).ok();
}

result<std::string> job_library_store::keep(std::string_view bytes) const {
  auto& files = file_system::current();
  auto path =
    (fs::path{blob_dir_} / (operator_id::derived_from(bytes).to_string() + ".so")).string();
  if (files.exists(path))
    return path;
  auto stored = files.create_directories(blob_dir_);
  if (stored)
    stored = write_file_durably(path, bytes);
  if (!stored)
    return failure{"cannot store the uploaded job library: " + stored.error()};
  return path;
}

} // namespace flinkcpp
