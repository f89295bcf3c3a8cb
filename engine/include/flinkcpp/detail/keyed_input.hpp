#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// The input side of an operator on a keyed stream of In: hands every
/// record to `Derived::process(const In&, std::uint64_t key_hash)`, with the
/// key hash its batch carries (computed with KeyFn when it carries none, or
/// for records handed over within a chain).
template <class In, class Out, class KeyFn, class Derived>
class keyed_input_operator : public one_input_operator<In, Out> {
public:
  using collector<In>::collect;

  explicit keyed_input_operator(KeyFn key) : key_(std::move(key)) {}

  void process_batch(spi::record_batch& batch) override {
    bool hashed = batch.key_hashes.size() == batch.size();
    for_each_record<In>(batch, this->timestamp(), [&](In& record, std::size_t i) {
      self().process(record, hashed ? batch.key_hashes[i] : key_hash(std::invoke(key_, record)));
    });
  }

  void collect(In&& record) override {
    self().process(record, key_hash(std::invoke(key_, static_cast<const In&>(record))));
  }

protected:
  /// The record's key (a reference into it for a member key: not copied).
  decltype(auto) key_of(const In& record) const { return std::invoke(key_, record); }

private:
  Derived& self() { return static_cast<Derived&>(*this); }

  KeyFn key_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END
