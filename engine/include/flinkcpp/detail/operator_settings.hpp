#pragma once

#include <string>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {
class stream_environment;
}

namespace flinkcpp::detail {

// Settings of one operator node; each throws std::invalid_argument for a bad
// value and std::logic_error when `node` is not an operator (a union or a
// re-partitioned stream).
void set_node_parallelism(stream_environment& env, int node, int parallelism);
void set_node_max_parallelism(stream_environment& env, int node, int max_parallelism);
void set_node_name(stream_environment& env, int node, std::string name);
void set_node_uid(stream_environment& env, int node, std::string uid);
void set_node_chaining(stream_environment& env, int node, bool chain_with_predecessor,
                       bool chain_at_all);

/// The per-operator settings of Flink's SingleOutputStreamOperator and
/// DataStreamSink, for a stream or sink type `Derived` holding env_ and node_.
template <class Derived>
class operator_settings {
public:
  /// The operator's parallelism (>= 1).
  Derived& set_parallelism(int parallelism) {
    set_node_parallelism(env(), node(), parallelism);
    return self();
  }

  /// The operator's number of key groups (keyed operators).
  Derived& set_max_parallelism(int max_parallelism) {
    set_node_max_parallelism(env(), node(), max_parallelism);
    return self();
  }

  /// The name shown in plans, logs and the web UI.
  Derived& name(std::string n) {
    set_node_name(env(), node(), std::move(n));
    return self();
  }

  /// A stable identity for the operator's state across job versions.
  Derived& uid(std::string u) {
    set_node_uid(env(), node(), std::move(u));
    return self();
  }

  /// Never chains the operator with its neighbours.
  Derived& disable_chaining() {
    set_node_chaining(env(), node(), false, false);
    return self();
  }

  /// Starts a new chain at this operator (its successors may still chain to it).
  Derived& start_new_chain() {
    set_node_chaining(env(), node(), false, true);
    return self();
  }

private:
  Derived& self() { return static_cast<Derived&>(*this); }
  stream_environment& env() { return *self().env_; }
  int node() { return self().node_; }
};

} // namespace flinkcpp::detail
FLINKCPP_API_END
