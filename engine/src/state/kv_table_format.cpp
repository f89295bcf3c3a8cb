#include "flinkcpp/detail/kv_state_tables.hpp"

namespace flinkcpp::detail {

std::size_t write_kv_table_group(const kv_snapshot& snapshot, const std::string& prefix,
                                 std::uint8_t kind, binary_writer& out) {
  // Entries come in key order: for lists and maps a key's marker (the bare
  // key) first, then its elements (the marker plus a suffix).
  std::string entries;
  std::size_t keys = 0;
  std::string marker;
  std::string elements;
  std::size_t element_count = 0;
  auto close_key = [&] {
    if (marker.empty())
      return;
    binary_writer w{entries};
    entries.append(marker, prefix.size());
    w.write_varint(element_count);
    entries.append(elements);
    marker.clear();
    elements.clear();
    element_count = 0;
  };
  snapshot.scan(prefix, [&](std::string_view key, std::string_view value) {
    if (kind == value_kind) {
      entries.append(key.substr(prefix.size()));
      entries.append(value);
      ++keys;
      return true;
    }
    if (!marker.empty() && key.size() > marker.size() && key.substr(0, marker.size()) == marker) {
      if (kind == map_kind)
        elements.append(key.substr(marker.size())); // the user key
      elements.append(value);
      ++element_count;
      return true;
    }
    close_key();
    marker.assign(key);
    ++keys;
    return true;
  });
  close_key();
  out.write_varint(keys);
  out.out.append(entries);
  return keys;
}

} // namespace flinkcpp::detail
