#pragma once

// The Nexmark queries flink-cpp runs (nexmark_job.cpp lists them), each a
// function from the event stream to its rows as CSV lines.

#include <string>
#include <string_view>

#include "flinkcpp/data_stream.hpp"
#include "nexmark/model.hpp"

namespace flinkcpp::nexmark {

/// Adds a query's operators after `events`; returns its rows.
using query = data_stream<std::string> (*)(const data_stream<event>& events);

/// The query called `name` ("q0", "q1", ...), or null.
query query_named(std::string_view name);

/// The names of the queries, comma-separated ("q0, q1, ...").
std::string query_names();

} // namespace flinkcpp::nexmark
