#pragma once

#include <functional>
#include <memory>
#include <string>

#include "connectors/serial_io.hpp"
#include "flinkcpp/detail/text_output.hpp"

namespace flinkcpp {

/// The common part of the text outputs: lines collect in the buffer and are
/// written by a serial_io once the buffer holds write_threshold bytes, with at
/// most one write in flight; while a full buffer waits behind a write, the
/// output is not ready and backpressures the sink's inputs.
class buffered_text_output : public detail::text_output {
public:
  void appended() override;
  bool ready() override;
  bool quiescent() const override { return io_.pending() == 0; }
  void check() override { io_.check(); }

protected:
  explicit buffered_text_output(const spi::operator_context& context);

  /// Schedules a write of the whole buffer (if not empty).
  void write_buffer();

  /// The blocking operation writing `data`.
  virtual std::function<void()> write_operation(std::shared_ptr<const std::string> data) = 0;

  serial_io io_;
};

} // namespace flinkcpp
