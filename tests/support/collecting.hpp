#pragma once

#include <utility>
#include <vector>

#include "flinkcpp/collector.hpp"

namespace flinkcpp::testing {

/// A collector that keeps what it is given, in order: the output of an
/// operator under test. Not thread-safe.
template <class T>
struct collecting final : collector<T> {
  using collector<T>::collect;
  std::vector<T> items;
  void collect(T&& x) override { items.push_back(std::move(x)); }
};

} // namespace flinkcpp::testing
