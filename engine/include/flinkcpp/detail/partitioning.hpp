#pragma once

// How records of one stream edge are spread over the consumer's subtasks
// (Flink's StreamPartitioner), and the record writers that do it: each writer
// fills one batch per channel and hands a batch on when it reaches
// `taskmanager.memory.segment-size` bytes or when the runtime flushes it
// (`execution.buffer-timeout`, end of input).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/record_size.hpp"
#include "flinkcpp/detail/stream_operator.hpp"
#include "flinkcpp/export.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/partitioner.hpp"
#include "flinkcpp/spi/record_batch.hpp"

FLINKCPP_API_BEGIN

namespace flinkcpp::detail {

/// A record writer choosing one channel per record with `Selector`:
///   std::uint32_t select(const T&, std::uint64_t& key_hash)
/// and `Selector::keyed` telling whether key hashes travel with the batch.
template <class T, class Selector>
class record_writer final : public spi::record_writer_base, public collector<T> {
public:
  using collector<T>::collect;

  record_writer(Selector selector, const spi::writer_config& config, spi::batch_sink& sink)
    : selector_(std::move(selector)),
      sink_(sink),
      timestamps_(config.timestamps),
      open_(config.channels) {
    for (auto& slot : open_)
      slot.limit = config.batch_bytes;
  }

  spi::collector_ref input() override { return spi::collector_ref::of<T>(this); }

  void collect(T&& record) override {
    std::uint64_t hash = 0;
    std::uint32_t channel = selector_.select(record, hash);
    auto& slot = open_[channel];
    if (!slot.batch) {
      slot.batch = std::make_shared<spi::typed_batch<T>>();
      slot.batch->records.reserve(slot.last_count);
      if constexpr (Selector::keyed)
        slot.batch->key_hashes.reserve(slot.last_count);
      if (timestamps_ != nullptr)
        slot.batch->timestamps.reserve(slot.last_count);
    }
    slot.bytes += record_size(record);
    slot.batch->records.push_back(std::move(record));
    if constexpr (Selector::keyed)
      slot.batch->key_hashes.push_back(hash);
    if (timestamps_ != nullptr)
      slot.batch->timestamps.push_back(timestamps_->value);
    if (slot.bytes >= slot.limit)
      hand_on(channel);
  }

  void flush() override {
    for (std::uint32_t c = 0; c < open_.size(); ++c)
      if (open_[c].batch)
        hand_on(c);
  }

  bool has_buffered() const override {
    for (const auto& slot : open_)
      if (slot.batch)
        return true;
    return false;
  }

  void set_batch_bytes(std::uint32_t channel, std::size_t bytes) override {
    open_.at(channel).limit = bytes;
  }

private:
  struct open_batch {
    std::shared_ptr<spi::typed_batch<T>> batch;
    std::size_t bytes = 0;
    std::size_t limit = 0;
    std::size_t last_count = 0;
  };

  void hand_on(std::uint32_t channel) {
    auto& slot = open_[channel];
    slot.last_count = slot.batch->records.size();
    slot.bytes = 0;
    sink_.emit(channel, std::move(slot.batch));
  }

  Selector selector_;
  spi::batch_sink& sink_;
  const spi::record_timestamp* timestamps_;
  std::vector<open_batch> open_;
};

/// Forward: the single channel of a one-to-one edge.
struct forward_selector {
  static constexpr bool keyed = false;
  template <class T>
  std::uint32_t select(const T&, std::uint64_t&) const {
    return 0;
  }
};

/// Rebalance and rescale: round robin over the producer's channels (all
/// consumers, or the few a rescale edge connects), starting at a channel that
/// depends on the producer so that producers do not all start on channel 0.
struct round_robin_selector {
  static constexpr bool keyed = false;
  std::uint32_t next = 0;
  std::uint32_t channels = 1;
  template <class T>
  std::uint32_t select(const T&, std::uint64_t&) {
    std::uint32_t c = next;
    next = next + 1 == channels ? 0 : next + 1;
    return c;
  }
};

/// Hash: key -> stable hash -> key group -> the consumer owning that group
/// (looked up in a table, one entry per key group).
template <class KeyFn>
struct key_group_selector {
  static constexpr bool keyed = true;

  key_group_selector(KeyFn key_fn, int max_parallelism, int consumers)
    : key(std::move(key_fn)),
      max_parallelism_(max_parallelism) {
    owner.reserve(static_cast<std::size_t>(max_parallelism));
    for (int g = 0; g < max_parallelism; ++g)
      owner.push_back(
        static_cast<std::uint32_t>(spi::subtask_for_key_group(max_parallelism, consumers, g)));
  }

  template <class T>
  std::uint32_t select(const T& record, std::uint64_t& hash) const {
    hash = key_hash(std::invoke(key, record));
    return owner[static_cast<std::size_t>(spi::key_group_of(hash, max_parallelism_))];
  }

  KeyFn key;
  int max_parallelism_;
  std::vector<std::uint32_t> owner;
};

/// Broadcast: every record to every channel, each consumer getting its own
/// copy (receivers own their batches and may move records out of them).
template <class T>
class broadcast_writer final : public spi::record_writer_base, public collector<T> {
public:
  using collector<T>::collect;

  broadcast_writer(const spi::writer_config& config, spi::batch_sink& sink)
    : batch_bytes_(config.batch_bytes),
      sink_(sink),
      channels_(config.channels),
      timestamps_(config.timestamps) {}

  spi::collector_ref input() override { return spi::collector_ref::of<T>(this); }

  void collect(T&& record) override {
    if (!batches_.size())
      batches_.resize(channels_);
    bytes_ += record_size(record);
    for (std::uint32_t c = 0; c < channels_; ++c) {
      auto& b = batches_[c];
      if (!b)
        b = std::make_shared<spi::typed_batch<T>>();
      if (timestamps_ != nullptr)
        b->timestamps.push_back(timestamps_->value);
    }
    for (std::uint32_t c = 0; c + 1 < channels_; ++c)
      batches_[c]->records.push_back(record);
    batches_[channels_ - 1]->records.push_back(std::move(record));
    if (bytes_ >= batch_bytes_)
      flush();
  }

  void flush() override {
    for (std::uint32_t c = 0; c < batches_.size(); ++c)
      if (batches_[c])
        sink_.emit(c, std::move(batches_[c]));
    bytes_ = 0;
  }

  bool has_buffered() const override { return bytes_ > 0; }

  /// All channels share one cut, so the writer keeps the smallest size asked.
  void set_batch_bytes(std::uint32_t, std::size_t bytes) override {
    batch_bytes_ = std::min(batch_bytes_, bytes);
  }

private:
  std::size_t batch_bytes_;
  spi::batch_sink& sink_;
  std::uint32_t channels_;
  const spi::record_timestamp* timestamps_;
  std::size_t bytes_ = 0;
  std::vector<std::shared_ptr<spi::typed_batch<T>>> batches_;
};

/// Batch serialization for records of type T: a record count, which
/// columns follow the records (key hashes, timestamps), the records, the
/// columns as raw 8-byte values.
template <class T>
class typed_partitioner : public spi::partitioner {
  static constexpr std::uint8_t has_key_hashes = 1;
  static constexpr std::uint8_t has_timestamps = 2;

  // An empty column's data() may be null, which memcpy must not be given.
  template <class V>
  static void append_column(const std::vector<V>& column, std::string& out) {
    if (!column.empty())
      out.append(reinterpret_cast<const char*>(column.data()), column.size() * sizeof(V));
  }

  template <class V>
  static void read_column(binary_reader& r, std::size_t n, std::vector<V>& column) {
    r.need(n * sizeof(V));
    column.resize(n);
    if (n > 0)
      std::memcpy(column.data(), r.pos, n * sizeof(V));
    r.pos += n * sizeof(V);
  }

public:
  void serialize(const spi::record_batch& batch, std::string& out) const override {
    const auto& records = static_cast<const spi::typed_batch<T>&>(batch).records;
    // One allocation for most batches: records rarely serialize larger than
    // they are in memory.
    out.reserve(out.size() + 16 + records.size() * sizeof(T) +
                batch.key_hashes.size() * sizeof(std::uint64_t) +
                batch.timestamps.size() * sizeof(std::int64_t));
    binary_writer w{out};
    w.write_varint(records.size());
    w.write(static_cast<std::uint8_t>((batch.key_hashes.empty() ? 0 : has_key_hashes) |
                                      (batch.timestamps.empty() ? 0 : has_timestamps)));
    for (const auto& r : records)
      w.write(r);
    append_column(batch.key_hashes, out);
    append_column(batch.timestamps, out);
  }

  spi::batch_ptr deserialize(std::string_view bytes) const override {
    binary_reader r{bytes.data(), bytes.data() + bytes.size()};
    auto n = r.read_varint();
    std::uint8_t columns = 0;
    r.read(columns);
    if ((columns & ~(has_key_hashes | has_timestamps)) != 0)
      throw serialization_error("corrupt batch: unknown columns " + std::to_string(columns));
    auto batch = std::make_shared<spi::typed_batch<T>>();
    // Every record takes at least one byte: a count beyond that is corrupt.
    r.need(static_cast<std::size_t>(std::min<std::uint64_t>(n, bytes.size())));
    batch->records.resize(static_cast<std::size_t>(n));
    for (auto& record : batch->records)
      r.read(record);
    if ((columns & has_key_hashes) != 0)
      read_column(r, static_cast<std::size_t>(n), batch->key_hashes);
    if ((columns & has_timestamps) != 0)
      read_column(r, static_cast<std::size_t>(n), batch->timestamps);
    if (r.pos != r.end)
      throw serialization_error("corrupt batch: " + std::to_string(r.end - r.pos) +
                                " bytes after its records");
    return batch;
  }
};

/// Partitioners that need nothing but the record type.
template <class T>
class plain_partitioner final : public typed_partitioner<T> {
public:
  explicit plain_partitioner(spi::ship_strategy s) : strategy_(s) {}

  spi::ship_strategy strategy() const noexcept override { return strategy_; }

  std::unique_ptr<spi::record_writer_base> create_writer(spi::ship_strategy resolved,
                                                         const spi::writer_config& config,
                                                         spi::batch_sink& sink) const override {
    switch (resolved) {
      case spi::ship_strategy::forward:
        return std::make_unique<record_writer<T, forward_selector>>(forward_selector{}, config,
                                                                    sink);
      case spi::ship_strategy::broadcast:
        return std::make_unique<broadcast_writer<T>>(config, sink);
      case spi::ship_strategy::rebalance:
      case spi::ship_strategy::rescale: {
        round_robin_selector selector;
        selector.channels = config.channels;
        selector.next = static_cast<std::uint32_t>(config.producer_index) % config.channels;
        return std::make_unique<record_writer<T, round_robin_selector>>(selector, config, sink);
      }
      case spi::ship_strategy::hash:
      case spi::ship_strategy::unspecified:
        break;
    }
    throw std::logic_error("flink-cpp: partitioner asked for a strategy it cannot serve");
  }

private:
  spi::ship_strategy strategy_;
};

/// The hash partitioner of a key_by: carries the key selector.
template <class T, class KeyFn>
class key_partitioner : public typed_partitioner<T> {
public:
  explicit key_partitioner(KeyFn key) : key_(std::move(key)) {}

  spi::ship_strategy strategy() const noexcept override { return spi::ship_strategy::hash; }

  std::unique_ptr<spi::record_writer_base> create_writer(spi::ship_strategy,
                                                         const spi::writer_config& config,
                                                         spi::batch_sink& sink) const override {
    key_group_selector<KeyFn> selector{key_, config.max_parallelism,
                                       static_cast<int>(config.channels)};
    return std::make_unique<record_writer<T, key_group_selector<KeyFn>>>(selector, config, sink);
  }

protected:
  const KeyFn& key() const { return key_; }

private:
  KeyFn key_;
};

} // namespace flinkcpp::detail
FLINKCPP_API_END
