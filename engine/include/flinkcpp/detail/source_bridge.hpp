#pragma once

// Between a typed source (flinkcpp/source.hpp) and the runtime, which hosts
// enumerators without knowing their split types: splits and enumerator
// checkpoints as bytes (record_serialization's binary form).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/source.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A split as it travels and is checkpointed: its id and its binary form.
struct split_bytes {
  std::string id;
  std::string bytes;
  friend bool operator==(const split_bytes&, const split_bytes&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, split_bytes& x) {
  return f(x.id, x.bytes);
}

/// A source's split enumerator with its splits and its checkpoint as bytes:
/// what the runtime hosts. Deserialization failures throw
/// serialization_error.
using erased_enumerator = split_enumerator<split_bytes, std::string>;

/// What an erased enumerator asks of the runtime hosting it, splits as bytes.
using enumerator_host = split_enumerator_context<split_bytes>;

/// A source with its enumerator erased: what the runtime keeps of one.
class erased_source {
public:
  virtual ~erased_source() = default;
  virtual boundedness get_boundedness() const = 0;
  /// The enumerator, new (`checkpoint` null) or restored from a checkpoint's
  /// bytes; it calls `host` (which must outlive it).
  virtual std::unique_ptr<erased_enumerator>
  create_enumerator(enumerator_host& host, const std::string* checkpoint) const = 0;
};

/// The typed enumerator context over an enumerator_host.
template <class Split>
class hosted_enumerator_context final : public split_enumerator_context<Split> {
public:
  explicit hosted_enumerator_context(enumerator_host& host) : host_(&host) {}

  int current_parallelism() const override { return host_->current_parallelism(); }
  std::map<int, reader_info> registered_readers() const override {
    return host_->registered_readers();
  }
  void assign_split(Split split, int subtask) override {
    host_->assign_split(split_bytes{split.split_id(), to_bytes(split)}, subtask);
  }
  void signal_no_more_splits(int subtask) override { host_->signal_no_more_splits(subtask); }
  void call_async(std::function<std::function<void()>()> work,
                  std::chrono::milliseconds period) override {
    host_->call_async(std::move(work), period);
  }
  metric_group& metrics() override { return host_->metrics(); }

private:
  enumerator_host* host_;
};

/// A typed enumerator behind erased_enumerator; owns its context.
template <class Split, class Checkpoint>
class typed_enumerator final : public erased_enumerator {
public:
  template <class T>
  typed_enumerator(const flinkcpp::source<T, Split, Checkpoint>& typed, enumerator_host& host,
                   const std::string* checkpoint)
    : context_(std::make_unique<hosted_enumerator_context<Split>>(host)),
      enumerator_(checkpoint == nullptr
                    ? typed.create_enumerator(*context_)
                    : typed.restore_enumerator(*context_, from_bytes<Checkpoint>(*checkpoint))) {}

  void start() override { enumerator_->start(); }
  void handle_split_request(int subtask, const std::string& host) override {
    enumerator_->handle_split_request(subtask, host);
  }
  void add_splits_back(std::vector<split_bytes> splits, int subtask) override {
    std::vector<Split> typed;
    typed.reserve(splits.size());
    for (const auto& s : splits)
      typed.push_back(from_bytes<Split>(s.bytes));
    enumerator_->add_splits_back(std::move(typed), subtask);
  }
  void add_reader(int subtask) override { enumerator_->add_reader(subtask); }
  std::string snapshot_state(checkpoint_id checkpoint) override {
    return to_bytes(enumerator_->snapshot_state(checkpoint));
  }
  void notify_checkpoint_complete(checkpoint_id checkpoint) override {
    enumerator_->notify_checkpoint_complete(checkpoint);
  }
  void close() override { enumerator_->close(); }

private:
  std::unique_ptr<hosted_enumerator_context<Split>> context_;
  std::unique_ptr<split_enumerator<Split, Checkpoint>> enumerator_;
};

/// `typed` (shared, immutable) as an erased_source.
template <class T, class Split, class Checkpoint>
class typed_source final : public erased_source {
public:
  explicit typed_source(std::shared_ptr<const flinkcpp::source<T, Split, Checkpoint>> typed)
    : typed_(std::move(typed)) {}

  boundedness get_boundedness() const override { return typed_->get_boundedness(); }
  std::unique_ptr<erased_enumerator>
  create_enumerator(enumerator_host& host, const std::string* checkpoint) const override {
    return std::make_unique<typed_enumerator<Split, Checkpoint>>(*typed_, host, checkpoint);
  }

private:
  std::shared_ptr<const flinkcpp::source<T, Split, Checkpoint>> typed_;
};

} // namespace flinkcpp::detail

FLINKCPP_API_END
