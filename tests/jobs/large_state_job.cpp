// Keyed state larger than memory, written and then read back: a single
// source emits the keys 0 .. --keys - 1 twice; the first time each key's
// state takes --value-bytes incompressible bytes derived from the key, the
// second time they are read back and checked. Every key that reads back
// right is emitted as "ok KEY", every other one as "wrong KEY".

#include <cstdint>
#include <optional>
#include <string>

#include "flinkcpp/flinkcpp.hpp"

namespace {

/// The value of `key`: bytes of a splitmix64 sequence seeded by the key.
std::string value_of(std::int64_t key, std::int64_t bytes) {
  std::string v(static_cast<std::size_t>(bytes), '\0');
  auto x = static_cast<std::uint64_t>(key);
  for (std::size_t i = 0; i < v.size(); i += 8) {
    x += 0x9e3779b97f4a7c15ull;
    auto z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (std::size_t b = 0; b < 8 && i + b < v.size(); ++b)
      v[i + b] = static_cast<char>((z >> (8 * b)) & 0xff);
  }
  return v;
}

class write_then_check final
  : public flinkcpp::keyed_process_function<std::int64_t, std::int64_t, std::string> {
public:
  explicit write_then_check(std::int64_t value_bytes) : value_bytes_(value_bytes) {}

  void open(context& ctx) override {
    value_.emplace(ctx.state(flinkcpp::value_state_descriptor<std::string>{"payload"}));
  }

  void process_element(const std::int64_t& key, context&,
                       flinkcpp::collector<std::string>& out) override {
    auto stored = value_->value();
    if (!stored) {
      value_->update(value_of(key, value_bytes_));
      return;
    }
    out.collect((*stored == value_of(key, value_bytes_) ? "ok " : "wrong ") + std::to_string(key));
  }

private:
  std::int64_t value_bytes_;
  std::optional<flinkcpp::value_state<std::string>> value_;
};

} // namespace

FLINKCPP_JOB(large_state, "Writes --keys keys of --value-bytes into keyed state, then checks each")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto keys = args.get_int("keys", 100000);
  auto value_bytes = args.get_int("value-bytes", 1000);
  env.from_sequence(0, 2 * keys - 1)
    .set_parallelism(1) // every write reaches its key before the key's check
    .map([keys](std::int64_t i) { return i % keys; })
    .set_parallelism(1)
    .key_by([](std::int64_t k) { return k; })
    .process(write_then_check{value_bytes})
    .uid("write-then-check")
    .write_as_text(args.required("output"));
}
