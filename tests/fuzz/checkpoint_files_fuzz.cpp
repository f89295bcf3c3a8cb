// The files of a checkpoint as a restore reads them: `_metadata` and keyed
// state files, whole (as found on disk) or as a payload in a sound envelope
// (so that the payload's decoding is reached past the checksum). Reading
// fails with a message or succeeds; metadata read back writes and reads
// again unchanged.
//
// Input: one byte choosing the file and its form; for keyed state files two
// bytes of the key group range wanted; then the bytes.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "checkpoint/storage/checkpoint_metadata.hpp"
#include "checkpoint/storage/keyed_state_file.hpp"
#include "checkpoint/storage/sealed_file.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace flinkcpp;

namespace {

void read_metadata(std::string_view file) {
  fuzzing::clear_scratch();
  auto path = fuzzing::write_scratch_file(metadata_file_name, file);
  auto read = read_checkpoint_metadata(path);
  if (!read)
    return;
  auto again_dir = fuzzing::scratch_file("again");
  std::filesystem::create_directories(again_dir);
  if (!write_checkpoint_metadata(again_dir, *read))
    throw std::runtime_error("fuzzing: cannot write metadata");
  auto again = read_checkpoint_metadata(again_dir);
  std::string first;
  std::string second;
  detail::binary_writer{first}.write(*read);
  if (!again || (detail::binary_writer{second}.write(*again), first != second))
    throw std::logic_error("checkpoint metadata does not read back as it was written");
}

void read_keyed_state(std::string_view file, std::uint64_t checksum, spi::key_group_range wanted) {
  fuzzing::clear_scratch();
  fuzzing::write_scratch_file("keyed", file);
  keyed_state_handle handle;
  handle.file = "keyed";
  handle.size = file.size();
  handle.checksum = checksum;
  auto dir = fuzzing::scratch_file("");
  auto groups = read_keyed_state_file(dir, handle, wanted);
  if (!groups)
    return;
  for (const auto& [group, bytes] : *groups)
    if (!wanted.contains(group))
      throw std::logic_error("a key group outside the range asked for was read");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::fuzz_input in{data, size};
  auto form = in.byte() % 4;
  if (form < 2) {
    auto bytes = in.rest();
    read_metadata(form == 0 ? std::string{bytes} : seal(metadata_magic, metadata_version, bytes));
    return 0;
  }
  int first = in.byte() % 129;
  int end = first + in.byte() % (129 - first);
  spi::key_group_range wanted{first, end};
  auto bytes = in.rest();
  if (form == 2) { // as found; its checkpoint recorded the checksum its trailer holds
    std::uint64_t trailer = 0;
    if (bytes.size() >= sizeof trailer)
      std::memcpy(&trailer, bytes.data() + bytes.size() - sizeof trailer, sizeof trailer);
    read_keyed_state(bytes, trailer, wanted);
  } else {
    read_keyed_state(seal(keyed_state_magic, keyed_state_version, bytes), checksum_of(bytes),
                     wanted);
  }
  return 0;
}
