#pragma once

#include <utility>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Receives the records a function emits, as Flink's Collector does: a
/// `flat_map` function gets one and calls `collect` zero or more times per
/// input record.
///
/// A collector belongs to one parallel subtask and is only ever called from the
/// thread running that subtask; it is not thread-safe. It lives as long as the
/// subtask; user code must not keep a reference beyond the call it was given in.
template <class T>
class collector {
public:
  virtual ~collector() = default;

  /// Emits `record`, taking it over.
  virtual void collect(T&& record) = 0;

  /// Emits a copy of `record`.
  void collect(const T& record) { collect(T(record)); }
};

} // namespace flinkcpp
FLINKCPP_API_END
