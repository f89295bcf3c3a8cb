#include <boost/test/unit_test.hpp>

#include "flinkcpp/job_args.hpp"

using namespace flinkcpp;

BOOST_AUTO_TEST_SUITE(job_args_parsing)

BOOST_AUTO_TEST_CASE(pairs_and_switches) {
  auto args = job_args::parse({"--input", "in.txt", "--verbose", "-count", "-5", "--x", "y"});
  BOOST_TEST(*args.get("input") == "in.txt");
  BOOST_TEST(args.has("verbose"));
  BOOST_TEST(args.get_int("count", 0) == -5);
  BOOST_TEST(args.get("missing", "fallback") == "fallback");
  BOOST_TEST(!args.get("missing"));
  BOOST_TEST(args.unread() == std::vector<std::string>{"x"});
}

BOOST_AUTO_TEST_CASE(every_read_name_is_remembered) {
  auto args = job_args::parse({"--input", "a"});
  (void)args.get("input");
  (void)args.get("output");
  BOOST_TEST(args.unread().empty());
  BOOST_TEST((args.read_names() == std::vector<std::string>{"input", "output"}));
}

BOOST_AUTO_TEST_CASE(malformed_arguments_throw_clear_errors) {
  BOOST_CHECK_THROW(job_args::parse({"stray"}), job_argument_error);
  BOOST_CHECK_THROW(job_args::parse({"--a", "1", "--a", "2"}), job_argument_error);
  BOOST_CHECK_THROW(job_args::parse({"--a=1"}), job_argument_error);
  auto args = job_args::parse({"--input", "--n", "x"});
  BOOST_CHECK_THROW(args.get("input"), job_argument_error);
  BOOST_CHECK_THROW(args.get_int("n", 0), job_argument_error);
  BOOST_CHECK_THROW(args.required("missing"), job_argument_error);
  try {
    job_args::parse({"stray"});
  } catch (const job_argument_error& e) {
    BOOST_TEST(std::string{e.what()} ==
               "unexpected job argument 'stray': expected --name value pairs or --flag switches");
  }
}

BOOST_AUTO_TEST_SUITE_END()
