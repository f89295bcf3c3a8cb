// Builds a given amount of keyed state, then keeps running without changing
// it: --keys keys of --value-bytes random bytes each, written at --rate
// records per second, then only records that leave the state alone.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>

#include "flinkcpp/flinkcpp.hpp"

namespace {

class loader final
  : public flinkcpp::keyed_process_function<std::int64_t, std::int64_t, std::int64_t> {
public:
  explicit loader(std::int64_t value_bytes) : value_bytes_(value_bytes) {}

  void open(context& ctx) override {
    value_.emplace(ctx.state(flinkcpp::value_state_descriptor<std::string>{"payload"}));
  }

  void process_element(const std::int64_t& key, context&,
                       flinkcpp::collector<std::int64_t>&) override {
    // Random bytes, so that LevelDB's compression cannot shrink the state.
    std::string value(static_cast<std::size_t>(value_bytes_), '\0');
    std::mt19937_64 bits{static_cast<std::uint64_t>(key)};
    for (std::size_t i = 0; i < value.size(); i += 8) {
      auto word = bits();
      std::memcpy(value.data() + i, &word, std::min<std::size_t>(8, value.size() - i));
    }
    value_->update(value);
  }

private:
  std::int64_t value_bytes_;
  std::optional<flinkcpp::value_state<std::string>> value_;
};

} // namespace

FLINKCPP_JOB(state_load, "Loads --keys keys of --value-bytes bytes into keyed state, then idles")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto keys = args.get_int("keys", 1000000);
  auto value_bytes = args.get_int("value-bytes", 1000);
  auto rate = args.get_int("rate", 500000);
  env
    .datagen([keys](std::int64_t i) { return i < keys ? i : std::int64_t{-1}; },
             flinkcpp::stream_environment::unbounded, static_cast<double>(rate))
    .uid("keys")
    .filter([](std::int64_t k) { return k >= 0; }) // loaded: nothing more reaches the state
    .key_by([](std::int64_t k) { return k; })
    .process(loader{value_bytes})
    .uid("loader")
    .discard();
}
