// The payload of a message between the processes of a cluster, as CAF's
// BASP hands it to the receiving process: a forwarding stack of actor
// handles, then a caf::message of the runtime's and the cluster's
// serializable types (deployments, credits, record batches, checkpoint
// acknowledgements, registrations, slot offers, metric samples...). Bytes
// either decode or give an error; nothing throws or crashes, and a decoded
// message serializes to bytes that decode and serialize to the same bytes.
// (Not rendered as text: flink-cpp's processes never do, Debian's CAF logs
// nothing, and CAF 0.17.6's text of a duration overflows for large ones.)
// Actor handles resolve through the actor system's registry only (no
// proxies), so a handle naming another node's actor decodes as an error.
//
// Input: the payload's bytes.

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>

#include "cluster/actor_system_setup.hpp"
#include "cluster/protocol.hpp"

using namespace flinkcpp;

namespace {

using forwarding_stack = std::vector<caf::strong_actor_ptr>;

/// The actor system every input decodes in: the cluster's message types,
/// no network. (A caf::actor_system_config must not be copied or moved: its
/// options point into it.)
struct decoding_system {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> sys;

  decoding_system() {
    configure_scheduler(config);
    register_cluster_message_types(config);
    sys = std::make_unique<caf::actor_system>(config);
  }
};

/// Made on first use and never destroyed: a CAF 0.17.6 actor_system
/// destroyed from exit(), as a static, reads memory its destructor has just
/// freed (valgrind shows it; destroyed before main returns, it does not).
caf::actor_system& system() {
  static auto* instance = new decoding_system;
  return *instance->sys;
}

bool decode(const char* data, std::size_t size, forwarding_stack& stack, caf::message& msg) {
  caf::binary_deserializer source{system(), data, size};
  return !source(stack, msg);
}

std::vector<char> encode(forwarding_stack& stack, caf::message& msg) {
  std::vector<char> bytes;
  caf::binary_serializer sink{system(), bytes};
  if (auto err = sink(stack, msg))
    throw std::logic_error("a decoded message does not serialize: " + system().render(err));
  return bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  forwarding_stack stack;
  caf::message msg;
  if (!decode(reinterpret_cast<const char*>(data), size, stack, msg))
    return 0;
  auto once = encode(stack, msg);
  forwarding_stack stack_again;
  caf::message msg_again;
  if (!decode(once.data(), once.size(), stack_again, msg_again))
    throw std::logic_error("a serialized message does not decode");
  if (encode(stack_again, msg_again) != once)
    throw std::logic_error("a decoded message does not serialize back to itself");
  return 0;
}
