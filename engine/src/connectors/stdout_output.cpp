#include <atomic>
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
class stdout_output final : public buffered_text_output {
public:
  explicit stdout_output(sink_writer_context& context) : buffered_text_output(context) {}

  void appended() override { write_if_idle(); }

  bool ready() override {
    write_if_idle();
    return buffered_text_output::ready();
  }

  std::function<bool()> flush(bool) override {
    write_buffer();
    return io_.done_so_far();
  }

  void abort() noexcept override {}

private:
  // Lines go out as soon as no write is in flight (what piles up meanwhile
  // goes with the next write): a streaming job's print shows its results as
  // they come, and a fast one still writes in large pieces. `writing_` is
  // read per record, so it is a flag and not the io's locked count.
  void write_if_idle() {
    if (!buffer_.empty() && !writing_->exchange(true, std::memory_order_acq_rel))
      write_buffer();
  }

  std::function<void()> write_operation(std::shared_ptr<const std::string> data) override {
    return [data, writing = writing_] {
      struct written {
        std::atomic<bool>& flag;
        ~written() { flag.store(false, std::memory_order_release); }
      } done{*writing};
      std::lock_guard<std::mutex> guard{stdout_mutex()};
      write_fully(STDOUT_FILENO, *data, "to standard output");
    };
  }

  std::shared_ptr<std::atomic<bool>> writing_ = std::make_shared<std::atomic<bool>>(false);
};

} // namespace

namespace detail {

std::unique_ptr<text_output> make_stdout_output(sink_writer_context& context) {
  return std::make_unique<stdout_output>(context);
}

} // namespace detail
} // namespace flinkcpp
