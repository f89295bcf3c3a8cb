#include "state/leveldb_store.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include "util/id.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

/// An open database, closed (and its directory removed) with its last user.
struct database {
  std::unique_ptr<leveldb::Cache> cache;
  std::unique_ptr<leveldb::DB> db;
  std::string directory;

  ~database() {
    db.reset(); // close before the cache and the files go
    cache.reset();
    std::error_code ec;
    fs::remove_all(directory, ec);
    fs::remove(fs::path{directory}.parent_path(), ec); // the job's, once empty
  }
};

[[noreturn]] void fail(const database& d, const leveldb::Status& status) {
  throw std::runtime_error("LevelDB state in '" + d.directory + "' failed: " + status.ToString());
}

bool starts_with(const leveldb::Slice& key, std::string_view prefix) {
  return key.size() >= prefix.size() &&
         std::string_view{key.data(), prefix.size()} == prefix;
}

void scan(const database& d, const leveldb::ReadOptions& options, std::string_view prefix,
          const detail::kv_visitor& visit) {
  std::unique_ptr<leveldb::Iterator> it{d.db->NewIterator(options)};
  for (it->Seek(leveldb::Slice{prefix.data(), prefix.size()});
       it->Valid() && starts_with(it->key(), prefix); it->Next()) {
    if (!visit({it->key().data(), it->key().size()}, {it->value().data(), it->value().size()}))
      break;
  }
  if (!it->status().ok())
    fail(d, it->status());
}

class leveldb_snapshot final : public detail::kv_snapshot {
public:
  explicit leveldb_snapshot(std::shared_ptr<database> d)
    : database_(std::move(d)), snapshot_(database_->db->GetSnapshot()) {}
  ~leveldb_snapshot() override { database_->db->ReleaseSnapshot(snapshot_); }

  void scan(std::string_view prefix, const detail::kv_visitor& visit) const override {
    leveldb::ReadOptions options;
    options.snapshot = snapshot_;
    options.fill_cache = false; // a full scan would evict the working set
    flinkcpp::scan(*database_, options, prefix, visit);
  }

private:
  std::shared_ptr<database> database_;
  const leveldb::Snapshot* snapshot_;
};

class leveldb_store final : public detail::kv_store {
public:
  explicit leveldb_store(std::shared_ptr<database> d) : database_(std::move(d)) {}

  bool get(std::string_view key, std::string& value) override {
    auto s = database_->db->Get({}, {key.data(), key.size()}, &value);
    if (s.IsNotFound())
      return false;
    if (!s.ok())
      fail(*database_, s);
    return true;
  }

  void put(std::string_view key, std::string_view value) override {
    auto s = database_->db->Put({}, {key.data(), key.size()}, {value.data(), value.size()});
    if (!s.ok())
      fail(*database_, s);
  }

  void erase(std::string_view key) override {
    auto s = database_->db->Delete({}, {key.data(), key.size()});
    if (!s.ok())
      fail(*database_, s);
  }

  void scan(std::string_view prefix, const detail::kv_visitor& visit) override {
    flinkcpp::scan(*database_, {}, prefix, visit);
  }

  void erase_prefix(std::string_view prefix) override {
    leveldb::WriteBatch batch;
    scan(prefix, [&](std::string_view key, std::string_view) {
      batch.Delete({key.data(), key.size()});
      return true;
    });
    auto s = database_->db->Write({}, &batch);
    if (!s.ok())
      fail(*database_, s);
  }

  std::shared_ptr<const detail::kv_snapshot> snapshot() override {
    return std::make_shared<leveldb_snapshot>(database_);
  }

private:
  std::shared_ptr<database> database_;
};

} // namespace

leveldb_backend::leveldb_backend(leveldb_settings settings, std::string job, int subtask)
  : settings_(std::move(settings)), job_(std::move(job)), subtask_(subtask) {}

std::unique_ptr<detail::kv_store> leveldb_backend::open(const std::string& name) {
  auto d = std::make_shared<database>();
  d->directory = (fs::path{settings_.local_dir} / ("job-" + job_) /
                  (name + "-" + std::to_string(subtask_) + "-" +
                   job_id::random().to_string().substr(0, 8)))
                   .string();
  std::error_code ec;
  fs::create_directories(d->directory, ec);
  if (ec)
    throw std::runtime_error("cannot create the LevelDB state directory '" + d->directory +
                             "' (state.backend.leveldb.localdir): " + ec.message());
  d->cache.reset(leveldb::NewLRUCache(settings_.block_cache_bytes));
  leveldb::Options options;
  options.create_if_missing = true;
  options.error_if_exists = true;
  options.block_cache = d->cache.get();
  options.write_buffer_size = settings_.write_buffer_bytes;
  options.max_open_files = settings_.max_open_files;
  leveldb::DB* db = nullptr;
  auto s = leveldb::DB::Open(options, d->directory, &db);
  if (!s.ok())
    throw std::runtime_error("cannot open LevelDB state in '" + d->directory +
                             "': " + s.ToString());
  d->db.reset(db);
  return std::make_unique<leveldb_store>(std::move(d));
}

} // namespace flinkcpp
