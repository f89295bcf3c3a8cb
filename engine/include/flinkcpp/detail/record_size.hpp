#pragma once

// Estimates how many bytes a record occupies, so that batches are cut by size
// (`taskmanager.memory.segment-size`) rather than by count: a batch of long
// lines and a batch of small numbers hold similar amounts of memory.

#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>

#include "flinkcpp/detail/inspect.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Sums the heap bytes a record's fields own beyond the record itself.
struct heap_size_counter {
  std::size_t bytes = 0;

  template <class... Ts>
  void operator()(const Ts&... fields) {
    (count(field_value(fields)), ...);
  }

  template <class T>
  void count(const T& value) {
    if constexpr (std::is_same_v<T, std::string>) {
      // Strings up to 15 bytes live inside the object (small string optimization).
      if (value.size() > 15)
        bytes += value.capacity();
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      // nothing beyond the object
    } else if constexpr (is_pair<T>::value) {
      count(value.first);
      count(value.second);
    } else if constexpr (is_tuple<T>::value) {
      std::apply([this](const auto&... xs) { (count(xs), ...); }, value);
    } else if constexpr (is_optional<T>::value) {
      if (value)
        count(*value);
    } else if constexpr (is_inspectable_v<T>) {
      inspect_fields(value, *this);
    } else if constexpr (is_range<T>::value) {
      for (const auto& element : value) {
        bytes += sizeof(element);
        count(element);
      }
    }
  }
};

/// Approximate bytes of memory `record` holds (its size plus owned heap).
template <class T>
std::size_t record_size(const T& record) {
  if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    return sizeof(T);
  } else {
    heap_size_counter counter;
    counter.count(record);
    return sizeof(T) + counter.bytes;
  }
}

} // namespace flinkcpp::detail
FLINKCPP_API_END
