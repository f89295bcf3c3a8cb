#include "rest/request_authorizer.hpp"

#include <array>
#include <cctype>
#include <mutex>
#include <optional>

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include "config/core_options.hpp"
#include "util/durable_file.hpp"
#include "util/logging.hpp"

namespace flinkcpp::rest {

namespace {

using digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

digest digest_of(std::string_view text) {
  digest d{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d.data());
  return d;
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view space = " \t\r\n";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos)
    return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

/// What tells a replaced or rewritten file from the one read before.
struct file_stamp {
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};

  friend bool operator==(const file_stamp& a, const file_stamp& b) {
    return a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec &&
           a.modified.tv_nsec == b.modified.tv_nsec;
  }
};

std::optional<file_stamp> stamp_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return std::nullopt;
  return file_stamp{st.st_ino, st.st_size, st.st_mtim};
}

/// The token `path` holds, or why there is none, naming the option.
result<std::string> read_token(const std::string& option, const std::string& path) {
  auto token = read_token_file(path);
  if (!token)
    return failure{option + ": " + token.error()};
  return token;
}

/// "Bearer <token>" (the scheme in any case, RFC 9110 11.1): the token.
std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size())
    return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (static_cast<char>(std::tolower(static_cast<unsigned char>(authorization[i]))) != scheme[i])
      return std::nullopt;
  return trimmed(authorization.substr(scheme.size()));
}

} // namespace

result<std::string> read_token_file(const std::string& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes)
    return failure{"cannot read the token file: " + bytes.error()};
  auto token = trimmed(*bytes);
  if (token.empty())
    return failure{"the token file " + path + " holds no token"};
  return std::string{token};
}

/// One token file and the digest of the token it held when last read.
struct request_authorizer::token_file {
  std::string option;
  std::string path;
  mutable std::mutex mutex;
  mutable file_stamp stamp;    ///< guarded by mutex
  mutable digest token{};      ///< guarded by mutex
  mutable bool warned = false; ///< guarded by mutex: a change that cannot be read was logged

  /// Whether `presented` is the file's token (read again first if it changed).
  bool matches(const digest& presented) const {
    std::lock_guard<std::mutex> guard{mutex};
    refresh();
    return CRYPTO_memcmp(presented.data(), token.data(), token.size()) == 0;
  }

  /// Reads the file again if it changed and can be read.
  void refresh() const {
    auto now = stamp_of(path);
    if (now && *now == stamp)
      return;
    auto read = read_token(option, path);
    if (!read) {
      if (!warned)
        logger("rest")->warn("{}; requests are checked against the token read before.",
                             read.error());
      warned = true;
      return;
    }
    token = digest_of(*read);
    stamp = now ? *now : file_stamp{};
    warned = false;
    logger("rest")->info("Read the REST token from {} ({}).", path, option);
  }
};

result<request_authorizer> request_authorizer::from(const configuration& config) {
  request_authorizer out;
  auto load = [&](const config_option<std::string>& option,
                  std::unique_ptr<token_file>& slot) -> std::optional<failure> {
    auto path = option.get(config);
    if (path.empty())
      return std::nullopt;
    auto stamp = stamp_of(path);
    auto token = read_token(option.key(), path);
    if (!token)
      return failure{token.error()};
    slot = std::make_unique<token_file>();
    slot->option = option.key();
    slot->path = path;
    slot->stamp = stamp ? *stamp : file_stamp{};
    slot->token = digest_of(*token);
    return std::nullopt;
  };
  if (auto failed = load(options::rest_authentication_token_file, out.full_))
    return std::move(*failed);
  if (auto failed = load(options::rest_authentication_read_only_token_file, out.read_only_))
    return std::move(*failed);
  if (out.read_only_ && !out.full_)
    return failure{options::rest_authentication_read_only_token_file.key() + " is set without " +
                   options::rest_authentication_token_file.key() +
                   ": nobody could change anything (set both, or only the latter)"};
  return out;
}

request_authorizer::request_authorizer() = default;
request_authorizer::request_authorizer(request_authorizer&&) noexcept = default;
request_authorizer& request_authorizer::operator=(request_authorizer&&) noexcept = default;
request_authorizer::~request_authorizer() = default;

bool request_authorizer::enabled() const {
  return full_ != nullptr;
}

request_authorizer::decision request_authorizer::check(std::string_view method,
                                                       std::string_view authorization) const {
  if (!enabled())
    return {};
  auto token = bearer_token(authorization);
  if (!token)
    return {verdict::unauthenticated,
            authorization.empty()
              ? "this REST API needs a token: send the header 'Authorization: Bearer <token>'"
              : "the Authorization header is not 'Bearer <token>'"};
  auto presented = digest_of(*token);
  if (full_->matches(presented))
    return {};
  if (read_only_ && read_only_->matches(presented)) {
    if (method == "GET" || method == "HEAD")
      return {};
    return {verdict::forbidden,
            "the read-only token allows GET requests only, not " + std::string{method}};
  }
  return {verdict::unauthenticated, "the token is not valid"};
}

} // namespace flinkcpp::rest
