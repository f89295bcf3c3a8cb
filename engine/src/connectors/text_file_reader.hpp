#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "connectors/line_splitter.hpp"
#include "flinkcpp/file_source.hpp"

namespace flinkcpp {

/// The reader of a text_file_source (Flink's FileSourceReader with a text
/// line format): reads its splits one after the other, asking the
/// enumerator for the next when it has none, and emits the lines each
/// owns (Line: std::string, or text_line numbered from the file's start).
/// Reads happen on the io executor (one read of up to read_size bytes in
/// flight, one chunk read ahead); poll_next only cuts and emits lines, so
/// it never blocks. A file that cannot be read throws from poll_next,
/// naming it. Its state is the split it reads, with the position of its
/// next line, and those it has yet to start. Subtask thread only.
template <class Line>
class text_file_reader final : public source_reader<Line, file_source_split> {
public:
  static constexpr bool numbered = std::is_same_v<Line, text_line>;
  static constexpr std::size_t read_size = 1 << 20;

  explicit text_file_reader(source_reader_context& context);

  input_status poll_next(reader_output<Line>& output, std::size_t max_records) override;
  std::vector<file_source_split> snapshot_state(checkpoint_id checkpoint) override;
  void add_splits(std::vector<file_source_split> splits) override;
  void notify_no_more_splits() override { requests_.no_more(); }

private:
  struct chunk {
    std::uint64_t split_sequence = 0;
    std::uint64_t offset = 0;
    std::string bytes;
    bool end_of_file = false;
  };

  /// Shared with the io threads (outliving the reader while a read is in
  /// flight); guarded by `mutex`, but for the file, which only the read in
  /// flight touches.
  struct io_state {
    std::mutex mutex;
    std::deque<chunk> ready;
    /// Buffers of chunks the reader has cut, for the next reads (no
    /// allocation, no zeroing, no fresh pages per read).
    std::vector<std::string> spare;
    bool reading = false;
    std::string error;
    int fd = -1;
    std::string fd_path;
    ~io_state();
  };

  /// Starts the next split; false when there is none.
  bool start_split();
  void request_read();
  bool take_chunk(chunk& out);
  void check_io();

  source_reader_context* context_;
  std::shared_ptr<io_state> io_;
  std::deque<file_source_split> splits_;  ///< to read; the front one is being read
  std::optional<line_splitter> splitter_; ///< of the front split, once started
  split_requests requests_;
  std::uint64_t split_sequence_ = 0;
  std::uint64_t read_offset_ = 0;
  bool read_to_eof_ = false;
  std::int64_t line_number_ = 0; ///< of the last line cut from the front split's file
  std::string line_;
};

} // namespace flinkcpp
