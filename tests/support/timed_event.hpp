#pragma once

#include <cstdint>
#include <string>

namespace flinkcpp::testing {

/// A record with an event time and a key, for tests of event time.
struct timed_event {
  std::int64_t time = 0;
  std::string key;
};

template <class Inspector>
auto inspect(Inspector& f, timed_event& x) {
  return f(x.time, x.key);
}

} // namespace flinkcpp::testing
