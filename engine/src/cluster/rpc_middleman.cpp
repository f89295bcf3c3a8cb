#include "cluster/rpc_middleman.hpp"

#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/scoped_actor.hpp>

namespace flinkcpp {

namespace {

/// How long binding a port may take.
constexpr std::chrono::seconds bind_timeout{30};

template <class... Request>
result<std::uint16_t> bind_port(caf::actor_system& system, Request&&... request) {
  caf::scoped_actor self{system};
  result<std::uint16_t> out = failure{"no answer"};
  self->request(rpc_middleman(system), bind_timeout, std::forward<Request>(request)...)
    .receive([&](std::uint16_t bound) { out = bound; },
             [&](caf::error& e) { out = failure{system.render(e)}; });
  return out;
}

} // namespace

caf::io::middleman_actor rpc_middleman(caf::actor_system& system) {
  if (system.has_openssl_manager())
    return system.openssl_manager().actor_handle();
  return system.middleman().actor_handle();
}

peer_ports::~peer_ports() {
  caf::scoped_actor self{*system_};
  for (auto port : ports_)
    self->request(rpc_middleman(*system_), std::chrono::seconds{10}, caf::close_atom::value, port)
      .receive([] {}, [](caf::error&) {}); // closed, or nothing left to close
}

result<std::uint16_t> peer_ports::open(std::uint16_t port, const std::string& host) {
  return opened(bind_port(*system_, caf::open_atom::value, port, host, true));
}

result<std::uint16_t> peer_ports::publish(caf::strong_actor_ptr whom,
                                          std::set<std::string> interfaces, std::uint16_t port,
                                          const std::string& host) {
  return opened(bind_port(*system_, caf::publish_atom::value, port, std::move(whom),
                          std::move(interfaces), host, true));
}

result<std::uint16_t> peer_ports::opened(result<std::uint16_t> bound) {
  if (bound)
    ports_.push_back(*bound);
  return bound;
}

} // namespace flinkcpp
