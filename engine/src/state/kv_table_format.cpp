#include "flinkcpp/detail/kv_state_tables.hpp"

namespace flinkcpp::detail {

std::size_t write_kv_table_group(const spi::kv_snapshot& snapshot, const std::string& prefix,
                                 std::uint8_t kind, binary_writer& out) {
  // Entries come in key order: for lists and maps a key's marker (the bare
  // key) first, then its elements (the marker plus a suffix). Written in
  // place: a key's element count is filled in when its next key comes.
  std::size_t keys = 0;
  std::string marker;
  std::size_t count_at = 0;
  std::size_t elements = 0;
  auto close_key = [&] {
    if (!marker.empty())
      out.patch_count(count_at, elements);
  };
  snapshot.scan(prefix, [&](std::string_view key, std::string_view value) {
    if (kind == value_kind || kind == timer_kind) { // a timer: its row and an empty value
      out.write_delimited_bytes(key.substr(prefix.size()));
      out.write_delimited_bytes(value);
      ++keys;
      return true;
    }
    if (!marker.empty() && key.size() > marker.size() && key.substr(0, marker.size()) == marker) {
      if (kind == map_kind)
        out.write_delimited_bytes(key.substr(marker.size())); // the user key
      out.write_delimited_bytes(value);
      ++elements;
      return true;
    }
    close_key();
    marker.assign(key);
    out.write_delimited_bytes(key.substr(prefix.size()));
    count_at = out.begin_delimited();
    elements = 0;
    ++keys;
    return true;
  });
  close_key();
  return keys;
}

void read_kv_table_group(const std::string& prefix, std::uint8_t kind, binary_reader& in,
                         const kv_entry_sink& put) {
  if (kind != value_kind && kind != list_kind && kind != map_kind && kind != timer_kind)
    throw serialization_error("corrupt state: unknown table kind " + std::to_string(kind));
  std::string key;
  std::string element;
  while (in.pos != in.end) {
    key.assign(prefix);
    key.append(in.read_delimited_bytes());
    if (kind == value_kind || kind == timer_kind) {
      put(key, in.read_delimited_bytes());
      continue;
    }
    std::uint32_t elements = 0;
    in.read(elements);
    if (elements > 0 || kind == list_kind) // a map's marker holds its entry count
      put(key, to_bytes(static_cast<std::uint64_t>(elements))); // a list's: the next index
    for (std::uint32_t j = 0; j < elements; ++j) {
      element.assign(key);
      if (kind == list_kind)
        append_list_index(element, j);
      else
        element.append(in.read_delimited_bytes()); // the user key
      put(element, in.read_delimited_bytes());
    }
  }
}

} // namespace flinkcpp::detail
