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

/// Standard output (print()). Nothing to commit: printed lines are final.
class stdout_output final : public buffered_text_output {
public:
  explicit stdout_output(const spi::operator_context& context) : buffered_text_output(context) {}

  void open() override {}

  void appended() override { write_if_idle(); }

  bool ready() override {
    write_if_idle();
    return buffered_text_output::ready();
  }

  bool end_input() override {
    if (!ended_) {
      write_buffer();
      ended_ = true;
    }
    return quiescent();
  }

  bool needs_commit() const override { return false; }
  void commit() override {}
  void abort() noexcept override {}

private:
  // Lines go out as soon as no write is in flight (what piles up meanwhile
  // goes with the next write): a streaming job's print() shows its results
  // as they come, and a fast one still writes in large pieces.
  void write_if_idle() {
    if (io_.pending() == 0)
      write_buffer();
  }

  std::function<void()> write_operation(std::shared_ptr<const std::string> data) override {
    return [data] {
      std::lock_guard<std::mutex> guard{stdout_mutex()};
      write_fully(STDOUT_FILENO, *data, "to standard output");
    };
  }

  bool ended_ = false;
};

} // namespace

namespace detail {

std::unique_ptr<text_output> make_stdout_output(const spi::operator_context& context) {
  return std::make_unique<stdout_output>(context);
}

} // namespace detail
} // namespace flinkcpp
