// A process's configuration as it is loaded at start: config.yaml (YAML) or
// the legacy flink-conf.yaml (flat key: value lines) of a conf directory,
// then -D key=value overrides, normalized and validated. Whatever
// validation accepts, every reader of the configuration takes without
// failing.
//
// Input: one byte (bit 0: the legacy file instead of config.yaml), the
// file's content up to a NUL, then the -D overrides one per line.

#include <cstdint>
#include <optional>

#include "checkpoint/checkpoint_settings.hpp"
#include "cluster/restart_strategy.hpp"
#include "config/config_loader.hpp"
#include "fuzz/fuzz_input.hpp"
#include "runtime/task_settings.hpp"
#include "security/tls_settings.hpp"
#include "state/state_backend.hpp"
#include "util/logging.hpp"

using namespace flinkcpp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = init_logging(log_destination::standard_error, "OFF").ok();
  (void)quiet;
  fuzzing::fuzz_input in{data, size};
  bool legacy = (in.byte() & 1) != 0;
  fuzzing::clear_scratch();
  auto file =
    fuzzing::write_scratch_file(legacy ? "flink-conf.yaml" : "config.yaml", in.until('\0'));
  auto overrides = in.split('\n');
  config_report report;
  auto dir = file.substr(0, file.rfind('/'));
  auto config = load_configuration(dir, overrides, report);
  if (!config)
    return 0;
  (void)checkpoint_settings::from(*config);
  (void)restart_strategy::from(*config);
  (void)task_settings_from(*config, runtime_mode::streaming);
  (void)state_backend_settings_from(*config);
  (void)security::internal_tls_settings(*config);
  (void)security::rest_tls_settings(*config);
  return 0;
}
