#include "state/leveldb_native.hpp"

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <leveldb/env.h>
#include <leveldb/table.h>

#include "checkpoint/storage/shared_state_files.hpp"
#include "state/leveldb_manifest.hpp"
#include "util/durable_file.hpp"
#include "util/id.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;

/// The tables of the database's current version, by level, from LevelDB's
/// "leveldb.sstables" property ("--- level N ---", then " NUMBER:SIZE[...]").
std::vector<leveldb_file_snapshot::table> list_tables(leveldb_database& d) {
  std::string listing;
  if (!d.db->GetProperty("leveldb.sstables", &listing))
    throw std::runtime_error("LevelDB state in '" + d.directory + "' lists no tables");
  std::vector<leveldb_file_snapshot::table> tables;
  std::istringstream lines{listing};
  std::string line;
  std::int32_t level = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("--- level ", 0) == 0) {
      level = std::stoi(line.substr(10));
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string::npos)
      continue;
    tables.push_back({std::stoull(line.substr(0, colon)), level});
  }
  return tables;
}

/// The name a table has in the database's directory (.ldb, or .sst from
/// older LevelDB versions).
std::string table_file_in(const std::string& directory, std::uint64_t number) {
  auto ldb = leveldb_table_file_name(number);
  if (fs::exists(fs::path{directory} / ldb))
    return ldb;
  return ldb.substr(0, ldb.size() - 3) + "sst";
}

/// The first and last internal keys of the table at `path`.
result<std::pair<std::string, std::string>> key_range_of(const std::string& path,
                                                         std::uint64_t size) {
  leveldb::RandomAccessFile* raw = nullptr;
  auto s = leveldb::Env::Default()->NewRandomAccessFile(path, &raw);
  std::unique_ptr<leveldb::RandomAccessFile> file{raw};
  leveldb::Table* table_raw = nullptr;
  if (s.ok())
    s = leveldb::Table::Open(leveldb::Options{}, file.get(), size, &table_raw);
  std::unique_ptr<leveldb::Table> table{table_raw};
  if (!s.ok())
    return failure{"cannot read LevelDB table '" + path + "': " + s.ToString()};
  std::unique_ptr<leveldb::Iterator> it{table->NewIterator(leveldb::ReadOptions{})};
  std::pair<std::string, std::string> range;
  it->SeekToFirst();
  if (it->Valid())
    range.first = it->key().ToString();
  it->SeekToLast();
  if (it->Valid())
    range.second = it->key().ToString();
  if (!it->status().ok() || range.first.empty())
    return failure{"cannot read LevelDB table '" + path + "': " +
                   (it->status().ok() ? std::string{"it is empty"} : it->status().ToString())};
  return range;
}

/// Uploads one pinned table to the shared directory.
result<shared_state_file> upload_table(const leveldb_file_snapshot& snapshot,
                                       const leveldb_file_snapshot::table& t,
                                       const std::string& shared_directory,
                                       checkpoint_id checkpoint) {
  auto from = (fs::path{snapshot.pinned} / table_file_in(snapshot.pinned, t.number)).string();
  auto name = shared_file_name(snapshot.database->name, t.number, checkpoint);
  auto checksum = copy_file_durably(from, (fs::path{shared_directory} / name).string());
  if (!checksum)
    return failure{checksum.error()};
  shared_state_file f;
  f.file = shared_file_reference(name);
  std::error_code ec;
  f.size = fs::file_size(from, ec);
  f.checksum = *checksum;
  f.uploaded_by = checkpoint;
  f.number = t.number;
  f.level = t.level;
  auto keys = key_range_of(from, f.size);
  if (!keys)
    return failure{keys.error()};
  f.smallest = std::move(keys->first);
  f.largest = std::move(keys->second);
  return f;
}

} // namespace

leveldb_file_snapshot::~leveldb_file_snapshot() {
  std::error_code ec;
  fs::remove_all(pinned, ec);
}

std::shared_ptr<leveldb_file_snapshot> pin_tables(const std::shared_ptr<leveldb_database>& d) {
  static std::atomic<std::uint64_t> pins{0};
  // A compaction of a range no key falls in: LevelDB writes its memtable
  // to a table first, so every write so far is in a table file.
  const std::string beyond(8, '\xff');
  leveldb::Slice edge{beyond};
  d->db->CompactRange(&edge, &edge);
  auto snapshot = std::make_shared<leveldb_file_snapshot>();
  snapshot->database = d;
  snapshot->sequence = d->sequence;
  snapshot->pinned = d->directory + ".pin-" + std::to_string(++pins);
  // A compaction finishing meanwhile may delete a listed table before it is
  // linked: list again. A listing whose every table got linked is whole.
  for (int attempt = 0;; ++attempt) {
    std::error_code ec;
    fs::remove_all(snapshot->pinned, ec);
    fs::create_directories(snapshot->pinned, ec);
    if (ec)
      throw std::runtime_error("cannot create '" + snapshot->pinned + "': " + ec.message());
    snapshot->tables = list_tables(*d);
    bool whole = true;
    for (const auto& t : snapshot->tables) {
      auto name = table_file_in(d->directory, t.number);
      fs::create_hard_link(fs::path{d->directory} / name, fs::path{snapshot->pinned} / name, ec);
      if (ec) {
        if (ec == std::errc::no_such_file_or_directory && attempt < 100) {
          whole = false;
          break;
        }
        throw std::runtime_error("cannot pin LevelDB table '" + name + "' of '" + d->directory +
                                 "': " + ec.message());
      }
    }
    if (whole)
      return snapshot;
  }
}

result<keyed_state_handle> upload_native_snapshot(spi::native_state& state,
                                                  const std::string& shared_directory,
                                                  checkpoint_id checkpoint,
                                                  spi::key_group_range range) {
  auto& snapshot = dynamic_cast<leveldb_file_snapshot&>(state);
  auto& d = *snapshot.database;
  std::error_code ec;
  fs::create_directories(shared_directory, ec);
  if (ec)
    return failure{"cannot create the shared checkpoint directory '" + shared_directory +
                   "': " + ec.message()};
  keyed_state_handle handle;
  handle.native = true;
  handle.first_group = range.begin;
  handle.end_group = range.end;
  handle.sequence = snapshot.sequence;
  std::map<std::uint64_t, shared_state_file> files;
  for (const auto& t : snapshot.tables) {
    std::optional<shared_state_file> known;
    {
      std::lock_guard<std::mutex> guard{d.uploads_mutex};
      if (auto i = d.confirmed.find(t.number); i != d.confirmed.end())
        known = i->second;
    }
    if (!known) {
      auto uploaded = upload_table(snapshot, t, shared_directory, checkpoint);
      if (!uploaded)
        return failure{uploaded.error()};
      known = std::move(uploaded.value());
    }
    known->level = t.level; // a compaction may have moved it down
    handle.size += known->size;
    handle.tables.push_back(*known);
    files.emplace(t.number, std::move(*known));
  }
  {
    std::lock_guard<std::mutex> guard{d.uploads_mutex};
    d.pending[checkpoint.value()] = std::move(files);
  }
  return handle;
}

leveldb_restored::~leveldb_restored() {
  if (adopted)
    return;
  std::error_code ec;
  fs::remove_all(directory, ec);
}

result<std::shared_ptr<leveldb_restored>> make_restored_database(const std::string& local_dir,
                                                                 const std::string& job,
                                                                 spi::key_group_range range,
                                                                 std::uint64_t sequence) {
  auto restored = std::make_shared<leveldb_restored>();
  restored->directory = (fs::path{local_dir} / ("job-" + job) /
                         ("restore-" + job_id::random().to_string().substr(0, 12)))
                          .string();
  restored->first_group = range.begin;
  restored->end_group = range.end;
  restored->sequence = sequence;
  std::error_code ec;
  fs::create_directories(restored->directory, ec);
  if (ec)
    return failure{"cannot create the LevelDB state directory '" + restored->directory +
                   "' (state.backend.leveldb.localdir): " + ec.message()};
  return restored;
}

result<std::shared_ptr<spi::native_state>>
prepare_native_restore(const std::string& checkpoint_directory, const keyed_state_handle& handle,
                       const std::string& local_dir, const std::string& job, bool reusable) {
  auto made =
    make_restored_database(local_dir, job, {handle.first_group, handle.end_group}, handle.sequence);
  if (!made)
    return failure{made.error()};
  auto restored = std::move(made.value());
  std::error_code ec;
  for (const auto& t : handle.tables) {
    auto from = (fs::path{checkpoint_directory} / t.file).lexically_normal().string();
    auto what = "checkpoint state file '" + from + "'";
    auto size = fs::file_size(from, ec);
    if (ec)
      return failure{"cannot read " + what + ": " + ec.message()};
    if (size != t.size)
      return failure{what + " is not the file its checkpoint recorded (size differs)"};
    auto to = (fs::path{restored->directory} / leveldb_table_file_name(t.number)).string();
    fs::create_hard_link(from, to, ec);
    // Another file system: copied, checksummed on the way.
    auto checksum = ec ? copy_file_durably(from, to) : file_checksum(to);
    if (!checksum)
      return failure{checksum.error()};
    if (*checksum != t.checksum)
      return failure{what + " is not the file its checkpoint recorded (checksum differs)"};
    if (reusable)
      restored->reusable.emplace(t.number, t);
  }
  auto manifest = write_leveldb_manifest(restored->directory, handle.tables, handle.sequence);
  if (!manifest)
    return failure{manifest.error()};
  return std::shared_ptr<spi::native_state>{std::move(restored)};
}

} // namespace flinkcpp
