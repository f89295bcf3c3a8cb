#include "support/local_cluster.hpp"

#include <csignal>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include "support/test_network.hpp"
#include "support/wait.hpp"

namespace flinkcpp::testing {

namespace {

/// `work()`, where the test's clients run: on a thread in host 0 of a
/// test network, else here.
template <class Work>
auto as_client(const test_network* network, Work work) {
  return network ? network->run_in(0, work) : work();
}

} // namespace

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot find a free port on 127.0.0.1");
  ::close(fd);
  return ntohs(addr.sin_port);
}

local_cluster::local_cluster(std::vector<std::string> extra, const test_network* network)
  : rpc_port_(free_port()),
    rest_port_(free_port()),
    extra_(std::move(extra)),
    network_(network) {}

local_cluster::~local_cluster() {
  for (auto& tm : taskmanagers_)
    if (tm) {
      tm->send_signal(SIGTERM);
      tm->wait();
    }
  if (jobmanager_) {
    jobmanager_->send_signal(SIGTERM);
    jobmanager_->wait();
  }
}

std::vector<std::string> local_cluster::properties() const {
  // On a network, the jobmanager listens on its host's address and, for the
  // test's requests from the same host, on 127.0.0.1 too.
  auto jobmanager = network_ ? network_->address(0) : "127.0.0.1";
  auto rest_bind = network_ ? "0.0.0.0" : "127.0.0.1";
  std::vector<std::string> p = {
    "jobmanager.rpc.address=" + jobmanager,
    "jobmanager.rpc.port=" + std::to_string(rpc_port_),
    "jobmanager.bind-host=" + jobmanager,
    "rest.address=127.0.0.1",
    "rest.bind-address=" + std::string{rest_bind},
    "rest.port=" + std::to_string(rest_port_),
    "heartbeat.interval=200ms",
    "heartbeat.timeout=2s",
    "web.upload.dir=" + dir_.file("uploads"),
    "log.level=INFO",
  };
  if (!network_) {
    p.push_back("taskmanager.host=127.0.0.1");
    p.push_back("taskmanager.bind-host=127.0.0.1");
  }
  p.insert(p.end(), extra_.begin(), extra_.end());
  return p;
}

std::vector<std::string> local_cluster::command(std::size_t host, const std::string& role,
                                                std::vector<std::string> extra,
                                                const std::vector<std::string>& trailing) const {
  auto argv = flink_cpp(arguments(role, std::move(extra), trailing));
  if (!network_)
    return argv;
  if (host >= network_->hosts())
    throw std::logic_error("the test network has no host " + std::to_string(host) + " for a " +
                           role);
  return network_->command_in(host, argv);
}

std::vector<std::string> local_cluster::arguments(const std::string& role,
                                                  std::vector<std::string> extra,
                                                  const std::vector<std::string>& trailing) const {
  std::vector<std::string> args{role};
  auto props = properties();
  props.insert(props.end(), extra.begin(), extra.end());
  for (const auto& p : props) {
    args.push_back("-D");
    args.push_back(p);
  }
  args.insert(args.end(), trailing.begin(), trailing.end());
  return args;
}

void local_cluster::start_jobmanager() {
  jobmanager_ = std::make_unique<child_process>(
    command(0, "jobmanager", {"log.file=" + dir_.file("jobmanager.log")}));
}

void local_cluster::start_application(const std::vector<std::string>& args) {
  jobmanager_ = std::make_unique<child_process>(
    command(0, "standalone-job", {"log.file=" + dir_.file("jobmanager.log")}, args));
}

std::size_t local_cluster::start_taskmanager(int slots, std::vector<std::string> extra) {
  auto index = taskmanagers_.size();
  extra.push_back("taskmanager.numberOfTaskSlots=" + std::to_string(slots));
  extra.push_back("log.file=" + dir_.file("taskmanager-" + std::to_string(index) + ".log"));
  if (network_) {
    extra.push_back("taskmanager.host=" + network_->address(index + 1));
    extra.push_back("taskmanager.bind-host=" + network_->address(index + 1));
  }
  taskmanagers_.push_back(
    std::make_unique<child_process>(command(index + 1, "taskmanager", extra)));
  return taskmanagers_.size() - 1;
}

bool local_cluster::wait_for_taskmanagers(std::size_t count) {
  return wait_until([&] {
    auto [status, body] = get("/overview");
    return status == 200 && body.value("taskmanagers", -1) == static_cast<int>(count);
  });
}

process_result local_cluster::stop_jobmanager(int signal) {
  jobmanager_->send_signal(signal);
  auto r = jobmanager_->wait();
  jobmanager_.reset();
  return r;
}

process_result local_cluster::stop_taskmanager(std::size_t index, int signal) {
  auto& tm = taskmanagers_.at(index);
  tm->send_signal(signal);
  auto r = tm->wait();
  tm.reset();
  return r;
}

void local_cluster::signal_taskmanager(std::size_t index, int signal) const {
  taskmanagers_.at(index)->send_signal(signal);
}

pid_t local_cluster::taskmanager_pid(std::size_t index) const {
  return taskmanagers_.at(index)->pid();
}

pid_t local_cluster::jobmanager_pid() const {
  return jobmanager_->pid();
}

std::uint16_t local_cluster::rest_port() const {
  return rest_port_;
}

std::string local_cluster::rest_address() const {
  return "127.0.0.1:" + std::to_string(rest_port_);
}

process_result local_cluster::run_client(const std::vector<std::string>& args) const {
  if (!network_)
    return run_flink_cpp(args);
  return run_process(network_->command_in(0, flink_cpp(args)));
}

httplib::Client local_cluster::rest_client() const {
  auto address = "127.0.0.1:" + std::to_string(rest_port_);
  if (authority_file_.empty()) {
    httplib::Client client{"http://" + address};
    client.set_connection_timeout(std::chrono::seconds{2});
    return client;
  }
  httplib::Client client{"https://" + address, client_keystore_, client_keystore_};
  client.set_ca_cert_path(authority_file_);
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(std::chrono::seconds{2});
  return client;
}

std::pair<int, std::string> local_cluster::get_text(const std::string& path) const {
  return as_client(network_, [&]() -> std::pair<int, std::string> {
    auto client = rest_client();
    auto r = client.Get(path);
    if (!r)
      return {0, {}};
    return {r->status, r->body};
  });
}

std::pair<int, nlohmann::json> local_cluster::request(const std::string& method,
                                                      const std::string& path,
                                                      const std::string& body,
                                                      const std::string& content_type) const {
  return as_client(network_, [&]() -> std::pair<int, nlohmann::json> {
    auto client = rest_client();
    if (!token_.empty())
      client.set_bearer_token_auth(token_);
    httplib::Result r{nullptr, httplib::Error::Unknown};
    if (method == "GET")
      r = client.Get(path);
    else if (method == "POST")
      r = client.Post(path, body, content_type);
    else if (method == "PATCH")
      r = client.Patch(path, body, content_type);
    else if (method == "PUT")
      r = client.Put(path, body, content_type);
    else if (method == "DELETE")
      r = client.Delete(path);
    if (!r)
      return {-1, nullptr};
    auto parsed = nlohmann::json::parse(r->body, nullptr, false);
    return {r->status, parsed.is_discarded() ? nlohmann::json(nullptr) : parsed};
  });
}

std::pair<int, nlohmann::json> local_cluster::get(const std::string& path) const {
  return request("GET", path);
}

int kill_after_checkpoints(local_cluster& cluster, const std::string& job,
                           std::vector<std::size_t>& alive, int kills) {
  auto state = [&] { return cluster.get("/jobs/" + job).second.value("state", std::string{}); };
  auto count = [&](const char* which) {
    auto [status, body] = cluster.get("/jobs/" + job + "/checkpoints");
    return status == 200 ? body["counts"].value(which, 0L) : 0L;
  };
  int killed = 0;
  for (; killed < kills; ++killed) {
    auto before = count("completed");
    if (!wait_until([&] {
          return state() == "FINISHED" || (state() == "RUNNING" && count("completed") > before);
        }))
      throw std::runtime_error("job " + job + " neither completed a checkpoint nor finished");
    if (state() == "FINISHED")
      break;
    auto restored = count("restored");
    auto victim = alive.front();
    alive.erase(alive.begin());
    if (cluster.stop_taskmanager(victim, SIGKILL).exit_code != 128 + SIGKILL)
      throw std::runtime_error("a taskmanager sent SIGKILL did not die of it");
    alive.push_back(cluster.start_taskmanager(2));
    // The next kill waits for this one's restore.
    if (!wait_until([&] { return state() == "FINISHED" || count("restored") > restored; }))
      throw std::runtime_error("job " + job + " did not restore after a taskmanager was killed");
  }
  return killed;
}

} // namespace flinkcpp::testing
