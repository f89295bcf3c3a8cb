#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace flinkcpp {

/// A 128-bit identifier printed as 32 lowercase hex digits, as Flink prints
/// JobID and JobVertexID. `Tag` makes each kind of id its own type, so a job id
/// can never be passed where a vertex id is expected. A plain value type.
template <class Tag>
class id128 {
public:
  constexpr id128() = default;
  constexpr id128(std::uint64_t high, std::uint64_t low) : high_(high), low_(low) {}

  /// A fresh id from a random source (thread-safe).
  static id128 random();

  /// An id derived deterministically from `text` (the same text gives the same
  /// id in every process and every run).
  static id128 derived_from(std::string_view text);

  /// Parses 32 hex digits; nullopt for anything else.
  static std::optional<id128> parse(std::string_view hex);

  std::string to_string() const;

  constexpr std::uint64_t high() const { return high_; }
  constexpr std::uint64_t low() const { return low_; }

  friend constexpr bool operator==(const id128&, const id128&) = default;
  friend constexpr auto operator<=>(const id128&, const id128&) = default;

  /// Serialization (CAF's inspect idiom): the two halves.
  template <class Inspector>
  friend auto inspect(Inspector& f, id128& x) {
    return f(x.high_, x.low_);
  }

private:
  std::uint64_t high_ = 0;
  std::uint64_t low_ = 0;
};

namespace detail {
std::string hex128(std::uint64_t high, std::uint64_t low);
bool parse_hex128(std::string_view hex, std::uint64_t& high, std::uint64_t& low);
void random128(std::uint64_t& high, std::uint64_t& low);
void hash128(std::string_view text, std::uint64_t& high, std::uint64_t& low);
} // namespace detail

template <class Tag>
id128<Tag> id128<Tag>::random() {
  std::uint64_t h = 0;
  std::uint64_t l = 0;
  detail::random128(h, l);
  return {h, l};
}

template <class Tag>
id128<Tag> id128<Tag>::derived_from(std::string_view text) {
  std::uint64_t h = 0;
  std::uint64_t l = 0;
  detail::hash128(text, h, l);
  return {h, l};
}

template <class Tag>
std::optional<id128<Tag>> id128<Tag>::parse(std::string_view hex) {
  std::uint64_t h = 0;
  std::uint64_t l = 0;
  if (!detail::parse_hex128(hex, h, l))
    return std::nullopt;
  return id128{h, l};
}

template <class Tag>
std::string id128<Tag>::to_string() const {
  return detail::hex128(high_, low_);
}

/// Identifies one submitted job (Flink's JobID).
using job_id = id128<struct job_id_tag>;
/// Identifies a job vertex, a chain of operators (Flink's JobVertexID).
using vertex_id = id128<struct vertex_id_tag>;
/// Identifies one operator across runs; derived from its uid (Flink's OperatorID).
using operator_id = id128<struct operator_id_tag>;

} // namespace flinkcpp

template <class Tag>
struct std::hash<flinkcpp::id128<Tag>> {
  std::size_t operator()(const flinkcpp::id128<Tag>& id) const noexcept {
    return static_cast<std::size_t>(id.high() ^ (id.low() * 0x9e3779b97f4a7c15ULL));
  }
};
