#include "checkpoint/storage/keyed_state_file.hpp"

#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "checkpoint/storage/sealed_file.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "util/durable_file.hpp"

namespace flinkcpp {

result<keyed_state_handle>
write_keyed_state_file(const std::string& directory, const std::string& name,
                       spi::key_group_range range,
                       const std::function<void(const spi::key_group_sink&)>& produce) {
  auto path = (std::filesystem::path{directory} / name).string();
  sealed_file_writer out{path, keyed_state_magic, keyed_state_version};
  if (!out.ok())
    return failure{out.error()};
  std::string header;
  detail::binary_writer w{header};
  w.write(static_cast<std::int32_t>(range.begin));
  w.write(static_cast<std::int32_t>(range.end));
  out.append(header);
  int last = range.begin - 1;
  std::string frame;
  produce([&](int group, std::string_view bytes) {
    if (group <= last || !range.contains(group))
      throw std::logic_error("flink-cpp: key group " + std::to_string(group) +
                             " written out of order or outside its subtask's range");
    last = group;
    frame.clear();
    detail::binary_writer f{frame};
    f.write_varint(static_cast<std::uint64_t>(group));
    f.write_varint(bytes.size());
    out.append(frame);
    out.append(bytes);
  });
  auto done = out.finish();
  if (!done)
    return failure{done.error()};
  keyed_state_handle h;
  h.file = name;
  h.checksum = done->first;
  h.size = done->second;
  h.first_group = range.begin;
  h.end_group = range.end;
  return h;
}

result<void> for_each_keyed_state_group(const std::string& directory,
                                        const keyed_state_handle& handle,
                                        spi::key_group_range wanted,
                                        const key_group_visitor& visit) {
  auto path = (std::filesystem::path{directory} / handle.file).string();
  auto what = "checkpoint state file '" + path + "'";
  sealed_file_reader in{path, keyed_state_magic, keyed_state_version, what};
  if (!in.ok())
    return failure{in.error()};
  if (in.file_size() != handle.size)
    return failure{what + " is not the file its checkpoint recorded (size differs)"};
  std::string bytes;
  auto header = in.read(2 * sizeof(std::int32_t), bytes);
  if (!header)
    return header;
  std::int32_t begin = 0;
  std::int32_t end = 0;
  std::memcpy(&begin, bytes.data(), sizeof begin);
  std::memcpy(&end, bytes.data() + sizeof begin, sizeof end);
  while (in.remaining() > 0) {
    auto group = in.read_varint();
    auto length = group ? in.read_varint() : group;
    if (!length)
      return failure{length.error()};
    if (*group < static_cast<std::uint64_t>(begin) || *group >= static_cast<std::uint64_t>(end))
      return failure{what + " is corrupt: key group " + std::to_string(*group) +
                     " outside its range"};
    auto body = in.read(static_cast<std::size_t>(*length), bytes);
    if (!body)
      return body;
    if (!wanted.contains(static_cast<int>(*group)))
      continue;
    auto visited = visit(static_cast<int>(*group), bytes);
    if (!visited)
      return visited;
  }
  auto checksum = in.finish();
  if (!checksum)
    return failure{checksum.error()};
  if (*checksum != handle.checksum)
    return failure{what + " is not the file its checkpoint recorded (checksum differs)"};
  return {};
}

result<std::vector<std::pair<int, std::string>>>
read_keyed_state_file(const std::string& directory, const keyed_state_handle& handle,
                      spi::key_group_range wanted) {
  std::vector<std::pair<int, std::string>> groups;
  auto read = for_each_keyed_state_group(directory, handle, wanted,
                                         [&](int group, std::string_view bytes) -> result<void> {
                                           groups.emplace_back(group, std::string{bytes});
                                           return {};
                                         });
  if (!read)
    return failure{read.error()};
  return groups;
}

} // namespace flinkcpp
