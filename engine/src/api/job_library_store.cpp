#include "api/job_library_store.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <regex>

#include <openssl/sha.h>

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

std::string job_library_store::digest_of(std::string_view bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * digest.size());
  for (auto byte : digest) {
    text += hex[byte >> 4];
    text += hex[byte & 0xf];
  }
  return text;
}

bool job_library_store::is_digest(std::string_view text) {
  return text.size() == std::size_t{2} * SHA256_DIGEST_LENGTH &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string job_library_store::blob_path(std::string_view digest) const {
  return (fs::path{blob_dir_} / (std::string{digest} + ".so")).string();
}

std::optional<std::string> job_library_store::kept(std::string_view digest) const {
  if (!is_digest(digest))
    return std::nullopt;
  auto path = blob_path(digest);
  if (!file_system::current().exists(path))
    return std::nullopt;
  return path;
}

result<std::string> job_library_store::keep(std::string_view digest, std::string_view bytes) const {
  if (auto path = kept(digest))
    return *path;
  if (!is_digest(digest) || digest_of(bytes) != digest)
    return failure{errc::invalid_argument,
                   "the job library's bytes are not those of digest '" + std::string{digest} + "'"};
  auto& files = file_system::current();
  auto path = blob_path(digest);
  auto stored = files.create_directories(blob_dir_);
  if (stored)
    stored = write_file_durably(path, bytes);
  if (!stored)
    return failure{"cannot store the uploaded job library: " + stored.error()};
  return path;
}

} // namespace flinkcpp
