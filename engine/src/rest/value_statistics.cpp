#include "rest/value_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace flinkcpp::rest {

value_statistics::value_statistics(std::vector<std::int64_t> values) : sorted_(std::move(values)) {
  if (sorted_.empty())
    sorted_.push_back(0);
  std::sort(sorted_.begin(), sorted_.end());
  sum_ = std::accumulate(sorted_.begin(), sorted_.end(), std::int64_t{0});
}

std::int64_t value_statistics::at(double q) const {
  auto i = static_cast<std::size_t>(std::llround(q * static_cast<double>(sorted_.size() - 1)));
  return sorted_[std::min(i, sorted_.size() - 1)];
}

} // namespace flinkcpp::rest
