// State larger than memory.
//
// large_state: keyed state written and then read back: a single source
// emits the keys 0 .. --keys - 1 twice; the first time each key's state
// takes --value-bytes incompressible bytes derived from the key, the second
// time they are read back and checked. Every key that reads back right is
// emitted as "ok KEY", every other one as "wrong KEY".
//
// many_timers: --timers event-time timers, one for each key k of 0 ..
// --timers - 1 at time k, registered in descending order and fired at the
// end of the input (keyed parallelism 1: in time order). The timers check
// that they fire in order, each once: "at T" every 1,000,000th and for the
// last, "wrong T after L" for one out of its place.

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

class timer_per_key final
  : public flinkcpp::keyed_process_function<std::int64_t, std::int64_t, std::string> {
public:
  explicit timer_per_key(std::int64_t timers) : timers_(timers) {}

  void process_element(const std::int64_t& key, context& ctx,
                       flinkcpp::collector<std::string>&) override {
    ctx.timer_service().register_event_time_timer(key);
  }

  void on_timer(std::int64_t time, context&, flinkcpp::collector<std::string>& out) override {
    if (time != last_ + 1)
      out.collect("wrong " + std::to_string(time) + " after " + std::to_string(last_));
    last_ = time;
    if (time % 1'000'000 == 0 || time == timers_ - 1)
      out.collect("at " + std::to_string(time));
  }

private:
  std::int64_t timers_;
  std::int64_t last_ = -1;
};

} // namespace

FLINKCPP_JOB(many_timers, "Sets --timers event-time timers, one per key, and checks their firing")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto timers = args.get_int("timers", 1000000);
  env.from_sequence(0, timers - 1)
    .map([timers](std::int64_t i) { return timers - 1 - i; })
    .key_by([](std::int64_t k) { return k; })
    .process(timer_per_key{timers})
    .set_parallelism(1)
    .uid("timer-per-key")
    .write_as_text(args.required("output"))
    .set_parallelism(1);
}

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
