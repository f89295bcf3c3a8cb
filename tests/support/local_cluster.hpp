#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace flinkcpp::testing {

class test_network;

/// A free TCP port on 127.0.0.1 (bound once, then released).
std::uint16_t free_port();

/// A cluster of real flink-cpp processes on 127.0.0.1: a jobmanager and
/// taskmanagers, with ports chosen free and heartbeats tuned for tests; each
/// process logs to a file of its own in dir() too (jobmanager.log,
/// taskmanager-<index>.log).
/// Every process is stopped (SIGTERM, then waited for) on destruction.
///
/// On a test_network, each process runs in a host of its own instead: the
/// jobmanager in host 0, taskmanager i in host i + 1, each at its host's
/// address; the test's REST requests and clients (run_client) come from
/// host 0.
class local_cluster {
public:
  /// `extra` -D properties go to every process. `network`, if given, must
  /// outlive the cluster and have a host for every process started.
  explicit local_cluster(std::vector<std::string> extra = {},
                         const test_network* network = nullptr);
  ~local_cluster();

  local_cluster(const local_cluster&) = delete;
  local_cluster& operator=(const local_cluster&) = delete;

  /// Starts the jobmanager (again, on the same ports).
  void start_jobmanager();

  /// Starts the jobmanager in application mode (again, on the same ports):
  /// flink-cpp standalone-job with `args` (options, JOB, job args).
  void start_application(const std::vector<std::string>& args);

  /// Starts a taskmanager with `slots` slots; returns its index.
  std::size_t start_taskmanager(int slots = 2, std::vector<std::string> extra = {});

  /// Waits (bounded) until the jobmanager's REST API answers and `count`
  /// taskmanagers are registered.
  bool wait_for_taskmanagers(std::size_t count);

  /// Stops a process with `signal` and returns how it ended.
  process_result stop_jobmanager(int signal);
  process_result stop_taskmanager(std::size_t index, int signal);

  /// Sends `signal` to a taskmanager without waiting for it (SIGSTOP freezes it).
  void signal_taskmanager(std::size_t index, int signal) const;
  pid_t taskmanager_pid(std::size_t index) const;
  pid_t jobmanager_pid() const; ///< of the running jobmanager

  std::uint16_t rest_port() const;

  /// "127.0.0.1:<rest port>", for -m (from where run_client runs).
  std::string rest_address() const;

  /// Runs the flink-cpp client with `args` to its end, where the cluster's
  /// clients run (host 0 on a test network).
  process_result run_client(const std::vector<std::string>& args) const;

  /// GET on the REST API: HTTP status and JSON body (null when not JSON).
  std::pair<int, nlohmann::json> get(const std::string& path) const;

  /// GET on the REST API: HTTP status and the body as text (logs).
  std::pair<int, std::string> get_text(const std::string& path) const;

  /// Any request on the REST API.
  std::pair<int, nlohmann::json>
  request(const std::string& method, const std::string& path, const std::string& body = {},
          const std::string& content_type = "application/json") const;

  /// Requests from now on send "Authorization: Bearer <token>" (empty: none).
  void use_token(std::string token) { token_ = std::move(token); }

  /// Requests from now on speak HTTPS, trusting the authorities of the PEM
  /// file `authorities`, presenting the PEM keystore `keystore` (key and
  /// certificate) unless it is empty.
  void use_https(std::string authorities, std::string keystore = {}) {
    authority_file_ = std::move(authorities);
    client_keystore_ = std::move(keystore);
  }

  /// The -D arguments every process gets.
  std::vector<std::string> properties() const;

  /// flink-cpp's arguments (without the binary) that start `role` with every
  /// property and `extra` ones as -D, then `trailing`: for a process the test
  /// runs itself.
  std::vector<std::string> arguments(const std::string& role, std::vector<std::string> extra = {},
                                     const std::vector<std::string>& trailing = {}) const;

  const temp_dir& dir() const { return dir_; }

private:
  httplib::Client rest_client() const;
  std::vector<std::string> command(std::size_t host, const std::string& role,
                                   std::vector<std::string> extra,
                                   const std::vector<std::string>& trailing = {}) const;

  temp_dir dir_;
  std::uint16_t rpc_port_;
  std::uint16_t rest_port_;
  std::vector<std::string> extra_;
  const test_network* network_;
  std::string token_;
  std::string authority_file_;
  std::string client_keystore_;
  std::unique_ptr<child_process> jobmanager_;
  std::vector<std::unique_ptr<child_process>> taskmanagers_;
};

/// While the job `job` runs on `cluster`: after each of `kills` checkpoints
/// it completes, SIGKILLs the first taskmanager of `alive` and starts one of
/// 2 slots in its place (appended to `alive`), then waits for the job's
/// restore. Returns the kills done before the job finished (the test should
/// expect `kills`). Throws std::runtime_error when the job neither
/// checkpoints nor finishes, does not restore, or a killed taskmanager did
/// not die of SIGKILL.
int kill_after_checkpoints(local_cluster& cluster, const std::string& job,
                           std::vector<std::size_t>& alive, int kills);

} // namespace flinkcpp::testing
