#include <memory>
#include <mutex>

#include <unistd.h>

#include "connectors/buffered_text_output.hpp"

namespace flinkcpp {

namespace {

// One lock for all print sinks of the process: each write is whole lines, so
// the lines of concurrent subtasks never interleave.
std::mutex& stdout_mutex() {
  static std::mutex m;
  return m;
}

/// Standard output (print_sink). Nothing to commit: printed lines are final,
/// and a flush on a checkpoint barrier makes them durable (at least once).
/// Lines go out in writes of write_threshold bytes, and whatever is
/// buffered within execution.buffer-timeout of being printed (the runtime's
/// flush_held_output): a streaming job's print shows its results as they
/// come, and a fast one writes in large pieces.
class stdout_output final : public buffered_text_output {
public:
  explicit stdout_output(sink_writer_context& context) : buffered_text_output(context) {}

  bool holds_output() const override { return !buffer_.empty(); }
  void flush_held_output() override { write_buffer(); }

  std::function<bool()> flush(bool) override {
    write_buffer();
    return io_.done_so_far();
  }

  void abort() noexcept override {}

private:
  std::function<void()> write_operation(std::shared_ptr<const std::string> data) override {
    return [data] {
      std::lock_guard<std::mutex> guard{stdout_mutex()};
      write_fully(STDOUT_FILENO, *data, "to standard output");
    };
  }
};

} // namespace

namespace detail {

std::unique_ptr<text_output> make_stdout_output(sink_writer_context& context) {
  return std::make_unique<stdout_output>(context);
}

} // namespace detail
} // namespace flinkcpp
