#pragma once

// Hashes of keys: the same key has the same 64-bit hash in every process and
// every run, because the hash is XXH3 over a fixed byte form of the key (its
// bytes for strings, its value bytes for numbers, a length-prefixed encoding of
// the fields for tuples and inspectable structs, a presence byte before an
// optional's value). Key groups, and so state placement and rescaling, rest
// on this.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "flinkcpp/detail/inspect.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// XXH3 (64 bit) of `size` bytes at `data`. Thread-safe.
std::uint64_t hash_bytes(const void* data, std::size_t size) noexcept;

/// Appends the fixed byte form of a key's fields to a buffer.
struct key_bytes_writer {
  std::string& out;

  template <class... Ts>
  void operator()(const Ts&... fields) {
    (write(field_value(fields)), ...);
  }

  template <class T>
  void write(const T& value) {
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      std::string_view s{value};
      write(static_cast<std::uint64_t>(s.size()));
      out.append(s);
    } else if constexpr (std::is_floating_point_v<T>) {
      T normalized = value == T{0} ? T{0} : value; // -0.0 and 0.0 are one key
      out.append(reinterpret_cast<const char*>(&normalized), sizeof(T));
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      out.append(reinterpret_cast<const char*>(&value), sizeof(T));
    } else if constexpr (is_optional<T>::value) {
      write(static_cast<std::uint8_t>(value.has_value()));
      if (value)
        write(*value);
    } else if constexpr (is_pair<T>::value) {
      write(value.first);
      write(value.second);
    } else if constexpr (is_tuple<T>::value) {
      std::apply([this](const auto&... xs) { (write(xs), ...); }, value);
    } else if constexpr (is_inspectable_v<T>) {
      inspect_fields(value, *this);
    } else if constexpr (is_range<T>::value) {
      std::uint64_t n = 0;
      for (auto i = value.begin(); i != value.end(); ++i)
        ++n;
      write(n);
      for (const auto& element : value)
        write(element);
    } else {
      static_assert(is_inspectable_v<T>,
                    "flink-cpp cannot hash this key type: use a string, a number, a tuple "
                    "or a struct with an inspect function");
    }
  }
};

/// The stable 64-bit hash of `key`.
template <class K>
std::uint64_t key_hash(const K& key) {
  if constexpr (std::is_convertible_v<const K&, std::string_view>) {
    std::string_view s{key};
    return hash_bytes(s.data(), s.size());
  } else if constexpr (std::is_arithmetic_v<K> || std::is_enum_v<K>) {
    if constexpr (std::is_floating_point_v<K>) {
      K normalized = key == K{0} ? K{0} : key;
      return hash_bytes(&normalized, sizeof(K));
    } else {
      return hash_bytes(&key, sizeof(K));
    }
  } else {
    thread_local std::string buffer;
    buffer.clear();
    key_bytes_writer writer{buffer};
    writer.write(key);
    return hash_bytes(buffer.data(), buffer.size());
  }
}

/// Whether two keys are equal: operator==, except that strings compare
/// their bytes inline (most keys are short; a memcmp call costs more than
/// the compare).
template <class K>
bool same_key(const K& a, const K& b) {
  if constexpr (std::is_convertible_v<const K&, std::string_view>) {
    std::string_view x{a};
    std::string_view y{b};
    if (x.size() != y.size())
      return false;
    if (x.size() > 16)
      return x == y;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (x[i] != y[i])
        return false;
    return true;
  } else {
    return a == b;
  }
}

} // namespace flinkcpp::detail
FLINKCPP_API_END
