#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "connectors/file_splits.hpp"
#include "connectors/line_splitter.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/text_line.hpp"

namespace flinkcpp {

/// The source of read_text_file (Line: std::string) and read_text_lines
/// (Line: text_line, numbered; files are then read whole, one split each, so
/// that line numbers count from their start): the lines of its share of the
/// file splits.
/// Listing and reading happen on the io_executor (one read of up to
/// read_size bytes in flight, one read-ahead chunk); poll() only parses and
/// emits, so it never blocks. Read errors fail the subtask naming the file.
///
/// Its operator state (`splits`, split on restore) is the splits it has yet
/// to read, the current one with the offset of its next line; before the
/// files are listed, the share of the listing it is to take.
template <class Line>
class text_file_source final : public detail::source<Line> {
public:
  static constexpr bool numbered = std::is_same_v<Line, text_line>;
  static constexpr std::size_t read_size = 1 << 20;

  text_file_source(std::string path, const spi::operator_context& context);

  void open() override;
  spi::poll_result poll(std::size_t max_records) override;
  bool quiescent() const override;
  void check() override;
  void snapshot_state(checkpoint_id checkpoint, spi::operator_snapshot& snapshot) override;
  void restore_state(const spi::operator_restore& state) override;

private:
  struct chunk {
    std::uint64_t split_sequence = 0;
    std::uint64_t offset = 0;
    std::string bytes;
    bool end_of_file = false;
  };

  /// Shared with the io threads; guarded by `mutex`.
  struct io_state {
    std::mutex mutex;
    std::optional<std::vector<file_split>> splits;
    std::deque<chunk> ready;
    bool reading = false;
    std::string error;
    int fd = -1;
    std::string fd_path;
    ~io_state();
  };

  /// One entry of the source's state: a split (resumed at `resume` when
  /// `started`), or a share (index of parallelism) of the files still to list.
  struct position {
    bool is_share = false;
    file_split split;
    bool started = false;
    std::uint64_t resume = 0;
    std::int32_t share_index = 0;
    std::int32_t share_parallelism = 1;
  };

  void request_read();
  bool take_chunk(chunk& out);

  std::string path_;
  spi::operator_context context_;
  std::shared_ptr<io_state> io_;
  std::vector<position> splits_; ///< to read, in order
  std::vector<position> shares_; ///< of the listing, taken once it is known
  bool splits_known_ = false;
  std::size_t next_split_ = 0;
  std::optional<line_splitter> splitter_;
  std::uint64_t split_sequence_ = 0;
  std::uint64_t read_offset_ = 0;
  bool read_to_eof_ = false;
  std::string line_;
  /// Numbered lines: the number of the last line, and the offset up to which
  /// lines are counted but not emitted again (a restored split resumes there).
  std::int64_t line_number_ = 0;
  std::uint64_t emitted_until_ = 0;
};

} // namespace flinkcpp
