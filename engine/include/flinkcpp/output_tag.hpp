#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Names a side output of records of type T (Flink's OutputTag): a function
/// emits to it with ctx.output(tag, value), and get_side_output(tag) on the
/// stream the function produced reads it. Tags are equal when their ids
/// are; one operator must not use one id for two types. A value type.
template <class T>
class output_tag {
public:
  using value_type = T;

  /// Throws std::invalid_argument for an empty id.
  explicit output_tag(std::string id) : id_(std::move(id)) {
    if (id_.empty())
      throw std::invalid_argument("output_tag: the id must not be empty");
  }

  const std::string& id() const noexcept { return id_; }

private:
  std::string id_;
};

} // namespace flinkcpp
FLINKCPP_API_END
