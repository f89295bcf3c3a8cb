#pragma once

// Flink's ChangelogNormalize: an upsert stream (+U for a key's new value,
// -D for its removal) made a full changelog, keyed by the primary key: the
// key's last row is kept, so that a new value emits -U of the one it
// replaces then +U (+I for a key's first), and a delete -D of the last
// value (nothing for a key that has none).

#include <optional>
#include <string>
#include <vector>

#include "flinkcpp/keyed_process_function.hpp"
#include "sql/functions/value.hpp"

namespace flinkcpp::sql {

class changelog_normalize final : public keyed_process_function<std::string, row, row> {
public:
  void open(context& ctx) override;
  void process_element(const row& in, context& ctx, collector<row>& out) override;

private:
  std::optional<value_state<std::vector<value>>> last_;
};

} // namespace flinkcpp::sql
