#include "state/hashmap_state_backend.hpp"

namespace flinkcpp {

namespace {

class hashmap_state_backend final : public state_backend {
public:
  std::unique_ptr<spi::keyed_backend> open_subtask(const job_id&, int) const override {
    return nullptr;
  }

  keyed_state_restorer restorer(const job_id&, const std::string&) const override {
    return {[](const std::string&,
               const keyed_state_handle&) -> result<std::shared_ptr<spi::native_state>> {
              return failure{
                "it holds keyed state in LevelDB's own format (an incremental "
                "checkpoint, execution.checkpointing.incremental: true), which only "
                "state.backend.type: leveldb restores; change backends through a savepoint"};
            },
            nullptr};
  }

  result<keyed_state_handle> write_native_snapshot(spi::native_state&, const std::string&,
                                                   checkpoint_id,
                                                   spi::key_group_range) const override {
    return failure{"the hashmap state backend takes no native snapshots"};
  }
};

} // namespace

std::shared_ptr<const state_backend> make_hashmap_state_backend() {
  return std::make_shared<hashmap_state_backend>();
}

} // namespace flinkcpp
