#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "flinkcpp/csv_format.hpp"
#include "flinkcpp/detail/key_hash.hpp"
#include "flinkcpp/detail/record_serialization.hpp"
#include "flinkcpp/detail/record_text.hpp"
#include "flinkcpp/field.hpp"
#include "flinkcpp/json_format.hpp"
#include "flinkcpp/raw_format.hpp"

namespace sample {

struct customer {
  std::string name;
  std::optional<std::string> city;
  friend bool operator==(const customer&, const customer&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, customer& x) {
  return f(flinkcpp::field("name", x.name), flinkcpp::field("city", x.city));
}

struct order {
  std::int64_t id = 0;
  customer buyer;
  double amount = 0;
  bool paid = false;
  std::vector<std::int32_t> items;
  friend bool operator==(const order&, const order&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, order& x) {
  return f(flinkcpp::field("id", x.id), flinkcpp::field("buyer", x.buyer),
           flinkcpp::field("amount", x.amount), flinkcpp::field("paid", x.paid),
           flinkcpp::field("items", x.items));
}

/// The same fields as order's, without names.
struct plain_order {
  std::int64_t id = 0;
  customer buyer;
  double amount = 0;
  bool paid = false;
  std::vector<std::int32_t> items;
  friend bool operator==(const plain_order&, const plain_order&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, plain_order& x) {
  return f(x.id, x.buyer, x.amount, x.paid, x.items);
}

struct tally {
  std::map<std::string, std::int16_t> counts;
  std::pair<std::string, std::uint8_t> top;
  friend bool operator==(const tally&, const tally&) = default;
};

template <class Inspector>
auto inspect(Inspector& f, tally& x) {
  return f(flinkcpp::field("counts", x.counts), flinkcpp::field("top", x.top));
}

} // namespace sample

namespace {

sample::order an_order() {
  return sample::order{42, {"Ada, \"the\" first", std::nullopt}, 12.5, true, {1, 2, 3}};
}

template <class Format>
std::string serialized(const Format& format, const typename Format::record_type& record) {
  return flinkcpp::serialize_to_string(format, record);
}

} // namespace

BOOST_AUTO_TEST_SUITE(formats)

BOOST_AUTO_TEST_CASE(named_fields_change_nothing_but_the_formats) {
  auto named = an_order();
  sample::plain_order plain{named.id, named.buyer, named.amount, named.paid, named.items};
  BOOST_TEST(flinkcpp::detail::to_text(named) == flinkcpp::detail::to_text(plain));
  BOOST_TEST(flinkcpp::detail::to_bytes(named) == flinkcpp::detail::to_bytes(plain));
  BOOST_TEST(flinkcpp::detail::key_hash(named) == flinkcpp::detail::key_hash(plain));
  auto back = flinkcpp::detail::from_bytes<sample::order>(flinkcpp::detail::to_bytes(named));
  BOOST_TEST((back == named));
}

BOOST_AUTO_TEST_CASE(raw_keeps_the_bytes_as_they_are) {
  flinkcpp::raw_format raw;
  std::string bytes{"a,\"b\"\n\0c", 8};
  BOOST_TEST(serialized(raw, bytes) == bytes);
  BOOST_TEST(raw.deserialize(bytes) == bytes);
}

BOOST_AUTO_TEST_CASE(json_writes_named_structs_as_objects_in_field_order) {
  flinkcpp::json_format<sample::order> json;
  BOOST_TEST(serialized(json, an_order()) ==
             R"({"id":42,"buyer":{"name":"Ada, \"the\" first","city":null},"amount":12.5,)"
             R"("paid":true,"items":[1,2,3]})");
  BOOST_TEST((json.deserialize(serialized(json, an_order())) == an_order()));
}

BOOST_AUTO_TEST_CASE(json_writes_structs_without_names_pairs_and_tuples_as_arrays) {
  flinkcpp::json_format<sample::plain_order> plain;
  sample::plain_order o{7, {"Bo", "Oslo"}, 0.1, false, {}};
  BOOST_TEST(serialized(plain, o) == R"([7,{"name":"Bo","city":"Oslo"},0.1,false,[]])");
  BOOST_TEST((plain.deserialize(serialized(plain, o)) == o));

  flinkcpp::json_format<std::tuple<std::string, std::int64_t>> tuple;
  BOOST_TEST(serialized(tuple, {"x", -3}) == R"(["x",-3])");
  BOOST_TEST((tuple.deserialize(R"(["y", 9])") == std::tuple<std::string, std::int64_t>{"y", 9}));

  flinkcpp::json_format<sample::tally> maps;
  sample::tally t{{{"b", 2}, {"a", -1}}, {"b", 255}};
  BOOST_TEST(serialized(maps, t) == R"({"counts":{"a":-1,"b":2},"top":["b",255]})");
  BOOST_TEST((maps.deserialize(serialized(maps, t)) == t));
}

BOOST_AUTO_TEST_CASE(json_reading_ignores_unknown_keys_and_fills_missing_optionals) {
  flinkcpp::json_format<sample::order> json;
  auto o = json.deserialize(
    R"({"extra":[1,{"x":2}],"items":[],"paid":false,"amount":3,"id":1,"buyer":{"name":"C"}})");
  BOOST_TEST((o == sample::order{1, {"C", std::nullopt}, 3.0, false, {}}));
}

BOOST_AUTO_TEST_CASE(json_errors_name_the_field_and_what_it_expected) {
  flinkcpp::json_format<sample::order> json;
  auto fails_with = [&](const std::string& text, const std::string& message) {
    try {
      json.deserialize(text);
      BOOST_ERROR("no error for " << text);
    } catch (const flinkcpp::format_error& e) {
      BOOST_TEST(std::string{e.what()} == message, "for " << text);
    }
  };
  const std::string good_tail = R"("amount":1,"paid":true,"items":[1]})";
  fails_with(R"({"id":"7","buyer":{"name":"C"},)" + good_tail,
             R"(field 'id': expected an integer in [-9223372036854775808, )"
             R"(9223372036854775807], got "7")");
  fails_with(R"({"id":7,"buyer":{"city":"x"},)" + good_tail, "field 'buyer.name' is missing");
  fails_with(R"({"id":7,"buyer":{"name":"C"},"amount":1,"paid":true,"items":[1,2.5]})",
             "field 'items[1]': expected an integer in [-2147483648, 2147483647], got 2.5");
  fails_with(R"({"id":7,"buyer":{"name":"C"},"amount":1,"paid":true,"items":[1,2147483648]})",
             "field 'items[1]': expected an integer in [-2147483648, 2147483647], got 2147483648");
  fails_with(R"({"id":7,"buyer":{"name":"C"},"amount":null,"paid":true,"items":[]})",
             "field 'amount': expected a number, got null");
  fails_with(R"({"id":7,"buyer":[],"amount":1,"paid":1,"items":[]})",
             "field 'buyer': expected an object, got array");
  fails_with("[1,2]", "the record: expected an object, got array");
  try {
    json.deserialize(R"({"id":7,"amount":2e308})");
    BOOST_ERROR("no error for a number beyond a double's range");
  } catch (const flinkcpp::format_error& e) {
    BOOST_TEST(std::string{e.what()}.find("number overflow parsing '2e308'") != std::string::npos,
               e.what());
  }
  try {
    json.deserialize(R"({"id":7,)");
    BOOST_ERROR("no error for a truncated object");
  } catch (const flinkcpp::format_error& e) {
    BOOST_TEST(std::string{e.what()}.find("not JSON: ") == 0);
    BOOST_TEST(std::string{e.what()}.find("column 9") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(json_refuses_to_write_a_string_that_is_not_utf8) {
  flinkcpp::json_format<std::string> json;
  std::string out;
  BOOST_CHECK_THROW(json.serialize("\xff\xfe", out), flinkcpp::format_error);
  BOOST_TEST(serialized(json, "h\xc3\xa9") == "\"h\xc3\xa9\"");
}

BOOST_AUTO_TEST_CASE(csv_flattens_structs_and_quotes_what_needs_it) {
  flinkcpp::csv_format<sample::order> csv;
  BOOST_TEST(csv.columns() ==
               (std::vector<std::string>{"id", "name", "city", "amount", "paid", "items"}),
             boost::test_tools::per_element());
  BOOST_TEST(serialized(csv, an_order()) == R"(42,"Ada, ""the"" first",,12.5,true,1;2;3)");
  BOOST_TEST((csv.deserialize(serialized(csv, an_order())) == an_order()));

  sample::order empty_strings{0, {"", std::string{}}, -0.25, false, {}};
  BOOST_TEST(serialized(csv, empty_strings) == R"(0,"","",-0.25,false,"")");
  BOOST_TEST((csv.deserialize(serialized(csv, empty_strings)) == empty_strings));

  auto nulls = csv;
  nulls.set_null_literal("NULL").set_field_delimiter('|').set_array_element_delimiter("/");
  sample::order o{1, {"NULL", std::nullopt}, 2, true, {4, 5}};
  BOOST_TEST(serialized(nulls, o) == R"(1|"NULL"|NULL|2|true|4/5)");
  BOOST_TEST((nulls.deserialize(serialized(nulls, o)) == o));
}

BOOST_AUTO_TEST_CASE(csv_reads_numbers_with_spaces_and_java_floats) {
  flinkcpp::csv_format<std::tuple<std::int32_t, double, double, bool>> csv;
  auto row = csv.deserialize(" -7 ,1.0E3, Infinity ,TRUE");
  BOOST_TEST(std::get<0>(row) == -7);
  BOOST_TEST(std::get<1>(row) == 1000.0);
  BOOST_TEST(std::get<2>(row) > 1e308);
  BOOST_TEST(std::get<3>(row));
  BOOST_TEST(serialized(csv, {1, 0.5, -1.0 / 0.0, false}) == "1,0.5,-Infinity,false");
}

BOOST_AUTO_TEST_CASE(csv_errors_name_the_column_and_what_it_expected) {
  flinkcpp::csv_format<sample::order> csv;
  auto fails_with = [&](const std::string& text, const std::string& message) {
    try {
      csv.deserialize(text);
      BOOST_ERROR("no error for " << text);
    } catch (const flinkcpp::format_error& e) {
      BOOST_TEST(std::string{e.what()} == message, "for " << text);
    }
  };
  fails_with("1,a,b,2.5,true", "expected 6 columns (id,name,city,amount,paid,items), got 5");
  fails_with("1,a,b,2.5,true,1,", "expected 6 columns (id,name,city,amount,paid,items), got 7");
  fails_with("x1,a,b,2.5,true,", "column 1 (id): expected an integer in [-9223372036854775808, "
                                 "9223372036854775807], got 'x1'");
  fails_with("1,a,b,2.5x,true,", "column 4 (amount): expected a number, got '2.5x'");
  fails_with("1,a,b,2.5,yes,", "column 5 (paid): expected true or false, got 'yes'");
  fails_with("1,a,b,2.5,true,1;;3",
             "column 6 (items): expected an integer in [-2147483648, 2147483647], got ''");
  fails_with("1,\"a,b,2.5,true,", "column 2: the quoted field has no closing \"");
  fails_with("1,\"a\"b,c,2.5,true,", "column 2: text after the closing quote; expected the "
                                     "delimiter ','");

  flinkcpp::csv_format<std::tuple<std::uint8_t, std::string>> unnamed;
  try {
    unnamed.deserialize("256,x");
    BOOST_ERROR("no error for 256 in a uint8");
  } catch (const flinkcpp::format_error& e) {
    BOOST_TEST(std::string{e.what()} == "column 1: expected an integer in [0, 255], got '256'");
  }
  BOOST_CHECK_THROW(unnamed.deserialize("1"), flinkcpp::format_error);
}

BOOST_AUTO_TEST_SUITE_END()
