// The formats (json_format, csv_format) reading what a Kafka topic or a file
// holds, for a record with nested structs, optionals, sequences and a map.
// Only format_error may escape reading, and what was read writes back in a
// form that reads back to the same form (writing is canonical: reading it
// again changes nothing).
//
// Input: a byte choosing the format (even: JSON, odd: CSV, whose settings
// the byte's other bits choose), then the bytes to read.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "flinkcpp/csv_format.hpp"
#include "flinkcpp/field.hpp"
#include "flinkcpp/json_format.hpp"
#include "fuzz/fuzz_input.hpp"

using namespace flinkcpp;

namespace {

struct place {
  std::string city;
  std::optional<std::int16_t> zip;
};

template <class Inspector>
auto inspect(Inspector& f, place& x) {
  return f(field("city", x.city), field("zip", x.zip));
}

struct order {
  std::int64_t id = 0;
  std::uint8_t priority = 0;
  double amount = 0;
  bool paid = false;
  char grade = 'a';
  place at;
  std::optional<std::string> note;
  std::vector<std::int32_t> items;
};

template <class Inspector>
auto inspect(Inspector& f, order& x) {
  return f(field("id", x.id), field("priority", x.priority), field("amount", x.amount),
           field("paid", x.paid), field("grade", x.grade), field("at", x.at), field("note", x.note),
           field("items", x.items));
}

/// JSON takes maps too (CSV has no column for one).
struct tagged {
  order o;
  std::map<std::string, std::vector<double>> tags;
};

template <class Inspector>
auto inspect(Inspector& f, tagged& x) {
  return f(field("order", x.o), field("tags", x.tags));
}

/// Reads `bytes`; if they are a record, checks that its written form reads
/// back to the same written form.
template <class Format>
void read_and_write_back(const Format& format, std::string_view bytes) {
  typename Format::record_type record;
  try {
    record = format.deserialize(bytes);
  } catch (const format_error&) {
    return;
  }
  auto written = serialize_to_string(format, record);
  auto again = serialize_to_string(format, format.deserialize(written));
  if (again != written)
    throw std::logic_error("a record's written form does not read back to itself");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzzing::fuzz_input in{data, size};
  auto choice = in.byte();
  auto bytes = in.rest();
  if (choice % 2 == 0) {
    read_and_write_back(json_format<tagged>{}, bytes);
  } else {
    csv_format<order> csv;
    if ((choice & 2) != 0)
      csv.set_field_delimiter(';').set_array_element_delimiter(",");
    if ((choice & 4) != 0)
      csv.set_null_literal("NULL");
    if ((choice & 8) != 0)
      csv.set_quote_character('\'');
    read_and_write_back(csv, bytes);
  }
  return 0;
}
