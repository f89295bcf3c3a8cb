#include "checkpoint/restore_reader.hpp"

#include "checkpoint/keyed_state_file.hpp"

namespace flinkcpp {

result<restored_operators> read_subtask_restore(const subtask_restore& restore,
                                                const native_restorer& prepare_native) {
  restored_operators out;
  for (const auto& spec : restore.operators) {
    auto& op = out[spec.op];
    for (const auto& list : spec.lists) {
      auto& entries = op.lists[list.name];
      entries.insert(entries.end(), list.entries.begin(), list.entries.end());
    }
    detail::key_group_range range{spec.first_group, spec.end_group};
    for (const auto& handle : spec.keyed) {
      if (handle.native) {
        auto prepared = prepare_native(restore.directory, handle);
        if (!prepared)
          return failure{restore_failure_marker + restore.checkpoint.to_string() + ": " +
                         prepared.error()};
        op.native.push_back(std::move(prepared.value()));
        continue;
      }
      auto groups = read_keyed_state_file(restore.directory, handle, range);
      if (!groups)
        return failure{restore_failure_marker + restore.checkpoint.to_string() + ": " +
                       groups.error()};
      for (auto& g : *groups)
        op.key_groups.push_back(std::move(g));
    }
  }
  return out;
}

} // namespace flinkcpp
