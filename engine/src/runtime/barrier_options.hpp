#pragma once

// What a checkpoint barrier asks of every subtask beyond taking part in its
// checkpoint (Flink's CheckpointOptions with its SnapshotType): whether the
// snapshot is a savepoint or a full checkpoint, and whether the sources end
// after it (stop with savepoint), firing every event-time timer first (drain).

#include <cstdint>

namespace flinkcpp {

/// A value type of one byte; it travels in barriers between processes.
class barrier_options {
public:
  /// A periodic checkpoint (incremental where the state backend is).
  constexpr barrier_options() noexcept = default;

  /// A checkpoint written whole (flink-cpp checkpoint --full): complete and
  /// portable as a savepoint's state, also when checkpoints are incremental.
  static constexpr barrier_options full_checkpoint() noexcept { return barrier_options{full_bit}; }

  /// A savepoint; the job goes on.
  static constexpr barrier_options savepoint() noexcept { return barrier_options{savepoint_bit}; }

  /// A savepoint after which the sources end (flink-cpp stop). With `drain`
  /// the sources send the final watermark before the barrier, so that every
  /// event-time timer fires before the snapshot (stop --drain).
  static constexpr barrier_options stop_with_savepoint(bool drain) noexcept {
    return barrier_options{
      static_cast<std::uint8_t>(savepoint_bit | terminate_bit | (drain ? drain_bit : 0))};
  }

  constexpr bool is_savepoint() const noexcept { return (bits_ & savepoint_bit) != 0; }

  /// Whether the snapshot must be self-contained (a savepoint or a full
  /// checkpoint): never incremental.
  constexpr bool self_contained() const noexcept {
    return (bits_ & (savepoint_bit | full_bit)) != 0;
  }

  /// Whether the sources end after the barrier.
  constexpr bool ends_sources() const noexcept { return (bits_ & terminate_bit) != 0; }

  /// Whether the sources send the final watermark before the barrier.
  constexpr bool drains() const noexcept { return (bits_ & drain_bit) != 0; }

  friend constexpr bool operator==(barrier_options, barrier_options) = default;

  template <class Inspector>
  friend auto inspect(Inspector& f, barrier_options& x) {
    return f(x.bits_);
  }

private:
  static constexpr std::uint8_t savepoint_bit = 1;
  static constexpr std::uint8_t terminate_bit = 2;
  static constexpr std::uint8_t drain_bit = 4;
  static constexpr std::uint8_t full_bit = 8;

  constexpr explicit barrier_options(std::uint8_t bits) noexcept : bits_(bits) {}

  std::uint8_t bits_ = 0;
};

} // namespace flinkcpp
