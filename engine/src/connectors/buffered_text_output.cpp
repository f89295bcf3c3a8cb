#include "connectors/buffered_text_output.hpp"

namespace flinkcpp {

buffered_text_output::buffered_text_output(const spi::operator_context& context)
  : io_(*context.io, context.wake) {}

void buffered_text_output::appended() {
  if (buffer_.size() >= write_threshold && io_.pending() == 0)
    write_buffer();
}

bool buffered_text_output::ready() {
  if (buffer_.size() < write_threshold)
    return true;
  if (io_.pending() > 0)
    return false;
  write_buffer();
  return true;
}

void buffered_text_output::write_buffer() {
  if (buffer_.empty())
    return;
  auto data = std::make_shared<const std::string>(std::move(buffer_));
  buffer_.clear();
  io_.submit(write_operation(std::move(data)));
}

} // namespace flinkcpp
