#include "support/prometheus_server.hpp"

#include <cmath>
#include <csignal>
#include <limits>

#include <boost/test/unit_test.hpp>
#include <httplib.h>

#include "support/local_cluster.hpp"

namespace flinkcpp::testing {

prometheus_server::prometheus_server(const std::vector<std::string>& targets) : port_(free_port()) {
  std::string list;
  for (const auto& t : targets)
    list += (list.empty() ? "'" : ", '") + t + "'";
  write_file(dir_.file("prometheus.yml"), "global:\n"
                                          "  scrape_interval: 1s\n"
                                          "  scrape_timeout: 1s\n"
                                          "scrape_configs:\n"
                                          "  - job_name: flink-cpp\n"
                                          "    static_configs:\n"
                                          "      - targets: [" +
                                            list + "]\n");
  process_ = std::make_unique<child_process>(std::vector<std::string>{
    "/usr/bin/prometheus", "--config.file=" + dir_.file("prometheus.yml"),
    "--storage.tsdb.path=" + dir_.file("data"),
    "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"});
}

prometheus_server::~prometheus_server() {
  process_->send_signal(SIGTERM);
  process_->wait();
}

nlohmann::json prometheus_server::data_of(const std::string& path, const std::string& parameter,
                                          const std::string& value) const {
  httplib::Client client{"127.0.0.1", port_};
  client.set_connection_timeout(2);
  auto r = client.Get(path, httplib::Params{{parameter, value}}, httplib::Headers{});
  if (!r)
    return nullptr;
  auto body = nlohmann::json::parse(r->body, nullptr, false);
  if (!body.is_object()) // starting up
    return nullptr;
  BOOST_TEST_REQUIRE(body.value("status", std::string{}) == "success", value << ": " << r->body);
  return body["data"];
}

nlohmann::json prometheus_server::query(const std::string& expr) const {
  auto data = data_of("/api/v1/query", "query", expr);
  return data.is_null() ? nlohmann::json::array() : data["result"];
}

std::vector<std::string> prometheus_server::label_values(const std::string& label,
                                                         const std::string& match) const {
  std::vector<std::string> out;
  auto data = data_of("/api/v1/label/" + label + "/values", "match[]", match);
  if (!data.is_null())
    for (const auto& v : data)
      out.push_back(v.get<std::string>());
  return out;
}

double prometheus_server::value(const std::string& expr) const {
  auto result = query(expr);
  if (result.size() != 1)
    return std::numeric_limits<double>::quiet_NaN();
  return std::stod(result[0]["value"][1].get<std::string>());
}

} // namespace flinkcpp::testing
