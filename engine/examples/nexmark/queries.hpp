#pragma once

// The Nexmark queries flink-cpp runs (nexmark_job.cpp lists them), each
// adding its operators after the event stream and handing its rows to a
// query_output.

#include <optional>
#include <string>
#include <string_view>

#include "flinkcpp/data_stream.hpp"
#include "nexmark/model.hpp"

namespace flinkcpp::nexmark {

/// Where a query's rows go: into a directory as CSV lines (the file sink),
/// or, without one, discarded as they are (the suite's blackhole sink takes
/// rows, not text: a row is made into a line only to be written).
struct query_output {
  std::optional<std::string> directory;

  /// Writes `lines`, or discards them.
  void write(const data_stream<std::string>& lines) const {
    if (directory)
      lines.write_as_text(*directory).uid("nexmark-sink");
    else
      lines.discard();
  }

  /// Writes each row as line(row) -> std::string, or discards the rows.
  template <class Row, class Line>
  void write(const data_stream<Row>& rows, Line line) const {
    if (directory)
      write(rows.map(std::move(line)).name("CSV Lines"));
    else
      rows.discard();
  }
};

/// Adds a query's operators after `events` and hands its rows to `output`.
using query = void (*)(const data_stream<event>& events, const query_output& output);

/// The query called `name` ("q0", "q1", ...), or null.
query query_named(std::string_view name);

/// The names of the queries, comma-separated ("q0, q1, ...").
std::string query_names();

} // namespace flinkcpp::nexmark
