#include "config/core_options.hpp"

#include <thread>

#include "config/config_values.hpp"
#include "flinkcpp/detail/key_groups.hpp"

namespace flinkcpp::options {

namespace {

config_option<std::int64_t>::parser integer_between(std::int64_t min, std::int64_t max) {
  return [min, max](std::string_view text) { return parse_integer(text, min, max); };
}

config_option<std::string>::parser choice_of(std::vector<std::string_view> choices) {
  return [choices](std::string_view text) { return parse_choice(text, choices); };
}

result<std::string> any_text(std::string_view text) {
  return std::string{text};
}

std::int64_t hardware_threads() {
  auto n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<std::int64_t>(n);
}

} // namespace

const config_option<std::int64_t> parallelism_default{
  "parallelism.default", 1, integer_between(1, INT64_MAX),
  "Parallelism of operators that set none; `-p` overrides it."};

const config_option<std::int64_t> max_parallelism{
  "pipeline.max-parallelism", 128, integer_between(1, detail::max_key_groups),
  "Number of key groups: the upper bound of a keyed operator's parallelism, "
  "also after rescaling."};

const config_option<std::string> pipeline_name{
  "pipeline.name", "", any_text, "The job's name; defaults to the job's registered name."};

const config_option<bool> operator_chaining{
  "pipeline.operator-chaining.enabled", true, parse_boolean,
  "Whether forward-connected operators of equal parallelism run chained in one task."};

const config_option<std::string> runtime_mode{
  "execution.runtime-mode", "STREAMING", choice_of({"STREAMING", "BATCH", "AUTOMATIC"}),
  "STREAMING emits every update of keyed aggregates; BATCH (bounded sources only) emits "
  "final results; AUTOMATIC picks BATCH when every source is bounded."};

const config_option<std::chrono::milliseconds> buffer_timeout{
  "execution.buffer-timeout", std::chrono::milliseconds{100}, parse_duration,
  "Longest time a record waits in a partially filled batch before it is sent; 0 sends "
  "after every processing step, -1 only when batches are full."};

const config_option<std::uint64_t> segment_size{
  "taskmanager.memory.segment-size", 32 * 1024,
  [](std::string_view text) -> result<std::uint64_t> {
    auto v = parse_memory_size(text);
    if (v && (*v < 64 || *v > (1ULL << 30)))
      return failure{"a memory size between 64b and 1gb"};
    return v;
  },
  "Size at which a batch of records is sent (Flink's network buffer size)."};

const config_option<std::int64_t> buffers_per_channel{
  "taskmanager.network.memory.buffers-per-channel", 2, integer_between(1, 1024),
  "Credits each input channel grants its sender: batches in flight per channel."};

const config_option<std::int64_t> max_buffers_per_channel{
  "taskmanager.network.memory.max-buffers-per-channel", 2, integer_between(1, 1024),
  "Batches an output channel may queue without credit before its task stops (backpressure)."};

const config_option<std::int64_t> task_slots{
  "taskmanager.numberOfTaskSlots", 1, integer_between(1, 65536),
  "Slots per taskmanager; a slot runs one parallel slice of a job. With `run -t local` "
  "and the key unset, the local cluster gets as many slots as the job needs."};

const config_option<std::int64_t> local_task_managers{
  "local.number-taskmanager", 1, integer_between(1, 1024),
  "Taskmanagers of the embedded mini-cluster (`run -t local`)."};

const config_option<std::int64_t> io_pool_size{
  "cluster.io-pool.size", 4 * hardware_threads(), integer_between(1, 1024),
  "Threads for blocking I/O (file reads and writes), per process."};

const config_option<std::string> log_level{
  "log.level", "INFO", choice_of({"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"}),
  "Log level (flink-cpp's own key; Flink sets levels in its log4j files)."};

const std::vector<option_info>& known_options() {
  static const std::vector<option_info> all = {
    describe(parallelism_default),  describe(max_parallelism),
    describe(pipeline_name),        describe(operator_chaining),
    describe(runtime_mode),         describe(buffer_timeout),
    describe(segment_size),         describe(buffers_per_channel),
    describe(max_buffers_per_channel), describe(task_slots),
    describe(local_task_managers),  describe(io_pool_size),
    describe(log_level),
  };
  return all;
}

} // namespace flinkcpp::options
