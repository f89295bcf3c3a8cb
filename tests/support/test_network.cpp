#include "support/test_network.hpp"

// The netfilter headers after the C library's (they redefine its structs
// when they come first).
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>

#include "support/process.hpp"

namespace flinkcpp::testing {

namespace {

const std::string ip = "/usr/sbin/ip";
const std::string nsenter = "/usr/bin/nsenter";
const std::string netns_dir = "/run/netns/";
const std::string name_start = "flinkcpp-";

void run(const std::vector<std::string>& argv) {
  auto r = run_process(argv);
  if (r.exit_code != 0) {
    std::string line;
    for (const auto& a : argv)
      line += (line.empty() ? "" : " ") + a;
    throw std::runtime_error("test_network: '" + line + "' failed (exit code " +
                             std::to_string(r.exit_code) + "): " + r.err);
  }
}

/// Removes the namespaces of test networks whose process is gone (a test
/// that crashed cannot remove its own).
void remove_stale_namespaces() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator{netns_dir, ec}) {
    auto name = entry.path().filename().string();
    if (name.rfind(name_start, 0) != 0)
      continue;
    auto pid = std::atoi(name.c_str() + name_start.size());
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
      run_process({ip, "netns", "del", name});
  }
}

void enter_namespace(const std::string& name) {
  auto path = netns_dir + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  int rc = ::setns(fd, CLONE_NEWNET);
  int error = errno;
  ::close(fd);
  if (rc != 0)
    throw std::runtime_error("cannot enter " + path + ": " + std::strerror(error));
}

std::atomic<int> networks_made{0};

} // namespace

/// A thread in the router's namespace holding each packet of netfilter
/// queue 0 for a fixed delay, then letting it through in arrival order.
/// Every packet still held is let through when it stops.
class test_network::packet_delay {
public:
  packet_delay(const std::string& router, std::chrono::milliseconds delay) : delay_(delay) {
    if (::pipe2(stop_pipe_, O_CLOEXEC) != 0)
      throw std::runtime_error(std::string{"pipe2: "} + std::strerror(errno));
    std::promise<void> bound;
    auto ready = bound.get_future();
    thread_ = std::thread{[this, router, &bound] { serve(router, bound); }};
    try {
      ready.get();
    } catch (...) {
      thread_.join();
      close_pipe();
      throw;
    }
  }

  ~packet_delay() {
    [[maybe_unused]] auto written = ::write(stop_pipe_[1], "x", 1);
    thread_.join();
    close_pipe();
  }

  packet_delay(const packet_delay&) = delete;
  packet_delay& operator=(const packet_delay&) = delete;

  std::uint64_t packets() const { return packets_; }

private:
  struct held_packet {
    std::uint32_t id;
    std::chrono::steady_clock::time_point due;
  };

  static int on_packet(nfq_q_handle*, nfgenmsg*, nfq_data* data, void* self) {
    auto* me = static_cast<packet_delay*>(self);
    if (auto* header = nfq_get_msg_packet_hdr(data)) {
      me->held_.push_back(
        {ntohl(header->packet_id), std::chrono::steady_clock::now() + me->delay_});
      ++me->packets_;
    }
    return 0;
  }

  void serve(const std::string& router, std::promise<void>& bound) {
    nfq_handle* handle = nullptr;
    nfq_q_handle* queue = nullptr;
    try {
      enter_namespace(router);
      handle = nfq_open();
      if (!handle)
        throw std::runtime_error(std::string{"nfq_open: "} + std::strerror(errno));
      queue = nfq_create_queue(handle, 0, &packet_delay::on_packet, this);
      if (!queue || nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 ||
          nfq_set_queue_maxlen(queue, 1 << 16) < 0)
        throw std::runtime_error(std::string{"netfilter queue 0: "} + std::strerror(errno));
    } catch (...) {
      if (queue)
        nfq_destroy_queue(queue);
      if (handle)
        nfq_close(handle);
      bound.set_exception(std::current_exception());
      return;
    }
    bound.set_value();
    relay(handle, queue);
    for (const auto& p : held_)
      nfq_set_verdict(queue, p.id, NF_ACCEPT, 0, nullptr);
    nfq_destroy_queue(queue);
    nfq_close(handle);
  }

  void relay(nfq_handle* handle, nfq_q_handle* queue) {
    alignas(8) char buffer[1 << 16];
    for (;;) {
      auto now = std::chrono::steady_clock::now();
      while (!held_.empty() && held_.front().due <= now) {
        nfq_set_verdict(queue, held_.front().id, NF_ACCEPT, 0, nullptr);
        held_.pop_front();
      }
      int timeout = -1;
      if (!held_.empty())
        timeout = static_cast<int>(
          std::chrono::ceil<std::chrono::milliseconds>(held_.front().due - now).count());
      pollfd fds[] = {{nfq_fd(handle), POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
      if (::poll(fds, 2, timeout) < 0 && errno != EINTR)
        return;
      if (fds[1].revents != 0)
        return;
      if (fds[0].revents != 0) {
        auto n = ::recv(nfq_fd(handle), buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) // ENOBUFS (the kernel's queue overflowed) loses those packets
          nfq_handle_packet(handle, buffer, static_cast<int>(n));
      }
    }
  }

  void close_pipe() {
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
  }

  const std::chrono::milliseconds delay_;
  int stop_pipe_[2] = {-1, -1};
  std::deque<held_packet> held_; // owned by thread_
  std::atomic<std::uint64_t> packets_{0};
  std::thread thread_;
};

test_network::test_network(std::size_t hosts)
  : prefix_(name_start + std::to_string(::getpid()) + "-" + std::to_string(networks_made++)),
    hosts_(hosts) {
  remove_stale_namespaces();
  try {
    run({ip, "netns", "add", router()});
    run({ip, "-n", router(), "link", "set", "lo", "up"});
    turn_on_forwarding();
    for (std::size_t h = 0; h < hosts_; ++h) {
      auto host = namespace_of(h);
      auto link = "h" + std::to_string(h);
      auto subnet = "10.77." + std::to_string(h);
      run({ip, "netns", "add", host});
      run({ip, "link", "add", "eth0", "netns", host, "type", "veth", "peer", "name", link, "netns",
           router()});
      run({ip, "-n", host, "addr", "add", subnet + ".2/24", "dev", "eth0"});
      run({ip, "-n", host, "link", "set", "eth0", "up"});
      run({ip, "-n", host, "link", "set", "lo", "up"});
      run({ip, "-n", host, "route", "add", "default", "via", subnet + ".1"});
      run({ip, "-n", router(), "addr", "add", subnet + ".1/24", "dev", link});
      run({ip, "-n", router(), "link", "set", link, "up"});
    }
  } catch (...) {
    remove();
    throw;
  }
}

test_network::~test_network() {
  remove();
}

void test_network::remove() {
  delay_.reset();
  for (std::size_t h = 0; h < hosts_; ++h)
    if (std::filesystem::exists(netns_dir + namespace_of(h)))
      run_process({ip, "netns", "del", namespace_of(h)});
  if (std::filesystem::exists(netns_dir + router()))
    run_process({ip, "netns", "del", router()});
}

void test_network::turn_on_forwarding() const {
  run_in_namespace(router(), [&] {
    std::ofstream forward{"/proc/sys/net/ipv4/ip_forward"};
    if (!(forward << "1\n" << std::flush))
      throw std::runtime_error("cannot turn on IPv4 forwarding in " + router());
  });
}

std::string test_network::address(std::size_t host) const {
  return "10.77." + std::to_string(host) + ".2";
}

std::string test_network::namespace_of(std::size_t host) const {
  return prefix_ + "-host" + std::to_string(host);
}

std::string test_network::router() const {
  return prefix_ + "-router";
}

std::vector<std::string> test_network::command_in(std::size_t host,
                                                  const std::vector<std::string>& argv) const {
  std::vector<std::string> full{nsenter, "--net=" + netns_dir + namespace_of(host), "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

void test_network::enter(const std::string& name) {
  enter_namespace(name);
}

void test_network::router_iptables(const std::vector<std::string>& rule) const {
  std::vector<std::string> argv{nsenter, "--net=" + netns_dir + router(), "--",
                                "/usr/sbin/iptables", "-w"};
  argv.insert(argv.end(), rule.begin(), rule.end());
  run(argv);
}

void test_network::set_loss(double fraction) {
  // Drops come first in the chain: a queued packet is accepted from the
  // queue and never reaches the rules after its own.
  auto rule = [&](const std::string& op, const std::string& probability) {
    std::vector<std::string> r{op, "FORWARD"};
    if (op == "-I")
      r.push_back("1");
    r.insert(r.end(),
             {"-m", "statistic", "--mode", "random", "--probability", probability, "-j", "DROP"});
    return r;
  };
  if (!loss_rule_.empty())
    router_iptables(rule("-D", loss_rule_));
  loss_rule_.clear();
  if (fraction > 0) {
    loss_rule_ = std::to_string(fraction);
    router_iptables(rule("-I", loss_rule_));
  }
}

void test_network::set_delay(std::chrono::milliseconds delay) {
  if (delay_) {
    router_iptables({"-D", "FORWARD", "-j", "NFQUEUE", "--queue-num", "0", "--queue-bypass"});
    delayed_before_ += delay_->packets();
    delay_.reset();
  }
  if (delay.count() > 0) {
    delay_ = std::make_unique<packet_delay>(router(), delay);
    router_iptables({"-A", "FORWARD", "-j", "NFQUEUE", "--queue-num", "0", "--queue-bypass"});
  }
}

void test_network::partition(std::size_t host) {
  auto link = "h" + std::to_string(host);
  router_iptables({"-I", "FORWARD", "1", "-i", link, "-j", "DROP"});
  router_iptables({"-I", "FORWARD", "1", "-o", link, "-j", "DROP"});
}

void test_network::heal(std::size_t host) {
  auto link = "h" + std::to_string(host);
  router_iptables({"-D", "FORWARD", "-i", link, "-j", "DROP"});
  router_iptables({"-D", "FORWARD", "-o", link, "-j", "DROP"});
}

std::uint64_t test_network::packets_dropped() const {
  auto r = run_process({nsenter, "--net=" + netns_dir + router(), "--", "/usr/sbin/iptables", "-w",
                        "-L", "FORWARD", "-n", "-v", "-x"});
  if (r.exit_code != 0)
    throw std::runtime_error("test_network: cannot list the router's rules: " + r.err);
  // "pkts bytes target ..." per rule, after two header lines.
  std::uint64_t dropped = 0;
  for (const auto& line : lines_of(r.out)) {
    std::istringstream fields{line};
    std::string packets, bytes, target;
    if (fields >> packets >> bytes >> target && target == "DROP")
      dropped += std::stoull(packets);
  }
  return dropped;
}

std::uint64_t test_network::packets_delayed() const {
  return delayed_before_ + (delay_ ? delay_->packets() : 0);
}

} // namespace flinkcpp::testing
