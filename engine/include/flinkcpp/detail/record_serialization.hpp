#pragma once

// The compact binary form in which records cross process boundaries, derived
// from a record type's inspect function: integers and floats as their
// little-endian bytes, strings and sequences with a varint length, optionals
// with a presence byte, tuples and structs field by field. A whole batch is
// serialized once, never record by record over the wire.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "flinkcpp/detail/inspect.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Bytes that do not decode to the expected records (truncated or corrupt).
class serialization_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Appends records to a byte string.
struct binary_writer {
  std::string& out;

  template <class... Ts>
  void operator()(const Ts&... fields) {
    (write(field_value(fields)), ...);
  }

  void write_varint(std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }

  /// Writes `value` after its length (4 bytes), so that code without its
  /// type can tell where it ends (a backend copying snapshot bytes).
  template <class T>
  void write_delimited(const T& value) {
    auto at = begin_delimited();
    write(value);
    end_delimited(at);
  }

  /// Starts a delimited value written in place; end_delimited(at) fills in
  /// its length (or a count: see patch_count).
  std::size_t begin_delimited() {
    auto at = out.size();
    out.append(sizeof(std::uint32_t), '\0');
    return at;
  }
  void end_delimited(std::size_t at) { patch_count(at, out.size() - at - sizeof(std::uint32_t)); }
  /// Fills the 4 bytes begin_delimited reserved at `at` with `n`.
  void patch_count(std::size_t at, std::size_t n) {
    auto v = static_cast<std::uint32_t>(n);
    std::memcpy(out.data() + at, &v, sizeof v);
  }

  /// Writes bytes already in a value's binary form as write_delimited does.
  void write_delimited_bytes(std::string_view bytes) {
    write(static_cast<std::uint32_t>(bytes.size()));
    out.append(bytes);
  }

  template <class T>
  void write(const T& value) {
    if constexpr (std::is_arithmetic_v<T>) {
      out.append(reinterpret_cast<const char*>(&value), sizeof(T));
    } else if constexpr (std::is_enum_v<T>) {
      write(static_cast<std::underlying_type_t<T>>(value));
    } else if constexpr (std::is_same_v<T, std::string>) {
      write_varint(value.size());
      out.append(value);
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
      write_varint(static_cast<std::uint64_t>(value.size()));
      for (const auto& element : value)
        write(element);
    } else {
      static_assert(is_inspectable_v<T>, "flink-cpp cannot serialize this record type: give it "
                                         "an inspect function");
    }
  }
};

/// Reads records back from bytes a binary_writer produced. Throws
/// serialization_error instead of reading past the end.
struct binary_reader {
  const char* pos;
  const char* end;

  template <class... Ts>
  void operator()(Ts&&... fields) {
    (read(field_value(fields)), ...);
  }

  void need(std::size_t n) const {
    if (static_cast<std::size_t>(end - pos) < n)
      throw serialization_error("truncated batch: " + std::to_string(n) + " more bytes expected, " +
                                std::to_string(end - pos) + " left");
  }

  std::uint64_t read_varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      auto byte = static_cast<unsigned char>(*pos++);
      v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        return v;
    }
    throw serialization_error("corrupt batch: malformed length");
  }

  /// The bytes of one value write_delimited wrote (a view into the input).
  std::string_view read_delimited_bytes() {
    std::uint32_t n = 0;
    read(n);
    need(n);
    std::string_view bytes{pos, n};
    pos += n;
    return bytes;
  }

  /// One value write_delimited wrote; throws serialization_error unless its
  /// bytes hold exactly one T.
  template <class T>
  void read_delimited(T& value) {
    auto bytes = read_delimited_bytes();
    binary_reader r{bytes.data(), bytes.data() + bytes.size()};
    r.read(value);
    if (r.pos != r.end)
      throw serialization_error("corrupt state: a value is shorter than its recorded length");
  }

  template <class T>
  void read(T& value) {
    if constexpr (std::is_arithmetic_v<T>) {
      need(sizeof(T));
      std::memcpy(&value, pos, sizeof(T));
      pos += sizeof(T);
    } else if constexpr (std::is_enum_v<T>) {
      std::underlying_type_t<T> raw{};
      read(raw);
      value = static_cast<T>(raw);
    } else if constexpr (std::is_same_v<T, std::string>) {
      auto n = read_varint();
      need(n);
      value.resize(n); // then a plain copy: cheaper than assign's general path
      std::memcpy(value.data(), pos, n);
      pos += n;
    } else if constexpr (is_optional<T>::value) {
      std::uint8_t present = 0;
      read(present);
      if (present) {
        typename T::value_type inner{};
        read(inner);
        value = std::move(inner);
      } else {
        value.reset();
      }
    } else if constexpr (is_pair<T>::value) {
      read(value.first);
      read(value.second);
    } else if constexpr (is_tuple<T>::value) {
      std::apply([this](auto&... xs) { (read(xs), ...); }, value);
    } else if constexpr (is_inspectable_v<T>) {
      inspect(*this, value);
    } else if constexpr (is_range<T>::value) {
      auto n = read_varint();
      value.clear();
      for (std::uint64_t i = 0; i < n; ++i) {
        typename T::value_type element{};
        read(element);
        if constexpr (requires { value.push_back(std::move(element)); })
          value.push_back(std::move(element));
        else // a set
          value.insert(std::move(element));
      }
    } else {
      static_assert(is_inspectable_v<T>, "flink-cpp cannot deserialize this record type: give it "
                                         "an inspect function");
    }
  }
};

/// The binary form of one value (an operator state entry, a key).
template <class T>
std::string to_bytes(const T& value) {
  std::string out;
  binary_writer{out}.write(value);
  return out;
}

/// The value `bytes` hold; throws serialization_error unless they hold
/// exactly one T.
template <class T>
T from_bytes(std::string_view bytes) {
  T value{};
  binary_reader r{bytes.data(), bytes.data() + bytes.size()};
  r.read(value);
  if (r.pos != r.end)
    throw serialization_error("corrupt state entry: " + std::to_string(r.end - r.pos) +
                              " bytes after its value");
  return value;
}

} // namespace flinkcpp::detail
FLINKCPP_API_END
