#pragma once

#include <cstdint>
#include <vector>

namespace flinkcpp::rest {

/// Statistics over integer samples (durations, sizes, counts) as Flink's
/// summaries report them: no samples count as one sample of 0.
class value_statistics {
public:
  explicit value_statistics(std::vector<std::int64_t> values);

  std::int64_t min() const { return sorted_.front(); }
  std::int64_t max() const { return sorted_.back(); }
  std::int64_t sum() const { return sum_; }
  /// The integer mean (Flink's summaries divide longs).
  std::int64_t avg() const { return sum_ / static_cast<std::int64_t>(sorted_.size()); }
  /// The sample at quantile `q` in [0, 1] (nearest rank).
  std::int64_t at(double q) const;

private:
  std::vector<std::int64_t> sorted_;
  std::int64_t sum_ = 0;
};

} // namespace flinkcpp::rest
