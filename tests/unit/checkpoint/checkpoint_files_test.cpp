// The files of a checkpoint: sealed envelopes, _metadata and keyed state
// files, written and read back, and every kind of damage reported by name.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "checkpoint/storage/keyed_state_file.hpp"
#include "checkpoint/storage/sealed_file.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "support/temp_dir.hpp"

using namespace flinkcpp;
using flinkcpp::testing::read_file;
using flinkcpp::testing::temp_dir;
using flinkcpp::testing::write_file;

namespace {

checkpoint_metadata sample_metadata() {
  checkpoint_metadata m;
  m.job = job_id::derived_from("job");
  m.id = checkpoint_id{7};
  m.timestamp = 1234;
  operator_state op;
  op.op = operator_id::derived_from("op");
  op.name = "counter";
  op.parallelism = 2;
  operator_subtask_state s;
  s.op = op.op;
  s.subtask = 1;
  s.lists.push_back({"positions", spi::redistribution::split, {"a", "bc"}});
  s.has_keyed = true;
  s.keyed.file = "file";
  s.keyed.size = 99;
  s.keyed.checksum = 42;
  s.keyed.first_group = 64;
  s.keyed.end_group = 128;
  op.subtasks.push_back(s);
  m.operators.push_back(op);
  m.coordinators.push_back({operator_id::derived_from("source"), "ranges", "unassigned splits"});
  return m;
}

operator_id op_of(const checkpoint_metadata& m) {
  return m.operators.at(0).op;
}

std::string error_of(const std::string& dir) {
  auto r = read_checkpoint_metadata(dir);
  return r ? std::string{} : r.error();
}

} // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_files)

BOOST_AUTO_TEST_CASE(metadata_round_trips) {
  temp_dir dir;
  BOOST_REQUIRE(write_checkpoint_metadata(dir.path().string(), sample_metadata()));
  auto back = read_checkpoint_metadata(dir.file("_metadata")); // the file or its directory
  BOOST_REQUIRE(back);
  BOOST_TEST(back->id == checkpoint_id{7});
  BOOST_TEST(back->operators.at(0).name == "counter");
  const auto& s = back->operators[0].subtasks.at(0);
  BOOST_TEST((s.lists.at(0).entries == std::vector<std::string>{"a", "bc"}));
  BOOST_TEST(s.keyed.checksum == 42u);
  BOOST_TEST(back->state_size() == 99u + 3u);
  BOOST_REQUIRE(back->coordinator_of(operator_id::derived_from("source")) != nullptr);
  BOOST_TEST(*back->coordinator_of(operator_id::derived_from("source")) == "unassigned splits");
  BOOST_TEST(back->coordinator_of(op_of(*back)) == nullptr);
}

BOOST_AUTO_TEST_CASE(metadata_of_format_version_2_reads_without_coordinator_states) {
  // Version 2 wrote the same fields but the coordinators' states.
  auto m = sample_metadata();
  std::string payload;
  detail::binary_writer w{payload};
  w(m.job, m.id, m.timestamp, m.savepoint, m.operators);
  temp_dir dir;
  write_file(dir.file("_metadata"), seal(metadata_magic, 2, payload));
  auto back = read_checkpoint_metadata(dir.path().string());
  BOOST_REQUIRE(back);
  BOOST_TEST(back->operators.at(0).name == "counter");
  BOOST_TEST(back->coordinators.empty());
}

BOOST_AUTO_TEST_CASE(damaged_metadata_is_reported_naming_the_file) {
  temp_dir dir;
  auto file = dir.file("_metadata");
  BOOST_TEST(error_of(dir.path().string()).find("cannot open '" + file + "'") == 0u);
  BOOST_REQUIRE(write_checkpoint_metadata(dir.path().string(), sample_metadata()));
  auto good = read_file(file);

  write_file(file, "");
  BOOST_TEST(error_of(dir.path().string()) == "checkpoint metadata '" + file + "' is empty");

  write_file(file, good.substr(0, good.size() / 2));
  BOOST_TEST(error_of(dir.path().string()).find("is truncated or padded") != std::string::npos);

  auto flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x10);
  write_file(file, flipped);
  BOOST_TEST(error_of(dir.path().string()) == "checkpoint metadata '" + file +
                                                "' is corrupt: its checksum does not match its "
                                                "content");

  write_file(file, "something else entirely");
  BOOST_TEST(error_of(dir.path().string()).find("is not a flink-cpp") != std::string::npos);

  auto newer = good;
  newer[8] = 9; // the version field
  write_file(file, newer);
  BOOST_TEST(error_of(dir.path().string()).find("has format version 9") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keyed_state_files_hold_their_groups) {
  temp_dir dir;
  auto handle = write_keyed_state_file(dir.path().string(), "op-0", {10, 20},
                                       [](const spi::key_group_sink& sink) {
                                         sink(11, "eleven");
                                         sink(15, "fifteen");
                                         sink(19, "");
                                       });
  BOOST_REQUIRE(handle);
  BOOST_TEST(handle->first_group == 10);
  BOOST_TEST(handle->end_group == 20);
  auto some = read_keyed_state_file(dir.path().string(), *handle, {12, 20});
  BOOST_REQUIRE(some);
  BOOST_TEST(some->size() == 2u);
  BOOST_TEST(some->at(0).first == 15);
  BOOST_TEST(some->at(0).second == "fifteen");
  BOOST_TEST(some->at(1).second.empty());

  auto path = dir.file("op-0");
  auto bytes = read_file(path);
  bytes[bytes.size() - 12] = static_cast<char>(bytes[bytes.size() - 12] ^ 1);
  write_file(path, bytes);
  auto damaged = read_keyed_state_file(dir.path().string(), *handle, {10, 20});
  BOOST_REQUIRE(!damaged);
  BOOST_TEST(damaged.error() == "checkpoint state file '" + path +
                                  "' is corrupt: its checksum does not match its content");

  std::filesystem::remove(path);
  auto missing = read_keyed_state_file(dir.path().string(), *handle, {10, 20});
  BOOST_REQUIRE(!missing);
  BOOST_TEST(missing.error().find("cannot open checkpoint state file '" + path + "'") == 0u,
             missing.error());
}

BOOST_AUTO_TEST_CASE(a_file_swapped_for_another_is_noticed) {
  temp_dir dir;
  auto write = [&](const std::string& name, const std::string& content) {
    return write_keyed_state_file(dir.path().string(), name, {0, 4},
                                  [&](const spi::key_group_sink& sink) { sink(1, content); });
  };
  auto a = write("a", "one");
  auto b = write("b", "two");
  BOOST_REQUIRE(a && b);
  std::filesystem::copy_file(dir.file("b"), dir.file("a"),
                             std::filesystem::copy_options::overwrite_existing);
  auto read = read_keyed_state_file(dir.path().string(), *a, {0, 4});
  BOOST_REQUIRE(!read);
  BOOST_TEST(read.error().find("is not the file its checkpoint recorded") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
