#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "flinkcpp/configuration.hpp"

namespace flinkcpp {

/// Decides whether and when a failed job restarts (Flink's RestartStrategy),
/// configured by `restart-strategy.type` and its keys. Not thread-safe: owned
/// by one job master.
class restart_strategy {
public:
  using clock = std::chrono::steady_clock;

  virtual ~restart_strategy() = default;

  /// The strategy a validated configuration asks for.
  static std::unique_ptr<restart_strategy> from(const configuration& config);

  /// A failure happened at `now`. Returns how long to wait before restarting,
  /// or nullopt when the job must fail for good.
  virtual std::optional<std::chrono::milliseconds> on_failure(clock::time_point now) = 0;

  /// As Flink shows it in the job's configuration ("Restart with fixed delay
  /// (1000 ms). #2 restart attempts.").
  virtual std::string description() const = 0;
};

/// Never restarts (restart-strategy.type: none).
class no_restart final : public restart_strategy {
public:
  std::optional<std::chrono::milliseconds> on_failure(clock::time_point) override {
    return std::nullopt;
  }
  std::string description() const override { return "Restart deactivated."; }
};

/// At most `attempts` restarts, each after `delay`.
class fixed_delay_restart final : public restart_strategy {
public:
  fixed_delay_restart(std::int64_t attempts, std::chrono::milliseconds delay)
    : attempts_(attempts),
      delay_(delay) {}
  std::optional<std::chrono::milliseconds> on_failure(clock::time_point now) override;
  std::string description() const override;

private:
  std::int64_t attempts_;
  std::chrono::milliseconds delay_;
  std::int64_t used_ = 0;
};

/// Restarts after `delay` unless more than `max_failures` failures fell
/// within the last `interval`.
class failure_rate_restart final : public restart_strategy {
public:
  failure_rate_restart(std::int64_t max_failures, std::chrono::milliseconds interval,
                       std::chrono::milliseconds delay)
    : max_failures_(max_failures),
      interval_(interval),
      delay_(delay) {}
  std::optional<std::chrono::milliseconds> on_failure(clock::time_point now) override;
  std::string description() const override;

private:
  std::int64_t max_failures_;
  std::chrono::milliseconds interval_;
  std::chrono::milliseconds delay_;
  std::deque<clock::time_point> failures_;
};

/// Waits longer after each failure: initial backoff times multiplier^n, at
/// most max backoff, plus up to `jitter` of it at random; a job that ran
/// without failure for `reset_threshold` starts over at the initial backoff;
/// after `attempts_before_reset` restarts without a reset the job fails.
class exponential_delay_restart final : public restart_strategy {
public:
  struct settings {
    std::chrono::milliseconds initial_backoff{1000};
    std::chrono::milliseconds max_backoff{60000};
    double multiplier = 1.5;
    std::chrono::milliseconds reset_threshold{3600000};
    double jitter = 0.1;
    std::int64_t attempts_before_reset = INT32_MAX;
  };

  explicit exponential_delay_restart(settings s) : s_(s), backoff_(s.initial_backoff) {}
  std::optional<std::chrono::milliseconds> on_failure(clock::time_point now) override;
  std::string description() const override;

private:
  settings s_;
  std::chrono::milliseconds backoff_;
  std::int64_t attempts_ = 0;
  std::optional<clock::time_point> last_failure_;
};

} // namespace flinkcpp
