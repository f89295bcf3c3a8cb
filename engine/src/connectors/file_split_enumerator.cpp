#include "connectors/file_split_enumerator.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace flinkcpp {

file_split_enumerator::file_split_enumerator(split_enumerator_context<file_source_split>& context,
                                             settings options, file_source_checkpoint restored)
  : context_(&context),
    settings_(std::move(options)),
    pending_(restored.pending.begin(), restored.pending.end()),
    listed_paths_(restored.listed_paths.begin(), restored.listed_paths.end()),
    listed_(restored.listed) {}

void file_split_enumerator::start() {
  bool watching = settings_.interval.count() > 0;
  if (listed_ && !watching)
    return;
  auto path = settings_.path;
  int ranges = settings_.whole_files ? 1 : context_->current_parallelism();
  context_->call_async(
    [this, path, ranges]() -> std::function<void()> {
      auto listing = enumerate_file_splits(path, ranges);
      if (!listing)
        throw std::runtime_error(listing.error());
      return
        [this, splits = std::move(listing.value())]() mutable { add_listing(std::move(splits)); };
    },
    watching ? settings_.interval : std::chrono::milliseconds{0});
}

void file_split_enumerator::add_listing(std::vector<file_split> listing) {
  std::set<std::string> paths;
  for (auto& s : listing) {
    if (listed_paths_.count(s.path) != 0)
      continue;
    paths.insert(s.path);
    file_source_split split;
    split.path = std::move(s.path);
    split.offset = s.start;
    split.end = s.end;
    pending_.push_back(std::move(split));
  }
  listed_paths_.merge(paths);
  listed_ = true;
  answer_waiting();
}

void file_split_enumerator::handle_split_request(int subtask, const std::string&) {
  if (std::find(waiting_.begin(), waiting_.end(), subtask) == waiting_.end())
    waiting_.push_back(subtask);
  answer_waiting();
}

void file_split_enumerator::answer_waiting() {
  bool bounded = settings_.interval.count() == 0;
  while (!waiting_.empty()) {
    int subtask = waiting_.front();
    if (!pending_.empty()) {
      context_->assign_split(std::move(pending_.front()), subtask);
      pending_.pop_front();
    } else if (listed_ && bounded) {
      context_->signal_no_more_splits(subtask);
    } else {
      return; // until the next listing
    }
    waiting_.pop_front();
  }
}

void file_split_enumerator::add_splits_back(std::vector<file_source_split> splits, int) {
  pending_.insert(pending_.begin(), std::make_move_iterator(splits.begin()),
                  std::make_move_iterator(splits.end()));
  answer_waiting();
}

file_source_checkpoint file_split_enumerator::snapshot_state(checkpoint_id) {
  file_source_checkpoint out;
  out.pending.assign(pending_.begin(), pending_.end());
  out.listed_paths.assign(listed_paths_.begin(), listed_paths_.end());
  out.listed = listed_;
  return out;
}

} // namespace flinkcpp
