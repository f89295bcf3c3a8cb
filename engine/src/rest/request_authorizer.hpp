#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "flinkcpp/configuration.hpp"
#include "util/result.hpp"

namespace flinkcpp::rest {

/// The token a token file holds, surrounding whitespace dropped. Fails
/// naming the file when it cannot be read or holds no token.
result<std::string> read_token_file(const std::string& path);

/// Who may use the REST API (rest.authentication.*, beyond Flink). With
/// `token-file` set, every request needs "Authorization: Bearer <token>" with
/// the token that file holds; the holder of `read-only-token-file`'s token
/// may only read (GET, HEAD). Without either file set, everyone may do
/// everything, as in Flink.
///
/// A token file holds one token (surrounding whitespace ignored). It is
/// read again when it changes (its inode, size or modification time), as a
/// mounted Kubernetes Secret is replaced; while a changed file cannot be
/// read, the token read before stays. Tokens are compared in constant time
/// (their SHA-256 digests, so not even the length leaks).
///
/// Thread-safe: check() is called from every REST thread.
class request_authorizer {
public:
  /// Reads the token files `config` names. Fails naming the option and the
  /// file when one cannot be read or holds no token.
  static result<request_authorizer> from(const configuration& config);

  /// Allows everything (no token file).
  request_authorizer();
  request_authorizer(request_authorizer&&) noexcept;
  request_authorizer& operator=(request_authorizer&&) noexcept;
  ~request_authorizer();

  enum class verdict {
    allowed,
    unauthenticated, ///< no or a wrong token: HTTP 401
    forbidden,       ///< the read-only token, for a change: HTTP 403
  };

  struct decision {
    verdict outcome = verdict::allowed;
    std::string message; ///< why not, for the response
  };

  /// Whether a request with `method` and Authorization header `authorization`
  /// (empty when absent) may go on.
  decision check(std::string_view method, std::string_view authorization) const;

  /// Whether any token is required.
  bool enabled() const;

private:
  struct token_file;
  std::unique_ptr<token_file> full_;
  std::unique_ptr<token_file> read_only_;
};

} // namespace flinkcpp::rest
