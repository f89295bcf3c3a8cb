#pragma once

#include <chrono>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "connectors/file_splits.hpp"
#include "flinkcpp/file_source.hpp"

namespace flinkcpp {

/// The enumerator of a text_file_source (Flink's StaticFileSplitEnumerator,
/// and its ContinuousFileSplitEnumerator when `interval` > 0): lists the
/// files off its thread (call_async), cuts them into ranges (one per file
/// when `whole_files`, else as many as readers), and answers each reader's
/// request with the next range in path order; once listed (bounded), a
/// request it cannot answer gets no-more-splits. Watching, it lists again
/// every `interval` and adds the files it has not listed before. A failed
/// listing throws from its continuation, which fails the job naming the
/// path. Called on the enumerator's thread only.
class file_split_enumerator final
  : public split_enumerator<file_source_split, file_source_checkpoint> {
public:
  struct settings {
    std::string path;
    bool whole_files = false;
    std::chrono::milliseconds interval{0};
  };

  file_split_enumerator(split_enumerator_context<file_source_split>& context, settings options,
                        file_source_checkpoint restored);

  void start() override;
  void handle_split_request(int subtask, const std::string& host) override;
  void add_splits_back(std::vector<file_source_split> splits, int subtask) override;
  void add_reader(int) override {}
  file_source_checkpoint snapshot_state(checkpoint_id checkpoint) override;

private:
  /// Takes the ranges of a listing, those of files not listed before.
  void add_listing(std::vector<file_split> listing);
  /// Answers the readers waiting for a split, as far as it can.
  void answer_waiting();

  split_enumerator_context<file_source_split>* context_;
  settings settings_;
  std::deque<file_source_split> pending_; ///< handed out from the front
  std::set<std::string> listed_paths_;
  bool listed_ = false;
  std::deque<int> waiting_; ///< readers that asked, in the order they asked
};

} // namespace flinkcpp
