#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace flinkcpp::testing {

class kafka_cluster;

/// A Kafka protocol proxy in front of a kafka_cluster that says what a
/// read_committed consumer would read: the mock cluster writes no
/// transaction markers, so its own consumers read aborted records too.
///
/// Clients given bootstrap_servers() reach the brokers through it. It
/// forwards every request and answer unchanged, but for the brokers' hosts
/// and ports in Metadata and FindCoordinator answers (its own instead, so
/// clients stay behind it), and reads on the way the record batches of Produce
/// requests (topic, partition, producer id and epoch, transactional or
/// not, the records), whether the broker took them (an answer without error,
/// or one saying it has them already, to a retry), and EndTxn requests
/// and whether the coordinator took them. It reads only the non-flexible
/// versions of these four APIs (all the mock implements); anything it
/// cannot read is listed in problems(). It also reads the producer ids
/// InitProducerId answers give (any version): the mock draws them at random
/// and may give one a second time, to another transactional id, whose
/// every request it then refuses; the proxy answers such a one with a
/// retriable error instead (CONCURRENT_TRANSACTIONS), so that the client
/// asks again, and lists it in events().
///
/// Thread-safe. Closes every connection when destroyed, which must happen
/// before the cluster's end.
class kafka_transactions_proxy {
public:
  /// Where the proxy listens and what it tells clients: by default on
  /// 127.0.0.1 at ports of its choosing, each named as 127.0.0.1:port.
  struct address {
    std::string listen = "127.0.0.1"; ///< an IPv4 address, 0.0.0.0 for all
    /// The port for the first broker, the next one for the next (0: any).
    std::int32_t first_port = 0;
    /// The host Metadata and FindCoordinator answers name (empty: `listen`):
    /// one that clients elsewhere resolve to this machine.
    std::string advertised_host;
  };

  /// A proxy for the brokers of the mock cluster at `bootstrap_servers`
  /// ("127.0.0.1:port,..."). Throws std::runtime_error if it cannot listen.
  kafka_transactions_proxy(const std::string& bootstrap_servers, const address& at);
  explicit kafka_transactions_proxy(const kafka_cluster& cluster);
  ~kafka_transactions_proxy();
  kafka_transactions_proxy(const kafka_transactions_proxy&) = delete;
  kafka_transactions_proxy& operator=(const kafka_transactions_proxy&) = delete;

  /// "host:port,...": a port of the proxy for each broker.
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }

  struct record {
    std::int32_t partition = 0;
    std::optional<std::string> key;
    std::optional<std::string> value;
  };

  /// What a read_committed consumer of `topic` reads now: the records of
  /// batches the brokers took outside transactions, and of transactions
  /// whose commit the coordinator took, in the order those answers came.
  std::vector<record> read_committed(const std::string& topic) const;

  /// Transactions whose EndTxn the coordinator took, committing / aborting.
  int committed_transactions() const;
  int aborted_transactions() const;

  /// What it read that a client retries or that loses an answer, one line
  /// each: Produce and EndTxn answers with an error, and requests left
  /// unanswered when a connection closed. For a test to print when its
  /// output is wrong.
  std::vector<std::string> events() const;

  /// What it could not read (a flexible version, a compressed batch, a
  /// malformed frame), one line each; empty when it read everything.
  std::vector<std::string> problems() const;

private:
  struct connection;
  struct listener;

  /// Taken batches of an open transaction: by producer id and epoch.
  using producer = std::pair<std::int64_t, std::int16_t>;
  struct batch {
    std::string topic;
    std::vector<record> records;
  };

  void accept_loop();
  /// Connects `c` to the broker at `broker_port` and forwards its requests
  /// (its answers on a thread of their own).
  void serve(const std::shared_ptr<connection>& c, std::int32_t broker_port);
  void on_request(connection& c, const std::string& frame);
  void on_response(connection& c, std::string& frame);
  void problem(std::string what);
  void event(std::string what);

  std::vector<std::unique_ptr<listener>> listeners_;
  std::map<std::int32_t, std::int32_t> proxy_port_of_; ///< broker port -> proxy port
  std::string advertised_host_; ///< what answers name instead of the brokers' host
  std::string bootstrap_servers_;
  int wake_[2] = {-1, -1};
  std::thread acceptor_;

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<connection>> connections_;
  std::vector<std::thread> threads_;
  std::map<producer, std::vector<batch>> open_;
  /// Idempotent batches taken (producer, epoch, topic, partition, base
  /// sequence): a retry of one is not a second copy.
  std::set<std::tuple<std::int64_t, std::int16_t, std::string, std::int32_t, std::int32_t>> taken_;
  std::map<std::string, std::vector<record>> visible_;
  /// The transactional id ("" for none) each producer id was given to.
  std::map<std::int64_t, std::string> producer_ids_;
  int committed_ = 0;
  int aborted_ = 0;
  std::vector<std::string> problems_;
  std::vector<std::string> events_;
  bool stopping_ = false;
};

} // namespace flinkcpp::testing
