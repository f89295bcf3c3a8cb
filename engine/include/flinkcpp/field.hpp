#pragma once

#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// A record field with its name, for the formats that show names (JSON
/// objects, CSV error messages). An inspect function may hand
///
///   return f(field("id", x.id), field("price", x.price));
///
/// instead of `f(x.id, x.price)`; everything else that inspects a record
/// (printing, hashing, the binary form) sees only the value, so naming
/// fields changes nothing but the formats. A struct names all its fields or
/// none. A view of `value`, valid during the inspect call only.
template <class T>
struct named_field {
  const char* name;
  T& value;
};

template <class T>
named_field<T> field(const char* name, T& value) noexcept {
  return named_field<T>{name, value};
}

} // namespace flinkcpp

FLINKCPP_API_END
