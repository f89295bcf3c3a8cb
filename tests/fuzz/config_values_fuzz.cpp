// The parsers of configuration values: durations, memory sizes, numbers,
// booleans, port ranges, local paths, lists and log levels. A value they
// accept means what it says: re-parsing the canonical form gives the same.
//
// Input: one byte choosing the parser, then the value.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "config/config_values.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace flinkcpp;

namespace {

void expect(bool holds, const char* what) {
  if (!holds)
    throw std::logic_error(what);
}

/// "file://" and `path` with '%' and blanks percent-encoded: the form that
/// keeps a path's edge blanks, which a plain value loses to trimming.
std::string file_uri(const std::string& path) {
  static const char hex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (unsigned char c : path) {
    if (c == '%' || c <= ' ') {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 15];
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::fuzz_input in{data, size};
  auto parser = in.byte() % 9;
  auto text = in.rest();
  switch (parser) {
    case 0:
      if (auto d = parse_duration(text); d && d->count() != -1) { // -1: none
        expect(d->count() >= 0, "a negative duration was accepted");
        auto again = parse_duration(std::to_string(d->count()) + " ms");
        expect(again && *again == *d, "a duration does not read back in milliseconds");
      }
      break;
    case 1:
      if (auto bytes = parse_memory_size(text)) {
        auto again = parse_memory_size(std::to_string(*bytes) + "b");
        expect(again && *again == *bytes, "a memory size does not read back in bytes");
      }
      break;
    case 2:
      if (auto n = parse_integer(text, -1000, 1000))
        expect(*n >= -1000 && *n <= 1000, "an integer outside its bounds was accepted");
      break;
    case 3:
      if (auto x = parse_number(text, 0.0, 1.0))
        expect(*x >= 0.0 && *x <= 1.0, "a number outside its bounds was accepted");
      break;
    case 4:
      (void)parse_boolean(text);
      break;
    case 5:
      if (auto ports = parse_port_range(text))
        expect(0 <= ports->first && ports->first <= ports->second && ports->second <= 65535,
               "a port range outside 0..65535 or reversed was accepted");
      break;
    case 6:
      if (auto path = parse_local_path(text)) {
        expect(!path->empty() && path->front() == '/', "a local path is not absolute");
        auto again = parse_local_path(file_uri(*path));
        expect(again && *again == *path, "a local path does not read back from its file URI");
      }
      break;
    case 7:
      for (auto item : list_items(text))
        expect(!item.empty() && trim(item) == item, "a list item is empty or untrimmed");
      break;
    default:
      (void)parse_log_levels(text);
      break;
  }
  return 0;
}
