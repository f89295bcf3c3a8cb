#include "support/sequence_output.hpp"

#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace flinkcpp::testing {

std::string check_sequence_output(const std::string& dir, int keys, int per_key) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir))
    return "no output directory " + dir;
  std::map<std::pair<long, long>, int> seen;
  std::map<long, long> last_distinct;
  for (const auto& entry : fs::directory_iterator(dir)) {
    auto name = entry.path().filename().string();
    if (name[0] == '.')
      return "uncommitted file left behind: " + name;
    for (const auto& line : lines_of(read_file(entry.path().string()))) {
      if (line.rfind("ALERT", 0) == 0)
        return "alert in " + name + ": " + line;
      long key = 0;
      long sequence = 0;
      long distinct = 0;
      char c1 = 0;
      char c2 = 0;
      std::istringstream in{line};
      if (!(in >> key >> c1 >> sequence >> c2 >> distinct) || c1 != ',' || c2 != ',')
        return "malformed line in " + name + ": " + line;
      if (++seen[{key, sequence}] > 1)
        return "duplicate " + line;
      auto& d = last_distinct[key];
      d = std::max(d, distinct);
    }
  }
  for (long k = 0; k < keys; ++k) {
    for (long s = 0; s < per_key; ++s)
      if (seen.count({k, s}) == 0)
        return "missing key " + std::to_string(k) + " sequence " + std::to_string(s);
    if (last_distinct[k] != per_key)
      return "key " + std::to_string(k) + " ended with distinct count " +
             std::to_string(last_distinct[k]);
  }
  if (seen.size() != static_cast<std::size_t>(keys) * static_cast<std::size_t>(per_key))
    return "records of unknown keys or sequences";
  return {};
}

} // namespace flinkcpp::testing
