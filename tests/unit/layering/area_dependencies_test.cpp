// Each engine area's README says what it may depend on ("May depend on:
// ..."); the includes of its sources must keep to that list, so the list
// stays true as the code changes.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path engine_src = fs::path{FLINKCPP_PROJECT_DIR} / "engine" / "src";

std::string read_all(const fs::path& path) {
  std::ifstream in{path};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// The areas: folders under engine/src with a README.md, named by their path
/// relative to it ("state", "checkpoint/storage").
std::set<std::string> areas() {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator{engine_src})
    if (e.is_directory() && fs::exists(e.path() / "README.md"))
      out.insert(fs::relative(e.path(), engine_src).generic_string());
  return out;
}

/// The area a quoted include path belongs to: the longest area it starts
/// with; empty for the public headers and anything outside the engine.
std::string area_of(const std::string& include, const std::set<std::string>& all) {
  std::string best;
  for (const auto& a : all)
    if (include.rfind(a + "/", 0) == 0 && a.size() > best.size())
      best = a;
  return best;
}

/// What the README of `area` allows: the areas its "May depend on:"
/// sentence names and the areas nested in them ("checkpoint" covers
/// "checkpoint/storage"; every area for "every other area").
std::set<std::string> allowed(const std::string& area, const std::set<std::string>& all) {
  auto text = read_all(engine_src / area / "README.md");
  auto start = text.find("May depend on:");
  BOOST_TEST_REQUIRE(start != std::string::npos, area << "/README.md has no 'May depend on:'");
  auto end = text.find(". ", start);
  auto end_line = text.find(".\n", start);
  auto sentence = text.substr(start, std::min(end, end_line) - start);
  if (sentence.find("every other area") != std::string::npos)
    return all;
  std::set<std::string> out{area};
  static const std::regex word{"[a-z_]+(/[a-z_]+)?"};
  for (std::sregex_iterator i{sentence.begin(), sentence.end(), word}, e; i != e; ++i)
    for (const auto& a : all)
      if (a == i->str() || a.rfind(i->str() + "/", 0) == 0)
        out.insert(a);
  return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(every_area_includes_only_what_its_readme_allows) {
  auto all = areas();
  BOOST_TEST_REQUIRE(all.size() >= 12u); // api ... util, checkpoint/storage
  static const std::regex include{"#include \"([^\"]+)\""};
  for (const auto& area : all) {
    auto may = allowed(area, all);
    for (const auto& e : fs::recursive_directory_iterator{engine_src / area}) {
      if (!e.is_regular_file())
        continue;
      auto file = fs::relative(e.path(), engine_src).generic_string();
      if (area_of(file, all) != area) // a file of a nested area
        continue;
      auto text = read_all(e.path());
      for (std::sregex_iterator i{text.begin(), text.end(), include}, end; i != end; ++i) {
        auto used = area_of((*i)[1].str(), all);
        BOOST_TEST((used.empty() || may.count(used) == 1),
                   file << " includes " << (*i)[1].str() << ", but " << area
                        << "/README.md does not list " << used);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(an_include_of_an_unlisted_area_is_seen) {
  auto all = areas();
  BOOST_TEST(area_of("checkpoint/storage/sealed_file.hpp", all) == "checkpoint/storage");
  BOOST_TEST(area_of("checkpoint/restore_reader.hpp", all) == "checkpoint");
  BOOST_TEST(area_of("flinkcpp/configuration.hpp", all).empty());
  auto util = allowed("util", all);
  BOOST_TEST(util == std::set<std::string>{"util"});
  auto state = allowed("state", all);
  BOOST_TEST(state.count("checkpoint/storage") == 1u);
  BOOST_TEST(state.count("checkpoint") == 0u);
  BOOST_TEST(state.count("graph") == 0u);
  BOOST_TEST(allowed("runtime", all).count("checkpoint/storage") == 1u);
}
