#include "cluster/restart_strategy.hpp"

#include <algorithm>
#include <random>

#include "config/core_options.hpp"

namespace flinkcpp {

std::unique_ptr<restart_strategy> restart_strategy::from(const configuration& config) {
  auto type = options::restart_strategy.get(config);
  if (type == "fixed-delay" || type == "fixeddelay")
    return std::make_unique<fixed_delay_restart>(options::fixed_delay_attempts.get(config),
                                                 options::fixed_delay_delay.get(config));
  if (type == "failure-rate" || type == "failurerate")
    return std::make_unique<failure_rate_restart>(options::failure_rate_max_failures.get(config),
                                                  options::failure_rate_interval.get(config),
                                                  options::failure_rate_delay.get(config));
  if (type == "exponential-delay" || type == "exponentialdelay") {
    exponential_delay_restart::settings s;
    s.initial_backoff = options::exponential_initial_backoff.get(config);
    s.max_backoff = options::exponential_max_backoff.get(config);
    s.multiplier = options::exponential_multiplier.get(config);
    s.reset_threshold = options::exponential_reset_threshold.get(config);
    s.jitter = options::exponential_jitter.get(config);
    s.attempts_before_reset = options::exponential_attempts_before_reset.get(config);
    return std::make_unique<exponential_delay_restart>(s);
  }
  return std::make_unique<no_restart>();
}

std::optional<std::chrono::milliseconds> fixed_delay_restart::on_failure(clock::time_point) {
  if (used_ >= attempts_)
    return std::nullopt;
  ++used_;
  return delay_;
}

std::string fixed_delay_restart::description() const {
  return "Restart with fixed delay (" + std::to_string(delay_.count()) + " ms). #" +
         std::to_string(attempts_) + " restart attempts.";
}

std::optional<std::chrono::milliseconds> failure_rate_restart::on_failure(clock::time_point now) {
  failures_.push_back(now);
  while (!failures_.empty() && now - failures_.front() > interval_)
    failures_.pop_front();
  if (static_cast<std::int64_t>(failures_.size()) > max_failures_)
    return std::nullopt;
  return delay_;
}

std::string failure_rate_restart::description() const {
  return "Failure rate restart with maximum of " + std::to_string(max_failures_) +
         " failures within interval " + std::to_string(interval_.count()) + " ms and fixed delay " +
         std::to_string(delay_.count()) + " ms.";
}

std::optional<std::chrono::milliseconds>
exponential_delay_restart::on_failure(clock::time_point now) {
  if (last_failure_ && now - *last_failure_ >= s_.reset_threshold) {
    backoff_ = s_.initial_backoff;
    attempts_ = 0;
  }
  last_failure_ = now;
  if (attempts_ >= s_.attempts_before_reset)
    return std::nullopt;
  ++attempts_;
  auto wait = backoff_;
  if (s_.jitter > 0 && wait.count() > 0) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    auto spread = static_cast<double>(wait.count()) * s_.jitter;
    std::uniform_real_distribution<double> jitter{-spread, spread};
    wait = std::chrono::milliseconds{std::max<std::int64_t>(
      0, static_cast<std::int64_t>(static_cast<double>(wait.count()) + jitter(rng)))};
  }
  auto next = static_cast<double>(backoff_.count()) * s_.multiplier;
  backoff_ = std::min(s_.max_backoff, std::chrono::milliseconds{static_cast<std::int64_t>(std::min(
                                        next, static_cast<double>(s_.max_backoff.count())))});
  return wait;
}

std::string exponential_delay_restart::description() const {
  return "Restart with exponential delay: starting at " +
         std::to_string(s_.initial_backoff.count()) + " ms, increases exponentially with a " +
         "multiplier, reaching at most " + std::to_string(s_.max_backoff.count()) + " ms.";
}

} // namespace flinkcpp
