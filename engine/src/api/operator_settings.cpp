#include "flinkcpp/detail/operator_settings.hpp"

#include <stdexcept>
#include <string>

#include "flinkcpp/stream_environment.hpp"

namespace flinkcpp::detail {

namespace {

stream_node& operator_node(stream_environment& env, int node, const char* setting) {
  if (node < 0)
    throw std::logic_error(std::string{setting} +
                           " applies to an operator, not to a union or a re-partitioned stream");
  return env.node(node);
}

} // namespace

void set_node_parallelism(stream_environment& env, int node, int parallelism) {
  auto& n = operator_node(env, node, "set_parallelism");
  if (parallelism < 1)
    throw std::invalid_argument("parallelism of '" + n.name + "' must be at least 1, got " +
                                std::to_string(parallelism));
  if (n.non_parallel && parallelism != 1)
    throw std::invalid_argument("parallelism of '" + n.name +
                                "' must be 1: the operator is not parallel, got " +
                                std::to_string(parallelism));
  n.parallelism = parallelism;
}

void set_node_max_parallelism(stream_environment& env, int node, int max_parallelism) {
  auto& n = operator_node(env, node, "set_max_parallelism");
  if (max_parallelism < 1 || max_parallelism > spi::max_key_groups)
    throw std::invalid_argument("max parallelism of '" + n.name + "' must be between 1 and " +
                                std::to_string(spi::max_key_groups) + ", got " +
                                std::to_string(max_parallelism));
  n.max_parallelism = max_parallelism;
}

void set_node_name(stream_environment& env, int node, std::string name) {
  operator_node(env, node, "name").name = std::move(name);
}

void set_node_uid(stream_environment& env, int node, std::string uid) {
  auto& n = operator_node(env, node, "uid");
  if (uid.empty())
    throw std::invalid_argument("the uid of '" + n.name + "' must not be empty");
  for (const auto& other : env.graph().nodes)
    if (other.id != n.id && other.uid == uid)
      throw std::invalid_argument("uid '" + uid + "' is already used by '" + other.name +
                                  "'; every operator needs its own uid");
  n.uid = std::move(uid);
}

void set_node_chaining(stream_environment& env, int node, bool chain_with_predecessor,
                       bool chain_at_all) {
  auto& n = operator_node(env, node, "chaining");
  if (!chain_at_all)
    n.chaining = chaining_strategy::never;
  else if (!chain_with_predecessor)
    n.chaining = chaining_strategy::head;
  else
    n.chaining = chaining_strategy::always;
}

} // namespace flinkcpp::detail
