#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "flinkcpp/configuration.hpp"
#include "flinkcpp/detail/stream_graph.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/text_line.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp {

template <class T>
class data_stream;
template <class T>
class watermark_strategy;

/// Where a job builds its dataflow (Flink's StreamExecutionEnvironment): it
/// creates sources, and the streams they return grow the graph.
///
/// A job function gets one; building a graph must be deterministic, because
/// every process that runs the job builds it again. Not thread-safe.
class stream_environment {
public:
  /// A datagen count meaning "never stop".
  static constexpr std::uint64_t unbounded = std::numeric_limits<std::uint64_t>::max();

  explicit stream_environment(configuration config = {});

  stream_environment(const stream_environment&) = delete;
  stream_environment& operator=(const stream_environment&) = delete;

  // -- sources --------------------------------------------------------------

  /// The lines of a text file, or of every file under a directory (hidden
  /// files, starting with '.' or '_', are skipped). Files are cut into byte
  /// ranges read in parallel; a line belongs to the range it starts in. Lines
  /// end at '\n' (a "\r\n" ending loses its '\r'); the last line needs no
  /// newline. A missing path fails the job before it starts. A
  /// text_file_source (Flink's FileSource) given to from_source; one of
  /// those can also watch a directory for new files.
  data_stream<std::string> read_text_file(const std::string& path);

  /// The lines of a text file, or of every file under a directory, as
  /// read_text_file reads them, each with its file's path and its number in
  /// that file (from 1). Each file is read whole by one subtask (numbers
  /// count from the file's start), so files, not bytes, spread over the
  /// subtasks; with parallelism 1, files are read one after the other in
  /// the order of their paths, each from its first line to its last.
  data_stream<text_line> read_text_lines(const std::string& path);

  /// The numbers from..to, both included, spread over the parallel subtasks
  /// (Flink's NumberSequenceSource: a datagen of the numbers, on the source
  /// API, so a restored job spreads what is left over all its subtasks).
  data_stream<std::int64_t> from_sequence(std::int64_t from, std::int64_t to);

  /// The given records, in order, from a source with parallelism 1.
  template <class T>
  data_stream<T> from_elements(std::vector<T> elements);

  template <class T, class... Ts>
  data_stream<T> from_elements(T first, Ts... rest);

  /// generator(i) for every index i in 0..count-1 (Flink's
  /// DataGeneratorSource), spread over the subtasks; `unbounded` never ends.
  /// With rows_per_second > 0, at most that many records per second in total.
  template <class F>
  auto datagen(F generator, std::uint64_t count, double rows_per_second = 0);

  /// The records of `source` (Flink's fromSource, FLIP-27), S being a
  /// flinkcpp::source<T, Split, Checkpoint>: its split enumerator runs in
  /// the job master, a reader in each parallel subtask; records get their
  /// timestamps from `strategy` (else the reader's) and watermarks from one
  /// of its generators per split, combined over the subtask's splits.
  template <class S>
  data_stream<typename S::record_type>
  from_source(S source, watermark_strategy<typename S::record_type> strategy, std::string name);

  // -- job-wide settings ----------------------------------------------------

  /// The parallelism of operators that do not set their own (overrides
  /// parallelism.default and -p). Throws std::invalid_argument if < 1.
  stream_environment& set_parallelism(int parallelism);

  /// The number of key groups (overrides pipeline.max-parallelism).
  stream_environment& set_max_parallelism(int max_parallelism);

  /// Runs every operator as its own task (no operator chaining).
  stream_environment& disable_operator_chaining();

  /// The configuration the job runs with (validated).
  const configuration& config() const { return config_; }

  // -- graph access, for the stream templates and the runtime ---------------

  /// Adds a node, assigning its id. Returns the id.
  int add_node(detail::stream_node node);

  detail::stream_node& node(int id);

  const detail::stream_graph& graph() const { return graph_; }

private:
  configuration config_;
  detail::stream_graph graph_;
};

} // namespace flinkcpp
FLINKCPP_API_END
