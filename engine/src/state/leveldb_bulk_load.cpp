#include "state/leveldb_bulk_load.hpp"

#include <cstring>
#include <filesystem>

#include <leveldb/comparator.h>
#include <leveldb/env.h>
#include <leveldb/table_builder.h>

#include "state/leveldb_manifest.hpp"

namespace flinkcpp {

namespace {

// LevelDB keeps internal keys in its tables (db/dbformat.h): the user key,
// then 8 bytes holding (sequence << 8 | type), little endian, ordered by
// user key ascending and then by sequence descending.
constexpr std::size_t trailer_size = 8;
constexpr std::uint64_t value_type = 1;  // kTypeValue
constexpr std::int32_t bottom_level = 6; // config::kNumLevels - 1

std::uint64_t trailer_of(const leveldb::Slice& key) {
  std::uint64_t t = 0;
  for (std::size_t i = 0; i < trailer_size; ++i)
    t |= static_cast<std::uint64_t>(static_cast<unsigned char>(key[key.size() - trailer_size + i]))
         << (8 * i);
  return t;
}

/// The order of internal keys, as LevelDB's InternalKeyComparator over the
/// bytewise comparator defines it; index keys are left unshortened (valid,
/// if a little larger).
class internal_key_order final : public leveldb::Comparator {
public:
  int Compare(const leveldb::Slice& a, const leveldb::Slice& b) const override {
    leveldb::Slice ua{a.data(), a.size() - trailer_size};
    leveldb::Slice ub{b.data(), b.size() - trailer_size};
    if (int c = ua.compare(ub); c != 0)
      return c;
    auto ta = trailer_of(a);
    auto tb = trailer_of(b);
    return ta > tb ? -1 : ta < tb ? 1 : 0;
  }
  const char* Name() const override { return "leveldb.InternalKeyComparator"; }
  void FindShortestSeparator(std::string*, const leveldb::Slice&) const override {}
  void FindShortSuccessor(std::string*) const override {}
};

const internal_key_order internal_order;

} // namespace

leveldb_bulk_loader::leveldb_bulk_loader(std::string directory, const leveldb::Options& options)
  : directory_(std::move(directory)),
    options_(options) {
  options_.comparator = &internal_order;
  options_.filter_policy = nullptr;
}

leveldb_bulk_loader::~leveldb_bulk_loader() {
  if (builder_)
    builder_->Abandon();
}

result<void> leveldb_bulk_loader::open_table() {
  shared_state_file t;
  t.number = tables_.size() + 2; // 1 is the descriptor's
  t.level = bottom_level;
  t.file = (std::filesystem::path{directory_} / leveldb_table_file_name(t.number)).string();
  leveldb::WritableFile* file = nullptr;
  auto s = leveldb::Env::Default()->NewWritableFile(t.file, &file);
  if (!s.ok())
    return failure{"cannot create LevelDB table '" + t.file + "': " + s.ToString()};
  file_.reset(file);
  builder_ = std::make_unique<leveldb::TableBuilder>(options_, file_.get());
  tables_.push_back(std::move(t));
  return {};
}

result<void> leveldb_bulk_loader::close_table() {
  auto& t = tables_.back();
  auto s = builder_->Finish();
  if (s.ok())
    s = file_->Close();
  if (!s.ok())
    return failure{"cannot write LevelDB table '" + t.file + "': " + s.ToString()};
  t.size = builder_->FileSize();
  t.largest = internal_key_;
  builder_.reset();
  file_.reset();
  return {};
}

result<void> leveldb_bulk_loader::add(std::string_view key, std::string_view value) {
  if (any_ && std::string_view{last_key_}.compare(key) >= 0)
    return failure{"corrupt state: a key given twice or out of order"};
  any_ = true;
  last_key_.assign(key);
  if (!builder_) {
    auto opened = open_table();
    if (!opened)
      return opened;
  }
  internal_key_.assign(key);
  std::uint64_t t = (sequence << 8) | value_type;
  for (std::size_t i = 0; i < trailer_size; ++i)
    internal_key_.push_back(static_cast<char>((t >> (8 * i)) & 0xff));
  if (tables_.back().smallest.empty())
    tables_.back().smallest = internal_key_;
  builder_->Add(internal_key_, {value.data(), value.size()});
  if (builder_->FileSize() >= options_.max_file_size)
    return close_table();
  return {};
}

result<void> leveldb_bulk_loader::finish() {
  if (builder_) {
    auto closed = close_table();
    if (!closed)
      return closed;
  }
  return write_leveldb_manifest(directory_, tables_, sequence);
}

} // namespace flinkcpp
