#include "fuzz/fuzz_input.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "support/temp_dir.hpp"

namespace flinkcpp::fuzzing {

std::uint8_t fuzz_input::byte() {
  if (rest_.empty())
    return 0;
  auto b = static_cast<std::uint8_t>(rest_.front());
  rest_.remove_prefix(1);
  return b;
}

std::size_t fuzz_input::length() {
  std::size_t low = byte();
  return low | static_cast<std::size_t>(byte()) << 8;
}

std::string_view fuzz_input::take(std::size_t n) {
  auto piece = rest_.substr(0, n);
  rest_.remove_prefix(piece.size());
  return piece;
}

std::string_view fuzz_input::until(char separator) {
  auto end = rest_.find(separator);
  auto piece = rest_.substr(0, end);
  rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
  return piece;
}

std::vector<std::string> fuzz_input::split(char separator) {
  std::vector<std::string> pieces;
  while (!rest_.empty())
    pieces.emplace_back(until(separator));
  return pieces;
}

std::string_view fuzz_input::rest() {
  auto all = rest_;
  rest_ = {};
  return all;
}

namespace {

const testing::temp_dir& scratch() {
  static const testing::temp_dir dir;
  return dir;
}

} // namespace

std::string scratch_file(const std::string& name) {
  return scratch().file(name);
}

std::string write_scratch_file(const std::string& name, std::string_view bytes) {
  auto path = scratch_file(name);
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("fuzzing: cannot write " + path);
  return path;
}

void clear_scratch() {
  for (const auto& entry : std::filesystem::directory_iterator{scratch().path()})
    std::filesystem::remove_all(entry.path());
}

} // namespace flinkcpp::fuzzing
