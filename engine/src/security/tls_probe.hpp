#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "security/tls_context.hpp"
#include "util/result.hpp"

namespace flinkcpp::security {

/// Makes one TLS handshake with `host`:`port` as a client of `credentials`
/// would, then closes: so that a peer that refuses a connection can be named
/// with the reason (its certificate is not trusted here, it refused this
/// process's certificate, it does not speak TLS, it does not answer).
/// Errors are one line naming `host`:`port`. Thread-safe; blocks up to
/// `timeout` (plus name resolution).
result<void> tls_probe(const tls_credentials& credentials, const std::string& host,
                       std::uint16_t port, std::chrono::milliseconds timeout);

} // namespace flinkcpp::security
