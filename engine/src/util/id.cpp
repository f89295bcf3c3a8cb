#include "util/id.hpp"

#include <random>

#include <xxhash.h>

namespace flinkcpp::detail {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::string hex128(std::uint64_t high, std::uint64_t low) {
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = hex_digits[(high >> (4 * i)) & 0xf];
    out[31 - i] = hex_digits[(low >> (4 * i)) & 0xf];
  }
  return out;
}

bool parse_hex128(std::string_view hex, std::uint64_t& high, std::uint64_t& low) {
  if (hex.size() != 32)
    return false;
  std::uint64_t parts[2] = {0, 0};
  for (std::size_t i = 0; i < 32; ++i) {
    int v = hex_value(hex[i]);
    if (v < 0)
      return false;
    parts[i / 16] = (parts[i / 16] << 4) | static_cast<std::uint64_t>(v);
  }
  high = parts[0];
  low = parts[1];
  return true;
}

void random128(std::uint64_t& high, std::uint64_t& low) {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  high = engine();
  low = engine();
}

void hash128(std::string_view text, std::uint64_t& high, std::uint64_t& low) {
  XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
  high = h.high64;
  low = h.low64;
}

} // namespace flinkcpp::detail
