#include "checkpoint/storage/checkpoint_metadata.hpp"

#include <filesystem>

#include "checkpoint/storage/sealed_file.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "util/durable_file.hpp"

namespace flinkcpp {

std::uint64_t state_size_of(const operator_subtask_state& s) {
  std::uint64_t total = s.has_keyed ? s.keyed.size : 0;
  for (const auto& l : s.lists)
    for (const auto& e : l.entries)
      total += e.size();
  return total;
}

std::uint64_t checkpointed_size_of(const operator_subtask_state& s, checkpoint_id id) {
  std::uint64_t shared = 0;
  for (const auto& t : s.keyed.tables)
    if (t.uploaded_by != id)
      shared += t.size;
  return state_size_of(s) - shared;
}

std::uint64_t checkpoint_metadata::state_size() const {
  std::uint64_t total = 0;
  for (const auto& op : operators)
    for (const auto& s : op.subtasks)
      total += state_size_of(s);
  return total;
}

std::uint64_t checkpoint_metadata::checkpointed_size() const {
  std::uint64_t total = 0;
  for (const auto& op : operators)
    for (const auto& s : op.subtasks)
      total += checkpointed_size_of(s, id);
  return total;
}

const std::string* checkpoint_metadata::coordinator_of(const operator_id& op) const {
  for (const auto& c : coordinators)
    if (c.op == op)
      return &c.state;
  return nullptr;
}

std::string checkpoint_directory_of(const std::string& path) {
  std::filesystem::path p{path};
  if (p.filename() == metadata_file_name)
    return p.parent_path().string();
  return p.string();
}

result<void> write_checkpoint_metadata(const std::string& directory,
                                       const checkpoint_metadata& metadata) {
  std::string payload;
  detail::binary_writer w{payload};
  w.write(metadata);
  auto path = (std::filesystem::path{directory} / metadata_file_name).string();
  return write_file_durably(path, seal(metadata_magic, metadata_version, payload));
}

result<checkpoint_metadata> read_checkpoint_metadata(const std::string& path) {
  auto file = (std::filesystem::path{checkpoint_directory_of(path)} / metadata_file_name).string();
  auto what = "checkpoint metadata '" + file + "'";
  auto bytes = read_file_bytes(file);
  if (!bytes)
    return failure{bytes.error()};
  bool without_coordinators = sealed_version(*bytes, metadata_magic) == 2u;
  auto payload = unseal(*bytes, metadata_magic, without_coordinators ? 2 : metadata_version, what);
  if (!payload)
    return failure{payload.error()};
  checkpoint_metadata metadata;
  try {
    detail::binary_reader r{payload->data(), payload->data() + payload->size()};
    if (without_coordinators)
      r(metadata.job, metadata.id, metadata.timestamp, metadata.savepoint, metadata.operators);
    else
      r.read(metadata);
    if (r.pos != r.end)
      return failure{what + " is corrupt: bytes after its content"};
  } catch (const detail::serialization_error& e) {
    return failure{what + " is corrupt: " + e.what()};
  }
  return metadata;
}

} // namespace flinkcpp
