#pragma once

// Argument parsing the built-in examples share.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "flinkcpp/job_args.hpp"

namespace flinkcpp::examples {

/// The duration `--name SECONDS` (decimals allowed) in milliseconds; 0 or
/// more unless `may_be_negative`. Throws job_argument_error saying what is
/// expected.
inline std::int64_t milliseconds_of(const job_args& args, std::string_view name,
                                    bool may_be_negative = false) {
  auto text = args.required(name);
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(seconds) ||
      (!may_be_negative && seconds < 0) || std::abs(seconds) > 1e12)
    throw job_argument_error("--" + std::string{name} + " must be a number of seconds (" +
                             (may_be_negative ? "" : "0 or more, ") + "decimals allowed), got '" +
                             text + "'");
  return static_cast<std::int64_t>(std::llround(seconds * 1000));
}

} // namespace flinkcpp::examples
