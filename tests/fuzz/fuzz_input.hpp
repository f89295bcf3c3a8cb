#pragma once

// What the fuzz targets share: a fuzz input cut into the pieces a target
// needs, and a scratch directory for targets whose code under test reads
// files. Not thread-safe (libFuzzer runs one input at a time).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flinkcpp::fuzzing {

/// Cuts a fuzz input into pieces, front to back: what is taken is consumed;
/// past the end, bytes are 0 and texts empty. Deterministic, so that a saved
/// input replays the same way. Views point into the input.
class fuzz_input {
public:
  fuzz_input(const std::uint8_t* data, std::size_t size)
    : rest_(reinterpret_cast<const char*>(data), size) {}

  bool empty() const { return rest_.empty(); }

  /// The next byte.
  std::uint8_t byte();

  /// A length in [0, 65535] from the next two bytes, little-endian.
  std::size_t length();

  /// The next `n` bytes (fewer at the end).
  std::string_view take(std::size_t n);

  /// The bytes up to the next `separator` (which is consumed, not
  /// included), or up to the end.
  std::string_view until(char separator);

  /// Pieces separated by `separator` until the end.
  std::vector<std::string> split(char separator);

  /// Everything left.
  std::string_view rest();

private:
  std::string_view rest_;
};

/// The path of `name` in a directory of this process's own, created on
/// first use and removed when the process exits normally.
std::string scratch_file(const std::string& name);

/// Writes `bytes` to scratch_file(`name`) (replacing it) and returns its path.
std::string write_scratch_file(const std::string& name, std::string_view bytes);

/// Removes everything in the scratch directory.
void clear_scratch();

} // namespace flinkcpp::fuzzing
