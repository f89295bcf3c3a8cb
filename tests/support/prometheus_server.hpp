#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace flinkcpp::testing {

/// Debian's Prometheus server on 127.0.0.1, scraping `targets` ("host:port")
/// every second, with its data in a temporary directory. Stopped (SIGTERM,
/// then waited for) on destruction.
class prometheus_server {
public:
  explicit prometheus_server(const std::vector<std::string>& targets);
  ~prometheus_server();

  prometheus_server(const prometheus_server&) = delete;
  prometheus_server& operator=(const prometheus_server&) = delete;

  /// The result vector of instant query `expr` (/api/v1/query): each
  /// element {"metric": {labels}, "value": [time, "value"]}; empty when the
  /// server does not answer (yet) or the query matches nothing. A query the server
  /// rejects fails the test.
  nlohmann::json query(const std::string& expr) const;

  /// The value of the single series `expr` yields, or NaN when it yields none.
  double value(const std::string& expr) const;

  /// The values label `label` has in the series `match` selects (what
  /// Grafana's label_values(match, label) offers); empty while not ready.
  std::vector<std::string> label_values(const std::string& label, const std::string& match) const;

private:
  /// The "data" of an API answer to GET `path`?`parameter`=`value`; null
  /// while the server does not answer. An error answer fails the test.
  nlohmann::json data_of(const std::string& path, const std::string& parameter,
                         const std::string& value) const;

  temp_dir dir_;
  std::uint16_t port_;
  std::unique_ptr<child_process> process_;
};

} // namespace flinkcpp::testing
