#include "flinkcpp/stream_environment.hpp"

#include <stdexcept>
#include <string>

#include "flinkcpp/data_stream.hpp"
#include "flinkcpp/file_source.hpp"
#include "flinkcpp/keyed_stream.hpp"
#include "flinkcpp/watermark_strategy.hpp"

namespace flinkcpp {

stream_environment::stream_environment(configuration config) : config_(std::move(config)) {}

int stream_environment::add_node(detail::stream_node node) {
  node.id = static_cast<int>(graph_.nodes.size());
  graph_.nodes.push_back(std::move(node));
  return graph_.nodes.back().id;
}

detail::stream_node& stream_environment::node(int id) {
  if (id < 0 || id >= static_cast<int>(graph_.nodes.size()))
    throw std::logic_error("flink-cpp: no operator " + std::to_string(id) + " in this job");
  return graph_.nodes[static_cast<std::size_t>(id)];
}

stream_environment& stream_environment::set_parallelism(int parallelism) {
  if (parallelism < 1)
    throw std::invalid_argument("parallelism must be at least 1, got " +
                                std::to_string(parallelism));
  graph_.parallelism = parallelism;
  return *this;
}

stream_environment& stream_environment::set_max_parallelism(int max_parallelism) {
  if (max_parallelism < 1 || max_parallelism > spi::max_key_groups)
    throw std::invalid_argument("max parallelism must be between 1 and " +
                                std::to_string(spi::max_key_groups) + ", got " +
                                std::to_string(max_parallelism));
  graph_.max_parallelism = max_parallelism;
  return *this;
}

stream_environment& stream_environment::disable_operator_chaining() {
  graph_.chaining_enabled = false;
  return *this;
}

namespace {

/// The lines of `path` from a text_file_source<Line>.
template <class Line>
data_stream<Line> read_lines(stream_environment& env, const std::string& path) {
  return env.from_source(text_file_source<Line>{path}, watermark_strategy<Line>::no_watermarks(),
                         "Text File Source");
}

} // namespace

data_stream<std::string> stream_environment::read_text_file(const std::string& path) {
  return read_lines<std::string>(*this, path);
}

data_stream<text_line> stream_environment::read_text_lines(const std::string& path) {
  return read_lines<text_line>(*this, path);
}

data_stream<std::int64_t> stream_environment::from_sequence(std::int64_t from, std::int64_t to) {
  if (from > to)
    throw std::invalid_argument("from_sequence: 'from' (" + std::to_string(from) +
                                ") must not be greater than 'to' (" + std::to_string(to) + ")");
  // Index i is from + i (unsigned arithmetic: the whole range of int64 has
  // 2^64 numbers, one more than a count can say; it then never ends).
  auto count = static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from) + 1;
  auto number = [from](std::int64_t i) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(from) +
                                     static_cast<std::uint64_t>(i));
  };
  return from_source(
    detail::generator_source<std::int64_t, decltype(number)>{number, count == 0 ? unbounded : count,
                                                             0},
    watermark_strategy<std::int64_t>::no_watermarks(), "Sequence Source");
}

} // namespace flinkcpp
