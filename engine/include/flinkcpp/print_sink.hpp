#pragma once

#include <memory>
#include <string>
#include <vector>

#include "flinkcpp/detail/text_sink.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/sink.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

/// Prints each record as a line on standard output (Flink's PrintSink),
/// prefixed "N> " (the 1-based subtask) when the sink runs in parallel; with
/// an identifier, "identifier> " or "identifier:N> ". At least once: a
/// checkpoint waits until the lines before its barrier are written.
template <class T>
class print_sink final : public sink<T> {
public:
  explicit print_sink(std::string identifier = {}) : identifier_(std::move(identifier)) {}

  std::unique_ptr<sink_writer<T>> create_writer(sink_writer_context& context,
                                                std::vector<no_writer_state>) const override {
    std::string prefix = identifier_;
    if (context.parallelism() > 1)
      prefix += (prefix.empty() ? "" : ":") + std::to_string(context.subtask_index() + 1);
    if (!prefix.empty())
      prefix += "> ";
    return std::make_unique<detail::text_sink_writer<T, detail::text_output>>(
      detail::make_stdout_output(context), std::move(prefix));
  }

private:
  std::string identifier_;
};

} // namespace flinkcpp

FLINKCPP_API_END
