#include "checkpoint/keyed_state_file.hpp"

#include <filesystem>
#include <stdexcept>

#include "checkpoint/durable_file.hpp"
#include "checkpoint/sealed_file.hpp"
#include "flinkcpp/detail/record_serialization.hpp"

namespace flinkcpp {

namespace {

constexpr std::string_view keyed_magic = "FCPKEYED";
constexpr std::uint32_t keyed_version = 1;

} // namespace

result<keyed_state_handle>
write_keyed_state_file(const std::string& directory, const std::string& name,
                       detail::key_group_range range,
                       const std::function<void(const detail::key_group_sink&)>& produce) {
  auto path = (std::filesystem::path{directory} / name).string();
  sealed_file_writer out{path, keyed_magic, keyed_version};
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

result<std::vector<std::pair<int, std::string>>>
read_keyed_state_file(const std::string& directory, const keyed_state_handle& handle,
                      detail::key_group_range wanted) {
  auto path = (std::filesystem::path{directory} / handle.file).string();
  auto what = "checkpoint state file '" + path + "'";
  auto bytes = read_file_bytes(path);
  if (!bytes)
    return failure{bytes.error()};
  auto payload = unseal(*bytes, keyed_magic, keyed_version, what);
  if (!payload)
    return failure{payload.error()};
  if (bytes->size() != handle.size || sealed_checksum(*bytes) != handle.checksum)
    return failure{what + " is not the file its checkpoint recorded (size or checksum differ)"};
  std::vector<std::pair<int, std::string>> groups;
  try {
    detail::binary_reader r{payload->data(), payload->data() + payload->size()};
    std::int32_t begin = 0;
    std::int32_t end = 0;
    r.read(begin);
    r.read(end);
    while (r.pos != r.end) {
      auto group = static_cast<int>(r.read_varint());
      auto length = r.read_varint();
      r.need(length);
      if (group < begin || group >= end)
        return failure{what + " is corrupt: key group " + std::to_string(group) +
                       " outside its range"};
      if (wanted.contains(group))
        groups.emplace_back(group, std::string{r.pos, static_cast<std::size_t>(length)});
      r.pos += length;
    }
  } catch (const detail::serialization_error& e) {
    return failure{what + " is corrupt: " + e.what()};
  }
  return groups;
}

} // namespace flinkcpp
