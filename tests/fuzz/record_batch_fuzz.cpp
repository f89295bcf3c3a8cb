// The wire format of record batches between taskmanagers (a record count,
// the column flags, the records, the key hash and timestamp columns), as a
// receiving subtask decodes it for records of several types. Bytes either
// decode or throw serialization_error; a decoded batch encodes to bytes
// that decode to the same batch again.
//
// Input: one byte choosing the record type, then the batch's bytes.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "flinkcpp/detail/partitioning.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace flinkcpp;

namespace {

/// WordCount's record (engine/examples/wordcount.cpp): a string and a number.
struct word_count {
  std::string word;
  std::int64_t count = 0;
};

template <class Inspector>
auto inspect(Inspector& f, word_count& x) {
  return f(x.word, x.count);
}

template <class T>
void decode(std::string_view bytes) {
  detail::plain_partitioner<T> format{spi::ship_strategy::forward};
  spi::batch_ptr batch;
  try {
    batch = format.deserialize(bytes);
  } catch (const detail::serialization_error&) {
    return;
  }
  std::string once;
  format.serialize(*batch, once);
  std::string twice;
  format.serialize(*format.deserialize(once), twice);
  if (once != twice || batch->size() != format.deserialize(once)->size())
    throw std::logic_error("a decoded batch does not encode back to itself");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::fuzz_input in{data, size};
  auto type = in.byte() % 7;
  auto bytes = in.rest();
  switch (type) {
    case 0:
      decode<std::string>(bytes);
      break;
    case 1:
      decode<std::int64_t>(bytes);
      break;
    case 2:
      decode<std::pair<std::string, std::int64_t>>(bytes);
      break;
    case 3:
      decode<std::tuple<std::int32_t, double, std::string>>(bytes);
      break;
    case 4:
      decode<std::optional<std::string>>(bytes);
      break;
    case 5:
      decode<std::vector<std::string>>(bytes);
      break;
    default:
      decode<word_count>(bytes);
      break;
  }
  return 0;
}
