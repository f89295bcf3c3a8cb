#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace flinkcpp {

/// Where a process keeps job libraries (shared objects defining jobs):
///
/// - uploaded ones, Flink's jars: POST /jars/upload stores each under the
///   upload directory (web.upload.dir) as "<32 hex>_<name>.so", its jar id,
///   until it is deleted;
/// - submitted ones: every process running a job keeps the bytes of its
///   library once, named by their digest, in the blob directory, and loads
///   the library from there.
///
/// Every write is durable and atomic (a reader never sees half a library).
/// Stateless apart from its two paths: any number of stores may share them,
/// and calls are thread-safe as the file system is.
class job_library_store {
public:
  struct jar {
    std::string id;   ///< "<32 hex>_<name>.so"
    std::string name; ///< the uploaded file's name, as stored
    std::string path;
    std::int64_t uploaded_ms = 0; ///< epoch milliseconds
  };

  /// A store uploading to `upload_dir` (empty: none; upload() fails) and
  /// keeping submitted libraries in `blob_dir`.
  explicit job_library_store(std::string upload_dir = {},
                             std::string blob_dir = default_blob_directory());

  /// <temp>/flink-cpp-blobs.
  static std::string default_blob_directory();

  /// The name a library uploaded as `file_name` is stored under: its base
  /// name with every character but letters, digits, '.', '_' and '-' as '_'.
  /// Fails unless that names a .so file.
  static result<std::string> jar_name_of(std::string_view file_name);

  /// Whether `text` is a jar id: "<32 hex>_<name>.so" and nothing that could
  /// reach outside the upload directory.
  static bool is_jar_id(std::string_view text);

  /// Stores `bytes`, uploaded as `file_name`, under a new jar id. Fails
  /// naming the file (jar_name_of; errc::invalid_argument) or what the file
  /// system said.
  result<jar> upload(std::string_view file_name, std::string_view bytes) const;

  /// The uploaded libraries, in directory order.
  std::vector<jar> list() const;

  /// The bytes of jar `id`; nullopt when there is no such jar (or `id` is not
  /// a jar id).
  std::optional<std::string> read(std::string_view id) const;

  /// Deletes jar `id`; false when there was none.
  bool remove(std::string_view id) const;

  /// The digest naming a submitted library: the lowercase hex SHA-256 of
  /// its `bytes` (a digest that fetched bytes are checked against).
  static std::string digest_of(std::string_view bytes);

  /// Whether `text` has a digest's form (64 lowercase hex digits).
  static bool is_digest(std::string_view text);

  /// Keeps the `bytes` of submitted library `digest` (written once) and
  /// returns the path to load it from. Fails when `digest` is not a digest
  /// or not the bytes' (errc::invalid_argument), or naming what the file
  /// system said.
  result<std::string> keep(std::string_view digest, std::string_view bytes) const;

  /// The path of submitted library `digest` if it is kept here.
  std::optional<std::string> kept(std::string_view digest) const;

private:
  /// Where submitted library `digest` is kept (a digest names no other path).
  std::string blob_path(std::string_view digest) const;

  std::string upload_dir_;
  std::string blob_dir_;
};

} // namespace flinkcpp
