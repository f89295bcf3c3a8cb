#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace flinkcpp::testing {

/// A network of its own for one test: `hosts` network namespaces, each
/// joined by a veth pair to a router namespace that forwards between them.
/// Host i has the address 10.77.<i>.2 (the router 10.77.<i>.1) and routes
/// everything through the router, where the faults are made: packet loss,
/// delay and partitions, on what it forwards in both directions. Addresses
/// exist only inside these namespaces; two test_networks never see each
/// other. Made by the constructor (which first removes the namespaces of
/// test processes that died), removed with everything in it by the
/// destructor; the processes run in it must have ended by then.
///
/// Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2, iptables and
/// nsenter. The kernel here has no netem qdisc (tc qdisc add ... netem says
/// "Specified qdisc kind is unknown"), so loss is iptables' statistic
/// match and delay a netfilter queue whose packets a thread of the test
/// process lets through once they are due. Not thread-safe.
class test_network {
public:
  /// Throws std::runtime_error naming the command that failed.
  explicit test_network(std::size_t hosts);
  ~test_network();
  test_network(const test_network&) = delete;
  test_network& operator=(const test_network&) = delete;

  std::size_t hosts() const { return hosts_; }

  /// The address of host `host` ("10.77.<host>.2").
  std::string address(std::size_t host) const;

  /// The argv that runs `argv` inside host `host`'s namespace.
  std::vector<std::string> command_in(std::size_t host, const std::vector<std::string>& argv) const;

  /// Runs `work` on a thread of this process that has entered host
  /// `host`'s namespace (the sockets it opens live there) and returns its
  /// result; an exception it throws is thrown here.
  template <class Work>
  auto run_in(std::size_t host, Work work) const -> std::invoke_result_t<Work> {
    return run_in_namespace(namespace_of(host), std::move(work));
  }

  /// Drops `fraction` (0 to 1) of the packets the router forwards, at
  /// random; 0 drops none.
  void set_loss(double fraction);

  /// Holds every packet the router forwards for `delay` (in each direction,
  /// so a round trip takes twice that); zero lets them through at once.
  void set_delay(std::chrono::milliseconds delay);

  /// Cuts host `host` off from every other host (both directions), until
  /// heal(host).
  void partition(std::size_t host);
  void heal(std::size_t host);

  /// Packets the router has dropped (loss and partitions) so far.
  std::uint64_t packets_dropped() const;
  /// Packets the router has held for the delay so far.
  std::uint64_t packets_delayed() const;

private:
  class packet_delay;

  /// `work()` on a thread that entered namespace `name`.
  template <class Work>
  static auto run_in_namespace(const std::string& name, Work work) -> std::invoke_result_t<Work> {
    using value = std::invoke_result_t<Work>;
    std::exception_ptr failed;
    std::unique_ptr<std::conditional_t<std::is_void_v<value>, int, value>> out;
    std::thread{[&] {
      try {
        enter(name);
        if constexpr (std::is_void_v<value>)
          work();
        else
          out = std::make_unique<value>(work());
      } catch (...) {
        failed = std::current_exception();
      }
    }}.join();
    if (failed)
      std::rethrow_exception(failed);
    if constexpr (!std::is_void_v<value>)
      return std::move(*out);
  }

  static void enter(const std::string& name); // on the calling thread
  void turn_on_forwarding() const;            // in the router
  void remove();                              // every namespace made, and the delay
  std::string namespace_of(std::size_t host) const;
  std::string router() const;
  void router_iptables(const std::vector<std::string>& rule) const;

  std::string prefix_; // "flinkcpp-<pid>-<n>"
  std::size_t hosts_;
  std::string loss_rule_;
  std::unique_ptr<packet_delay> delay_;
  std::uint64_t delayed_before_ = 0; // by the delays set before delay_
};

} // namespace flinkcpp::testing
