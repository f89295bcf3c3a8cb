#include "cli/rest_client.hpp"

#include <charconv>

#include <httplib.h>

#include "rest/request_authorizer.hpp"

namespace flinkcpp {

struct rest_client::impl {
  impl(const std::string& host, int port) : client(host, port) {
    client.set_connection_timeout(std::chrono::seconds{5});
    client.set_read_timeout(std::chrono::seconds{60});
  }
  httplib::Client client;
};

namespace {

result<nlohmann::json> answer(const httplib::Result& r, const std::string& url,
                              const std::string& what) {
  if (!r)
    return failure{"cannot reach the jobmanager at " + url + ": " + httplib::to_string(r.error())};
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

} // namespace

result<rest_client> rest_client::connect_to(const rest_endpoint& jobmanager) {
  const auto& given = jobmanager.address;
  std::string address = given;
  if (address.rfind("https://", 0) == 0)
    return failure{"invalid jobmanager address '" + given +
                   "' for -m: flink-cpp's REST API "
                   "speaks plain HTTP (TLS is not implemented yet); use http://HOST:PORT"};
  if (address.rfind("http://", 0) == 0)
    address.erase(0, 7);
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
                   "' for -m: expected HOST:PORT or http://HOST:PORT"};
  auto host = address.substr(0, colon);
  auto i = std::make_unique<impl>(host, port);
  if (!jobmanager.token_file.empty()) {
    auto token = rest::read_token_file(jobmanager.token_file);
    if (!token)
      return failure{"rest.authentication.token-file: " + token.error()};
    i->client.set_bearer_token_auth(*token);
  }
  return rest_client{std::move(i), "http://" + host + ":" + std::to_string(port)};
}

rest_client::rest_client(std::unique_ptr<impl> i, std::string url)
  : impl_(std::move(i)),
    url_(std::move(url)) {}
rest_client::rest_client(rest_client&&) noexcept = default;
rest_client& rest_client::operator=(rest_client&&) noexcept = default;
rest_client::~rest_client() = default;

result<nlohmann::json> rest_client::get(const std::string& path) {
  return answer(impl_->client.Get(path), url_, "GET " + path);
}

result<nlohmann::json> rest_client::post(const std::string& path, const nlohmann::json& body) {
  return answer(impl_->client.Post(path, body.dump(), "application/json"), url_, "POST " + path);
}

result<nlohmann::json> rest_client::patch(const std::string& path) {
  return answer(impl_->client.Patch(path), url_, "PATCH " + path);
}

result<nlohmann::json> rest_client::upload(const std::string& path, const std::string& field,
                                           const std::string& file_name, std::string content) {
  httplib::MultipartFormDataItems items = {
    {field, std::move(content), file_name, "application/octet-stream"}};
  return answer(impl_->client.Post(path, items), url_, "POST " + path);
}

} // namespace flinkcpp
