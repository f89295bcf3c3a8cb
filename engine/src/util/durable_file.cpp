#include "util/durable_file.hpp"

#include <filesystem>
#include <functional>

#include <xxhash.h>

#include "util/file_system.hpp"

namespace flinkcpp {

namespace {

/// An xxh64 checksum computed piece by piece.
class xxh64_stream {
public:
  xxh64_stream() : state_(XXH64_createState()) { XXH64_reset(state_, 0); }
  ~xxh64_stream() { XXH64_freeState(state_); }
  xxh64_stream(const xxh64_stream&) = delete;
  xxh64_stream& operator=(const xxh64_stream&) = delete;

  void update(std::string_view bytes) { XXH64_update(state_, bytes.data(), bytes.size()); }
  std::uint64_t digest() const { return XXH64_digest(state_); }

private:
  XXH64_state_t* state_;
};

enum class placing { replace, no_replace };

/// Creates `path` as write_file_durably promises, with the content `fill`
/// appends to the file it is given.
result<void> create_durably(const std::string& path, placing how,
                            const std::function<result<void>(writable_file&)>& fill) {
  auto& fs = file_system::current();
  auto temporary = temporary_name_for(path);
  auto file = fs.open_for_write(temporary, file_system::create_mode::new_only);
  if (!file)
    return failure{file.error()};
  auto written = fill(**file);
  if (written)
    written = (*file)->sync_and_close();
  if (written)
    written =
      how == placing::replace ? fs.rename(temporary, path) : fs.rename_no_replace(temporary, path);
  if (!written) {
    (void)fs.remove_file(temporary);
    return written;
  }
  auto parent = std::filesystem::path{path}.parent_path().string();
  return fs.sync_directory(parent.empty() ? "." : parent);
}

} // namespace

result<void> write_file_durably(const std::string& path, std::string_view bytes) {
  return create_durably(path, placing::replace,
                        [&](writable_file& file) { return file.append(bytes); });
}

result<void> create_file_durably(const std::string& path, std::string_view bytes) {
  return create_durably(path, placing::no_replace,
                        [&](writable_file& file) { return file.append(bytes); });
}

result<std::uint64_t> copy_file_durably(const std::string& from, const std::string& to) {
  xxh64_stream hash;
  auto copied = create_durably(to, placing::replace, [&](writable_file& file) {
    return file_system::current().read_in_pieces(from, [&](std::string_view piece) {
      hash.update(piece);
      return file.append(piece);
    });
  });
  if (!copied)
    return failure{copied.error()};
  return hash.digest();
}

result<std::uint64_t> file_checksum(const std::string& path) {
  xxh64_stream hash;
  auto read =
    file_system::current().read_in_pieces(path, [&](std::string_view piece) -> result<void> {
      hash.update(piece);
      return {};
    });
  if (!read)
    return failure{read.error()};
  return hash.digest();
}

result<std::string> read_file_bytes(const std::string& path) {
  std::string bytes;
  auto read =
    file_system::current().read_in_pieces(path, [&](std::string_view piece) -> result<void> {
      bytes.append(piece);
      return {};
    });
  if (!read)
    return failure{read.error()};
  return bytes;
}

bool remove_tree(const std::string& path) {
  return file_system::current().remove_tree(path);
}

result<void> sync_directory(const std::string& path) {
  return file_system::current().sync_directory(path);
}

} // namespace flinkcpp
