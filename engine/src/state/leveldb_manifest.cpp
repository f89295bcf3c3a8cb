#include "state/leveldb_manifest.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <boost/crc.hpp>

#include "util/durable_file.hpp"

namespace flinkcpp {

namespace {

// LevelDB's descriptor is a log of VersionEdit records (db/version_edit.cc,
// db/log_format.h): one edit here, naming the comparator, the log and file
// numbers, the last sequence and every table with its level and key range.
enum edit_tag : std::uint32_t {
  comparator_tag = 1,
  log_number_tag = 2,
  next_file_number_tag = 3,
  last_sequence_tag = 4,
  new_file_tag = 7,
};

enum record_type : std::uint8_t { full = 1, first = 2, middle = 3, last = 4 };

constexpr std::size_t block_size = 32768;
constexpr std::size_t header_size = 7;
constexpr std::uint64_t manifest_number = 1;

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_bytes(std::string& out, const std::string& bytes) {
  put_varint(out, bytes.size());
  out.append(bytes);
}

void put_fixed32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// LevelDB's masked CRC-32C of a record's type and payload.
std::uint32_t record_crc(record_type type, const char* data, std::size_t n) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  auto t = static_cast<char>(type);
  crc.process_bytes(&t, 1);
  crc.process_bytes(data, n);
  std::uint32_t c = crc.checksum();
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

/// `payload` as one log record, split over 32 KiB blocks as LevelDB does.
std::string log_record(const std::string& payload) {
  std::string out;
  std::size_t offset = 0;
  bool begin = true;
  do {
    std::size_t left_in_block = block_size - out.size() % block_size;
    if (left_in_block < header_size) {
      out.append(left_in_block, '\0'); // a trailer too small for a header
      left_in_block = block_size;
    }
    std::size_t fragment = std::min(payload.size() - offset, left_in_block - header_size);
    bool end = offset + fragment == payload.size();
    record_type type = begin && end ? full : begin ? first : end ? last : middle;
    put_fixed32(out, record_crc(type, payload.data() + offset, fragment));
    out.push_back(static_cast<char>(fragment & 0xff));
    out.push_back(static_cast<char>((fragment >> 8) & 0xff));
    out.push_back(static_cast<char>(type));
    out.append(payload, offset, fragment);
    offset += fragment;
    begin = false;
  } while (offset < payload.size());
  return out;
}

std::string numbered(const char* format, std::uint64_t number) {
  char name[64];
  std::snprintf(name, sizeof name, format, static_cast<unsigned long long>(number));
  return name;
}

} // namespace

std::string leveldb_table_file_name(std::uint64_t number) {
  return numbered("%06llu.ldb", number);
}

result<void> write_leveldb_manifest(const std::string& directory,
                                    const std::vector<shared_state_file>& tables,
                                    std::uint64_t last_sequence) {
  std::uint64_t next_file = manifest_number + 1;
  std::string edit;
  put_varint(edit, comparator_tag);
  put_bytes(edit, "leveldb.BytewiseComparator");
  put_varint(edit, log_number_tag);
  put_varint(edit, 0);
  for (const auto& t : tables) {
    put_varint(edit, new_file_tag);
    put_varint(edit, static_cast<std::uint64_t>(t.level));
    put_varint(edit, t.number);
    put_varint(edit, t.size);
    put_bytes(edit, t.smallest);
    put_bytes(edit, t.largest);
    next_file = std::max(next_file, t.number + 1);
  }
  put_varint(edit, next_file_number_tag);
  put_varint(edit, next_file);
  put_varint(edit, last_sequence_tag);
  put_varint(edit, last_sequence);
  namespace fs = std::filesystem;
  auto manifest = numbered("MANIFEST-%06llu", manifest_number);
  auto written = write_file_durably((fs::path{directory} / manifest).string(), log_record(edit));
  if (!written)
    return written;
  return write_file_durably((fs::path{directory} / "CURRENT").string(), manifest + "\n");
}

} // namespace flinkcpp
