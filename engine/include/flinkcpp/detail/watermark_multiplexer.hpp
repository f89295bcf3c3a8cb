#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "flinkcpp/event_time.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/watermark_generator.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// Combines the watermarks of several outputs, a source subtask's splits
/// each with a watermark generator of its own, into the subtask's (Flink's
/// WatermarkOutputMultiplexer): the least watermark of the outputs that are
/// not idle, idle when all are. A split that is behind holds the subtask
/// back; an idle one does not; a new one holds it until its first
/// watermark. The combined output gets a watermark when that least one rose
/// (it never goes back) and the idle status whenever it changes.
///
/// Not thread-safe (a subtask's thread). Outputs are references into the
/// multiplexer, valid until unregistered or the multiplexer goes.
class watermark_multiplexer {
public:
  /// Combines into `combined`, which must outlive the multiplexer.
  explicit watermark_multiplexer(watermark_output& combined);
  ~watermark_multiplexer();

  watermark_multiplexer(const watermark_multiplexer&) = delete;
  watermark_multiplexer& operator=(const watermark_multiplexer&) = delete;

  /// The output of `id`, registered now if it is new (active, with no
  /// watermark yet).
  watermark_output& output(const std::string& id);

  /// `id` is done: it no longer holds the others back (no-op if unknown).
  void unregister(const std::string& id);

  /// How many outputs are registered.
  std::size_t size() const noexcept { return outputs_.size(); }

private:
  class split_output;

  /// Tells `combined_` what changed.
  void update();

  watermark_output& combined_;
  std::map<std::string, std::unique_ptr<split_output>> outputs_;
  std::int64_t emitted_ = min_watermark;
  bool idle_ = false;
};

} // namespace flinkcpp::detail

FLINKCPP_API_END
