#pragma once

#include <compare>
#include <cstdint>
#include <ostream>
#include <string>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Identifies one checkpoint of a job: 1, 2, 3, ... in the order they were
/// triggered (Flink's checkpoint id). A plain value type; 0 means "none".
class checkpoint_id {
public:
  constexpr checkpoint_id() = default;
  constexpr explicit checkpoint_id(std::int64_t value) : value_(value) {}

  constexpr std::int64_t value() const { return value_; }
  constexpr bool is_none() const { return value_ == 0; }
  constexpr checkpoint_id next() const { return checkpoint_id{value_ + 1}; }
  std::string to_string() const { return std::to_string(value_); }

  friend constexpr auto operator<=>(const checkpoint_id&, const checkpoint_id&) = default;

  friend std::ostream& operator<<(std::ostream& out, const checkpoint_id& id) {
    return out << id.value_;
  }

  template <class Inspector>
  friend auto inspect(Inspector& f, checkpoint_id& x) {
    return f(x.value_);
  }

private:
  std::int64_t value_ = 0;
};

} // namespace flinkcpp
FLINKCPP_API_END
