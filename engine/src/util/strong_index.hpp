#pragma once

#include <compare>
#include <cstddef>
#include <ostream>
#include <string>

namespace flinkcpp {

/// A position counted from 0 among things of one kind: a vertex among a job
/// graph's vertices, a subtask among a vertex's parallel subtasks. `Tag` makes
/// each kind its own type, so a subtask index can never be passed where a
/// vertex index is expected. A plain value type.
template <class Tag>
class strong_index {
public:
  constexpr strong_index() = default;
  constexpr explicit strong_index(int value) : value_(value) {}

  constexpr int value() const { return value_; }
  /// The index into a container of the things it counts.
  constexpr std::size_t position() const { return static_cast<std::size_t>(value_); }
  std::string to_string() const { return std::to_string(value_); }

  friend constexpr auto operator<=>(const strong_index&, const strong_index&) = default;

  friend std::ostream& operator<<(std::ostream& out, const strong_index& x) {
    return out << x.value_;
  }

  /// Serialization (CAF's inspect idiom): the number.
  template <class Inspector>
  friend auto inspect(Inspector& f, strong_index& x) {
    return f(x.value_);
  }

private:
  int value_ = 0;
};

/// Vertex i of a job graph (the order of job_graph::vertices()).
using vertex_index = strong_index<struct vertex_index_tag>;
/// Subtask i of a vertex's parallel subtasks (Flink's subtask index).
using subtask_index = strong_index<struct subtask_index_tag>;

} // namespace flinkcpp
