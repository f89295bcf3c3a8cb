#include "checkpoint/storage/shared_state_files.hpp"

#include <charconv>
#include <filesystem>
#include <optional>
#include <system_error>

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view upload_marker = "-chk";

/// The checkpoint whose upload `name` is (a temporary file too), if it is
/// one of ours.
std::optional<std::int64_t> uploaded_by(const std::string& name) {
  auto at = name.rfind(upload_marker);
  if (at == std::string::npos)
    return std::nullopt;
  const char* begin = name.data() + at + upload_marker.size();
  const char* end = name.data() + name.size();
  std::int64_t id = 0;
  auto [next, ec] = std::from_chars(begin, end, id);
  if (ec != std::errc{} || next == begin || *next != '.')
    return std::nullopt;
  return id;
}

} // namespace

std::string shared_file_name(const std::string& store, std::uint64_t number,
                             checkpoint_id checkpoint) {
  return store + "-" + std::to_string(number) + std::string{upload_marker} +
         checkpoint.to_string() + ".ldb";
}

std::string shared_file_reference(const std::string& name) {
  return "../shared/" + name;
}

void sweep_shared_files(const std::string& shared_directory, checkpoint_id completed,
                        const std::set<std::string>& in_use) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(shared_directory, ec)) {
    auto name = entry.path().filename().string();
    auto id = uploaded_by(name);
    if (id && *id <= completed.value() && in_use.count(name) == 0)
      fs::remove(entry.path(), ec);
  }
}

} // namespace flinkcpp
