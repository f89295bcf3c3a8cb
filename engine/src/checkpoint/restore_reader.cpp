#include "checkpoint/restore_reader.hpp"

#include "checkpoint/storage/keyed_state_file.hpp"

namespace flinkcpp {

result<restored_operators> read_subtask_restore(const subtask_restore& restore,
                                                const keyed_state_restorer& restorer) {
  restored_operators out;
  auto failed = [&](const std::string& why) {
    return failure{restore_failure_marker + restore.checkpoint.to_string() + ": " + why};
  };
  for (const auto& spec : restore.operators) {
    auto& op = out[spec.op];
    for (const auto& list : spec.lists) {
      auto& entries = op.lists[list.name];
      entries.insert(entries.end(), list.entries.begin(), list.entries.end());
    }
    spi::key_group_range range{spec.first_group, spec.end_group};
    std::vector<keyed_state_handle> canonical;
    for (const auto& handle : spec.keyed) {
      if (handle.native) {
        auto prepared = restorer.prepare_native(restore.directory, handle);
        if (!prepared)
          return failed(prepared.error());
        op.native.push_back(std::move(prepared.value()));
      } else if (restorer.build_from_canonical) {
        canonical.push_back(handle);
      } else {
        auto groups = read_keyed_state_file(restore.directory, handle, range);
        if (!groups)
          return failed(groups.error());
        for (auto& g : *groups)
          op.key_groups.push_back(std::move(g));
      }
    }
    if (canonical.empty())
      continue;
    auto built = restorer.build_from_canonical(restore.directory, std::move(canonical), range);
    if (!built)
      return failed(built.error());
    op.native.push_back(std::move(built.value()));
  }
  return out;
}

} // namespace flinkcpp
