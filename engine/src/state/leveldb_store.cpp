#include "state/leveldb_store.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "flinkcpp/detail/kv_state_tables.hpp"
#include "state/leveldb_database.hpp"
#include "state/leveldb_env.hpp"
#include "state/leveldb_native.hpp"
#include "util/id.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

bool starts_with(const leveldb::Slice& key, std::string_view prefix) {
  return key.size() >= prefix.size() && std::string_view{key.data(), prefix.size()} == prefix;
}

/// Visits the entries under `prefix` from `from` (at or after the prefix) on.
void scan(const leveldb_database& d, const leveldb::ReadOptions& options, std::string_view prefix,
          std::string_view from, const spi::kv_visitor& visit) {
  std::unique_ptr<leveldb::Iterator> it{d.db->NewIterator(options)};
  if (from < prefix)
    from = prefix;
  for (it->Seek(leveldb::Slice{from.data(), from.size()});
       it->Valid() && starts_with(it->key(), prefix); it->Next()) {
    if (!visit({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()}))
      break;
  }
  if (!it->status().ok())
    d.fail(it->status());
}

/// Opens (or, with `create`, creates) the database in `d.directory`.
void open_database(leveldb_database& d, bool create) {
  auto options = d.options;
  options.create_if_missing = create;
  options.error_if_exists = create;
  leveldb::DB* db = nullptr;
  auto s = leveldb::DB::Open(options, d.directory, &db);
  if (!s.ok())
    throw std::runtime_error("cannot open LevelDB state in '" + d.directory + "': " + s.ToString());
  d.db.reset(db);
}

/// The first bytes of every key in key group `group`.
std::string group_prefix(int group) {
  return detail::kv_prefix(group, 0).substr(0, 2); // the group, before the state id
}

class leveldb_snapshot final : public spi::kv_snapshot {
public:
  explicit leveldb_snapshot(std::shared_ptr<leveldb_database> d)
    : database_(std::move(d)),
      snapshot_(database_->db->GetSnapshot()) {}
  ~leveldb_snapshot() override { database_->db->ReleaseSnapshot(snapshot_); }

  void scan(std::string_view prefix, const spi::kv_visitor& visit) const override {
    leveldb::ReadOptions options;
    options.snapshot = snapshot_;
    options.fill_cache = false; // a full scan would evict the working set
    flinkcpp::scan(*database_, options, prefix, prefix, visit);
  }

private:
  std::shared_ptr<leveldb_database> database_;
  const leveldb::Snapshot* snapshot_;
};

class leveldb_store final : public spi::kv_store {
public:
  explicit leveldb_store(std::shared_ptr<leveldb_database> d) : database_(std::move(d)) {}

  bool get(std::string_view key, std::string& value) override {
    auto s = database_->db->Get({}, {key.data(), key.size()}, &value);
    if (s.IsNotFound())
      return false;
    if (!s.ok())
      database_->fail(s);
    return true;
  }

  void put(std::string_view key, std::string_view value) override {
    leveldb::WriteBatch batch;
    batch.Put({key.data(), key.size()}, {value.data(), value.size()});
    database_->write(batch, 1);
  }

  void erase(std::string_view key) override {
    leveldb::WriteBatch batch;
    batch.Delete({key.data(), key.size()});
    database_->write(batch, 1);
  }

  void scan(std::string_view prefix, const spi::kv_visitor& visit) override {
    flinkcpp::scan(*database_, {}, prefix, prefix, visit);
  }

  void scan_from(std::string_view prefix, std::string_view from,
                 const spi::kv_visitor& visit) override {
    flinkcpp::scan(*database_, {}, prefix, from, visit);
  }

  void erase_prefix(std::string_view prefix) override {
    leveldb::WriteBatch batch;
    std::uint64_t count = 0;
    scan(prefix, [&](std::string_view key, std::string_view) {
      batch.Delete({key.data(), key.size()});
      ++count;
      return true;
    });
    database_->write(batch, count);
  }

  std::shared_ptr<const spi::kv_snapshot> snapshot() override {
    return std::make_shared<leveldb_snapshot>(database_);
  }

  std::shared_ptr<spi::native_state> native_snapshot() override { return pin_tables(database_); }

  void restore_native(const std::vector<std::shared_ptr<spi::native_state>>& parts,
                      spi::key_group_range range) override {
    if (parts.size() == 1) {
      auto& only = dynamic_cast<leveldb_restored&>(*parts.front());
      if (only.first_group == range.begin && only.end_group == range.end) {
        adopt(only);
        return;
      }
    }
    for (const auto& part : parts)
      copy_groups(dynamic_cast<leveldb_restored&>(*part), range);
  }

private:
  /// Takes the restored database as this store's own.
  void adopt(leveldb_restored& restored) {
    auto& d = *database_;
    d.db.reset();
    std::error_code ec;
    fs::remove_all(d.directory, ec);
    fs::rename(restored.directory, d.directory, ec);
    if (ec)
      throw std::runtime_error("cannot move restored LevelDB state '" + restored.directory +
                               "' to '" + d.directory + "': " + ec.message());
    restored.adopted = true;
    open_database(d, false);
    d.sequence = restored.sequence;
    std::lock_guard<std::mutex> guard{d.uploads_mutex};
    d.confirmed = std::move(restored.reusable);
  }

  /// Copies the groups of `range` the restored database holds (its key
  /// groups were redistributed), and its catalog.
  void copy_groups(const leveldb_restored& restored, spi::key_group_range range) {
    leveldb_database source;
    source.directory = restored.directory;
    source.options.max_open_files = database_->options.max_open_files;
    source.options.env = reading_env();
    open_database(source, false);
    leveldb::ReadOptions options;
    options.fill_cache = false;
    std::unique_ptr<leveldb::Iterator> it{source.db->NewIterator(options)};
    leveldb::WriteBatch batch;
    std::uint64_t count = 0;
    auto copy = [&](const std::string& begin, const std::string& end) {
      for (it->Seek(begin); it->Valid() && (end.empty() || it->key().compare(end) < 0);
           it->Next()) {
        batch.Put(it->key(), it->value());
        if (++count % 4096 == 0) {
          database_->write(batch, 4096);
          batch.Clear();
        }
      }
    };
    copy(group_prefix(std::max<int>(range.begin, restored.first_group)),
         group_prefix(std::min<int>(range.end, restored.end_group)));
    copy(std::string{detail::kv_catalog_prefix}, {});
    if (!it->status().ok())
      source.fail(it->status());
    database_->write(batch, count % 4096);
    it.reset();
    source.db.reset();
    source.directory.clear(); // the restored part removes its directory itself
  }

  std::shared_ptr<leveldb_database> database_;
};

} // namespace

leveldb_database::~leveldb_database() {
  db.reset(); // close before the cache and the files go
  cache.reset();
  if (directory.empty())
    return;
  std::error_code ec;
  fs::remove_all(directory, ec);
  fs::remove(fs::path{directory}.parent_path(), ec); // the job's, once empty
}

void leveldb_database::write(leveldb::WriteBatch& batch, std::uint64_t count) {
  if (count == 0)
    return;
  auto s = db->Write({}, &batch);
  if (!s.ok())
    fail(s);
  sequence += count;
}

void leveldb_database::fail(const leveldb::Status& status) const {
  throw std::runtime_error("LevelDB state in '" + directory + "' failed: " + status.ToString());
}

void leveldb_database::confirm(std::int64_t checkpoint) {
  std::lock_guard<std::mutex> guard{uploads_mutex};
  if (auto i = pending.find(checkpoint); i != pending.end())
    confirmed = std::move(i->second);
  pending.erase(pending.begin(), pending.upper_bound(checkpoint));
}

leveldb_backend::leveldb_backend(leveldb_settings settings, std::string job, int subtask)
  : settings_(std::move(settings)),
    job_(std::move(job)),
    subtask_(subtask) {}

std::unique_ptr<spi::kv_store> leveldb_backend::open(const std::string& name) {
  auto d = std::make_shared<leveldb_database>();
  d->name = name + "-" + std::to_string(subtask_) + "-" + job_id::random().to_string().substr(0, 8);
  d->directory = (fs::path{settings_.local_dir} / ("job-" + job_) / d->name).string();
  std::error_code ec;
  fs::create_directories(d->directory, ec);
  if (ec)
    throw std::runtime_error("cannot create the LevelDB state directory '" + d->directory +
                             "' (state.backend.leveldb.localdir): " + ec.message());
  d->cache.reset(leveldb::NewLRUCache(settings_.block_cache_bytes));
  d->options.block_cache = d->cache.get();
  d->filter.reset(leveldb::NewBloomFilterPolicy(10)); // about 1% false positives
  d->options.filter_policy = d->filter.get();
  d->options.write_buffer_size = settings_.write_buffer_bytes;
  d->options.max_open_files = settings_.max_open_files;
  d->options.env = reading_env();
  open_database(*d, true);
  {
    std::lock_guard<std::mutex> guard{mutex_};
    databases_.push_back(d);
  }
  return std::make_unique<leveldb_store>(std::move(d));
}

void leveldb_backend::checkpoint_complete(std::int64_t checkpoint) {
  std::lock_guard<std::mutex> guard{mutex_};
  for (auto i = databases_.begin(); i != databases_.end();) {
    if (auto d = i->lock()) {
      d->confirm(checkpoint);
      ++i;
    } else {
      i = databases_.erase(i);
    }
  }
}

} // namespace flinkcpp
