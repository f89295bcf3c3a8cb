#include "cluster/actor_system_setup.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>

#include "cluster/errors.hpp"
#include "cluster/protocol.hpp"
#include "security/internal_tls.hpp"

namespace flinkcpp {

void configure_scheduler(caf::actor_system_config& config) {
  config.set("scheduler.policy", caf::atom("sharing"));
  register_error_category(config);
}

void configure_networked(caf::actor_system_config& config, std::size_t threads,
                         const security::internal_tls* tls) {
  configure_scheduler(config);
  if (threads > 0)
    config.set("scheduler.max-threads", threads);
  config.load<caf::io::middleman>();
  config.set("middleman.workers", std::size_t{0});
  if (tls) {
    config.load<caf::openssl::manager>();
    config.set("openssl.certificate", tls->certificate_file());
    config.set("openssl.key", tls->key_file());
    config.set("openssl.cafile", tls->authorities_file());
  }
  register_cluster_message_types(config);
}

} // namespace flinkcpp
