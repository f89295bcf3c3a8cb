// Replays the inputs kept for one fuzz target (its seed corpus,
// FLINKCPP_FUZZ_CORPUS, and the inputs of the crashes found and fixed,
// FLINKCPP_FUZZ_REGRESSIONS) through its
// LLVMFuzzerTestOneInput, in every build: a crash, an escaped exception or
// (in a sanitizer build) a sanitizer report fails the test.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::filesystem::path> kept_inputs() {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {FLINKCPP_FUZZ_CORPUS, FLINKCPP_FUZZ_REGRESSIONS})
    if (std::filesystem::is_directory(dir))
      for (const auto& entry : std::filesystem::directory_iterator{dir})
        if (entry.is_regular_file() && entry.path().filename() != "README.md")
          files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

BOOST_AUTO_TEST_CASE(every_kept_input_is_handled) {
  auto files = kept_inputs();
  BOOST_TEST_REQUIRE(!files.empty(), "no inputs in " << FLINKCPP_FUZZ_CORPUS);
  for (const auto& file : files) {
    BOOST_TEST_CONTEXT(file.string()) {
      auto bytes = flinkcpp::testing::read_file(file.string());
      BOOST_TEST(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                        bytes.size()) == 0);
    }
  }
}
