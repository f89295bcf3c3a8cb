#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "connectors/serial_io.hpp"
#include "flinkcpp/detail/text_output.hpp"

namespace flinkcpp {

/// The common part of the text outputs (Base: detail::text_output or
/// detail::text_file_output): lines collect in the buffer and are written by a
/// serial_io once the buffer holds write_threshold bytes, with at most one
/// write in flight; while a full buffer waits behind a write, the output is
/// not ready and backpressures the sink's inputs.
template <class Base>
class buffered_text_output_of : public Base {
public:
  void appended() override {
    if (this->buffer_.size() >= Base::write_threshold && io_.pending() == 0)
      write_buffer();
  }

  bool ready() override {
    if (this->buffer_.size() < Base::write_threshold)
      return true;
    if (io_.pending() > 0)
      return false;
    write_buffer();
    return true;
  }

  bool quiescent() const override { return io_.pending() == 0; }
  void check() override { io_.check(); }

protected:
  explicit buffered_text_output_of(sink_writer_context& context)
    : io_(context.io(), context.waker()) {}

  /// Schedules a write of the whole buffer (if not empty).
  void write_buffer() {
    if (this->buffer_.empty())
      return;
    auto data = std::make_shared<const std::string>(std::move(this->buffer_));
    this->buffer_.clear();
    // Room for the next write at once: growing by doubling would copy each
    // byte about twice more on its way to the file.
    this->buffer_.reserve(Base::write_threshold + Base::write_threshold / 4);
    io_.submit(write_operation(std::move(data)));
  }

  /// The blocking operation writing `data`.
  virtual std::function<void()> write_operation(std::shared_ptr<const std::string> data) = 0;

  serial_io io_;
};

using buffered_text_output = buffered_text_output_of<detail::text_output>;

} // namespace flinkcpp
