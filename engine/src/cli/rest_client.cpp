#include "cli/rest_client.hpp"

#include <charconv>

#include <httplib.h>

#include "rest/request_authorizer.hpp"
#include "security/tls_probe.hpp"

namespace flinkcpp {

struct rest_client::impl {
  impl(const std::string& scheme, const std::string& server_host, int server_port)
    : client(scheme + "://" + server_host + ":" + std::to_string(server_port)),
      host(server_host),
      port(static_cast<std::uint16_t>(server_port)) {
    client.set_connection_timeout(std::chrono::seconds{5});
    client.set_read_timeout(std::chrono::seconds{60});
  }

  /// Why the request got no answer: over TLS, a handshake probe says why.
  std::string unreachable(const httplib::Result& r, const std::string& url) const {
    auto error = r.error();
    // A TLS 1.3 server refuses a client's certificate after the handshake:
    // the request then fails to read or write.
    if (tls &&
        (error == httplib::Error::SSLConnection || error == httplib::Error::SSLServerVerification ||
         error == httplib::Error::Read || error == httplib::Error::Write)) {
      auto probe = security::tls_probe(*tls, host, port, std::chrono::seconds{5});
      if (!probe)
        return "cannot reach the jobmanager at " + url + ": " + probe.error();
    }
    return "cannot reach the jobmanager at " + url + ": " + httplib::to_string(error);
  }

  /// The JSON body of a 2xx answer, else one line saying what failed.
  result<nlohmann::json> answer(const httplib::Result& r, const std::string& url,
                                const std::string& what) const {
    if (!r)
      return failure{unreachable(r, url)};
    nlohmann::json body;
    try {
      body = r->body.empty() ? nlohmann::json::object() : nlohmann::json::parse(r->body);
    } catch (const nlohmann::json::parse_error&) {
      return failure{what + " at " + url + " returned HTTP " + std::to_string(r->status) +
                     " with a body that is not JSON"};
    }
    if (r->status >= 400) {
      std::string message = "HTTP " + std::to_string(r->status);
      if (body.contains("errors") && body["errors"].is_array() && !body["errors"].empty())
        message = body["errors"][0].get<std::string>();
      return failure{message};
    }
    return body;
  }

  httplib::Client client;
  std::string host;
  std::uint16_t port;
  std::shared_ptr<const security::tls_credentials> tls; ///< null: plain HTTP
};

result<rest_client> rest_client::connect_to(const rest_endpoint& jobmanager) {
  const auto& given = jobmanager.address;
  std::string address = given;
  bool https = jobmanager.tls.enabled;
  if (address.rfind("https://", 0) == 0) {
    https = true;
    address.erase(0, 8);
  } else if (address.rfind("http://", 0) == 0) {
    if (https)
      return failure{"invalid jobmanager address '" + given +
                     "' for -m: security.ssl.rest.enabled is true, so the REST API speaks "
                     "HTTPS; use https://HOST:PORT or HOST:PORT"};
    address.erase(0, 7);
  }
  while (!address.empty() && address.back() == '/')
    address.pop_back();
  auto colon = address.rfind(':');
  int port = 0;
  if (colon != std::string::npos && colon > 0) {
    auto digits = std::string_view{address}.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || ptr != digits.data() + digits.size())
      port = 0;
  }
  if (port <= 0 || port > 65535 || address.find('/') != std::string::npos)
    return failure{"invalid jobmanager address '" + given +
                   "' for -m: expected HOST:PORT, http://HOST:PORT or https://HOST:PORT"};
  auto host = address.substr(0, colon);
  std::string scheme = https ? "https" : "http";
  auto i = std::make_unique<impl>(scheme, host, port);
  if (https) {
    auto settings = jobmanager.tls;
    settings.enabled = true;
    auto credentials = security::tls_credentials::load(settings, security::tls_side::client);
    if (!credentials)
      return failure{credentials.error()};
    i->tls = std::move(*credentials);
    // OpenSSL checks the chain and the host name in the handshake.
    i->client.enable_server_certificate_verification(false);
    if (auto configured =
          i->tls->configure(*i->client.ssl_context(), security::tls_side::client, host);
        !configured)
      return failure{configured.error()};
  }
  if (!jobmanager.token_file.empty()) {
    auto token = rest::read_token_file(jobmanager.token_file);
    if (!token)
      return failure{"rest.authentication.token-file: " + token.error()};
    i->client.set_bearer_token_auth(*token);
  }
  return rest_client{std::move(i), scheme + "://" + host + ":" + std::to_string(port)};
}

rest_client::rest_client(std::unique_ptr<impl> i, std::string url)
  : impl_(std::move(i)),
    url_(std::move(url)) {}
rest_client::rest_client(rest_client&&) noexcept = default;
rest_client& rest_client::operator=(rest_client&&) noexcept = default;
rest_client::~rest_client() = default;

result<nlohmann::json> rest_client::get(const std::string& path) {
  return impl_->answer(impl_->client.Get(path), url_, "GET " + path);
}

result<nlohmann::json> rest_client::post(const std::string& path, const nlohmann::json& body) {
  return impl_->answer(impl_->client.Post(path, body.dump(), "application/json"), url_,
                       "POST " + path);
}

result<nlohmann::json> rest_client::patch(const std::string& path) {
  return impl_->answer(impl_->client.Patch(path), url_, "PATCH " + path);
}

result<nlohmann::json> rest_client::upload(const std::string& path, const std::string& field,
                                           const std::string& file_name, std::string content) {
  httplib::MultipartFormDataItems items = {
    {field, std::move(content), file_name, "application/octet-stream"}};
  return impl_->answer(impl_->client.Post(path, items), url_, "POST " + path);
}

} // namespace flinkcpp
