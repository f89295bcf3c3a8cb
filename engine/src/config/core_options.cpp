#include "config/core_options.hpp"

#include <thread>

#include "config/config_values.hpp"
#include "config/security_options.hpp"
#include "config/table_options.hpp"
#include "flinkcpp/spi/key_groups.hpp"

namespace flinkcpp::options {

namespace {

config_option<std::int64_t>::parser integer_between(std::int64_t min, std::int64_t max) {
  return [min, max](std::string_view text) { return parse_integer(text, min, max); };
}

config_option<std::string>::parser choice_of(std::vector<std::string_view> choices) {
  return
    [choices = std::move(choices)](std::string_view text) { return parse_choice(text, choices); };
}

/// Text that `parse` accepts, kept as written (read again where it is used).
template <class Parse>
config_option<std::string>::parser text_accepted_by(Parse parse) {
  return [parse](std::string_view text) -> result<std::string> {
    auto parsed = parse(text);
    if (!parsed)
      return failure{parsed.error()};
    return std::string{text};
  };
}

/// A local directory or file: see parse_local_path.
result<std::string> local_path(std::string_view text) {
  return parse_local_path(text);
}

config_option<std::chrono::milliseconds>::parser positive_duration() {
  return [](std::string_view text) -> result<std::chrono::milliseconds> {
    auto d = parse_duration(text);
    if (d && d->count() <= 0)
      return failure{"a positive duration such as '500 ms' or '10 s'"};
    return d;
  };
}

config_option<std::chrono::milliseconds>::parser non_negative_duration() {
  return [](std::string_view text) -> result<std::chrono::milliseconds> {
    auto d = parse_duration(text);
    if (d && d->count() < 0)
      return failure{"a duration of zero or more, such as '0 ms' or '1 s'"};
    return d;
  };
}

config_option<std::int64_t>::parser port() {
  return [](std::string_view text) { return parse_integer(text, 0, 65535); };
}

config_option<double>::parser number_between(double min, double max) {
  return [min, max](std::string_view text) { return parse_number(text, min, max); };
}

result<std::uint64_t> batch_size(std::string_view text) {
  auto v = parse_memory_size(text);
  if (v && (*v < 64 || *v > (1ULL << 30)))
    return failure{"a memory size between 64b and 1gb"};
  return v;
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
  "pipeline.max-parallelism", 128, integer_between(1, spi::max_key_groups),
  "Number of key groups: the upper bound of a keyed operator's parallelism, "
  "also after rescaling."};

const config_option<std::string> pipeline_name{
  "pipeline.name", "", parse_text, "The job's name; defaults to the job's registered name."};

const config_option<bool> operator_chaining{
  "pipeline.operator-chaining.enabled",
  true,
  parse_boolean,
  "Whether forward-connected operators of equal parallelism run chained in one task.",
  {"pipeline.operator-chaining"}};

const config_option<std::string> runtime_mode{
  "execution.runtime-mode", "STREAMING", choice_of({"STREAMING", "BATCH", "AUTOMATIC"}),
  "STREAMING emits every update of keyed aggregates; BATCH (bounded sources only) emits "
  "final results; AUTOMATIC picks BATCH when every source is bounded."};

const config_option<std::chrono::milliseconds> buffer_timeout{
  "execution.buffer-timeout.interval",
  std::chrono::milliseconds{100},
  parse_duration,
  "Longest time a record waits in a partially filled batch before it is sent; 0 sends "
  "after every processing step, -1 only when batches are full.",
  {"execution.buffer-timeout"}};

const config_option<bool> buffer_timeout_enabled{
  "execution.buffer-timeout.enabled", true, parse_boolean,
  "false: batches are sent only when full (execution.buffer-timeout.interval does not apply)."};

const config_option<std::chrono::milliseconds> auto_watermark_interval{
  "pipeline.auto-watermark-interval", std::chrono::milliseconds{200}, non_negative_duration(),
  "How often operators assigning timestamps emit the watermark they reached; 0 disables "
  "periodic watermarks."};

const config_option<std::uint64_t> segment_size{
  "taskmanager.memory.segment-size", 32ULL * 1024, batch_size,
  "Size at which a batch of records is sent (Flink's network buffer size)."};

const config_option<std::uint64_t> remote_batch_size{
  "taskmanager.network.remote-batch-size", 128ULL * 1024, batch_size,
  "Size at which a batch for a subtask in another process is sent: larger than "
  "segment-size, as each message between processes costs far more than a pointer handed on."};

const config_option<std::int64_t> buffers_per_channel{
  "taskmanager.network.memory.buffers-per-channel", 2, integer_between(1, 1024),
  "Credits each input channel grants its sender: batches in flight per channel."};

const config_option<std::int64_t> floating_buffers_per_gate{
  "taskmanager.network.memory.floating-buffers-per-gate", 8, integer_between(0, 65536),
  "Extra credits each input gate lends to the channels whose senders have a backlog."};

const config_option<std::int64_t> max_buffers_per_channel{
  "taskmanager.network.memory.max-buffers-per-channel", 10, integer_between(1, 1024),
  "Batches an output channel may queue without credit before its task stops (backpressure)."};

const config_option<std::int64_t> task_slots{
  "taskmanager.numberOfTaskSlots", 1, integer_between(1, 65536),
  "Slots per taskmanager; a slot runs one parallel slice of a job. With `run -t local` "
  "and the key unset, the local cluster gets as many slots as the job needs."};

const config_option<std::int64_t> local_task_managers{
  "minicluster.number-of-taskmanagers",
  1,
  integer_between(1, 1024),
  "Taskmanagers of the embedded mini-cluster (`run -t local`).",
  {"local.number-taskmanager"}};

const config_option<double> taskmanager_cpu_cores{
  "taskmanager.cpu.cores", 0.0, number_between(0.001, 65536.0),
  "CPU cores a taskmanager uses: the threads that run its subtasks (rounded up). "
  "Unset: one per slot (taskmanager.numberOfTaskSlots), as Flink assumes."};

const config_option<std::int64_t> io_pool_size{
  "cluster.io-pool.size", 4 * hardware_threads(), integer_between(1, 1024),
  "Threads for blocking I/O (file reads and writes), per process."};

const config_option<std::string> metrics_reporters{
  "metrics.reporters", "",
  [](std::string_view text) -> result<std::string> {
    for (auto name : list_items(text))
      if (name != "prom")
        return failure{"a list of metric reporters; flink-cpp has 'prom' (Prometheus)"};
    return std::string{text};
  },
  "The metric reporters to start: 'prom' serves Prometheus on every process."};

const config_option<std::string> prometheus_factory{
  "metrics.reporter.prom.factory.class",
  "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
  choice_of({"org.apache.flink.metrics.prometheus.PrometheusReporterFactory"}),
  "Accepted for Flink configurations; flink-cpp's Prometheus reporter is built in."};

const config_option<std::string> prometheus_port{
  "metrics.reporter.prom.port", "9249", text_accepted_by(parse_port_range),
  "Port, or range of ports (the first free one), the Prometheus reporter listens on; it "
  "binds to the process's bind host (jobmanager.bind-host, taskmanager.bind-host)."};

const config_option<bool> prometheus_filter_labels{
  "metrics.reporter.prom.filterLabelValueCharacters", true, parse_boolean,
  "Whether label values have every character outside [a-zA-Z0-9:_] replaced by '_', as "
  "Flink's Prometheus reporter does by default."};

const config_option<std::string> log_levels{
  "log.levels", "", text_accepted_by(parse_log_levels),
  "Log levels of single components, e.g. 'taskexecutor=DEBUG,checkpoints=WARN' (flink-cpp's "
  "own key; the component is the name after the level in each line)."};

const config_option<std::string> log_file{
  "log.file", "", local_path,
  "A file the cluster processes (jobmanager, taskmanager, standalone-job) also log to, "
  "rotated at 100 MB keeping 10 files as Flink's log4j configuration does; the REST API "
  "serves it (/jobmanager/log, /taskmanagers/:id/log). Give each process its own."};

const config_option<std::string> log_level{
  "log.level", "INFO", choice_of({"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"}),
  "Log level (flink-cpp's own key; Flink sets levels in its log4j files)."};

const config_option<std::string> jobmanager_rpc_address{
  "jobmanager.rpc.address", "localhost", parse_text,
  "Address of the jobmanager's RPC endpoint; taskmanagers register there."};

const config_option<std::int64_t> jobmanager_rpc_port{"jobmanager.rpc.port", 6123, port(),
                                                      "Port of the jobmanager's RPC endpoint."};

const config_option<std::string> jobmanager_bind_host{
  "jobmanager.bind-host", "0.0.0.0", parse_text,
  "Interface the jobmanager's RPC endpoint binds to."};

const config_option<std::string> rest_address{"rest.address", "localhost", parse_text,
                                              "Address clients use to reach the REST API."};

const config_option<std::string> rest_bind_address{"rest.bind-address", "0.0.0.0", parse_text,
                                                   "Interface the REST server binds to."};

const config_option<std::int64_t> rest_port{"rest.port", 8081, port(),
                                            "Port of the REST API (and of -m HOST:PORT)."};

const config_option<std::uint64_t> rest_max_content_length{
  "rest.server.max-content-length", 100ULL << 20,
  [](std::string_view text) { return parse_memory_size(text); },
  "Largest request body the REST server accepts (uploads included)."};

const config_option<std::string> taskmanager_host{
  "taskmanager.host", "", parse_text,
  "Address other processes use to reach this taskmanager; empty: the address of the interface that "
  "routes to the jobmanager."};

const config_option<std::string> taskmanager_bind_host{
  "taskmanager.bind-host", "0.0.0.0", parse_text,
  "Interface the taskmanager's data port binds to."};

const config_option<std::int64_t> taskmanager_data_port{
  "taskmanager.data.port", 0, port(), "Port taskmanagers exchange data on; 0 picks a free one."};

const config_option<std::int64_t> taskmanager_rpc_port{
  "taskmanager.rpc.port", 0, port(),
  "A second port the taskmanager listens on (Flink's taskmanagers have an RPC port beside "
  "the data port, which Flink's manifests probe); 0: none. flink-cpp's taskmanager speaks "
  "RPC and data on one endpoint, reachable at either port."};

const config_option<std::chrono::milliseconds> heartbeat_interval{
  "heartbeat.interval", std::chrono::milliseconds{10000}, positive_duration(),
  "How often taskmanagers send heartbeats to the jobmanager."};

const config_option<std::chrono::milliseconds> heartbeat_timeout{
  "heartbeat.timeout", std::chrono::milliseconds{50000}, positive_duration(),
  "A taskmanager silent for this long is lost (a dropped connection is noticed at once)."};

const config_option<std::chrono::milliseconds> slot_request_timeout{
  "slot.request.timeout", std::chrono::milliseconds{300000}, positive_duration(),
  "How long a job waits for enough free slots before it fails."};

const config_option<std::string> load_balance_mode{
  "taskmanager.load-balance.mode",
  "NONE",
  [](std::string_view text) -> result<std::string> {
    if (auto choice = parse_choice(text, {"NONE", "SLOTS"}))
      return choice;
    if (auto spread = parse_boolean(text)) // as cluster.evenly-spread-out-slots has it
      return std::string{*spread ? "SLOTS" : "NONE"};
    return failure{"NONE or SLOTS (or, as cluster.evenly-spread-out-slots, true or false)"};
  },
  "SLOTS: a job's slots are taken round robin over the taskmanagers, spreading its subtasks "
  "out; NONE: from the taskmanager that registered first, filling it before the next.",
  {"cluster.evenly-spread-out-slots"}};

const config_option<std::chrono::milliseconds> registration_timeout{
  "taskmanager.registration.timeout",
  std::chrono::milliseconds{300000},
  positive_duration(),
  "How long a taskmanager tries to register with the jobmanager before it exits.",
  {"taskmanager.maxRegistrationDuration"}};

const config_option<bool> web_submit_enable{
  "web.submit.enable", true, parse_boolean,
  "Whether job libraries may be uploaded (/jars/upload) and run (/jars/:jarid/run)."};

const config_option<bool> web_cancel_enable{
  "web.cancel.enable", true, parse_boolean,
  "Whether jobs may be cancelled through REST (PATCH /jobs/:jobid) and the web UI."};

const config_option<std::string> rest_authentication_token_file{
  "rest.authentication.token-file", "", local_path,
  "A file holding the bearer token every REST request (the web UI's too) must send as "
  "'Authorization: Bearer <token>'; read again when it changes. Empty: no token is needed "
  "(flink-cpp's own; Flink's REST API has no authentication)."};

const config_option<std::string> rest_authentication_read_only_token_file{
  "rest.authentication.read-only-token-file", "", local_path,
  "A file holding a second bearer token, which allows GET requests only; needs "
  "rest.authentication.token-file."};

const config_option<std::string> web_upload_dir{
  "web.upload.dir", "", local_path,
  "Where uploaded job libraries are stored; empty: a directory under the temp directory."};

const config_option<std::string> restart_strategy{
  "restart-strategy.type",
  "none",
  choice_of({"none", "off", "disable", "fixed-delay", "fixeddelay", "failure-rate", "failurerate",
             "exponential-delay", "exponentialdelay"}),
  "What a job does after a failure: none (fail), fixed-delay, failure-rate or exponential-delay.",
  {"restart-strategy"}};

const config_option<std::int64_t> fixed_delay_attempts{
  "restart-strategy.fixed-delay.attempts", 1, integer_between(0, INT32_MAX),
  "Restarts the fixed-delay strategy allows before the job fails."};

const config_option<std::chrono::milliseconds> fixed_delay_delay{
  "restart-strategy.fixed-delay.delay", std::chrono::milliseconds{1000}, non_negative_duration(),
  "Wait before each restart of the fixed-delay strategy."};

const config_option<std::int64_t> failure_rate_max_failures{
  "restart-strategy.failure-rate.max-failures-per-interval", 1, integer_between(1, INT32_MAX),
  "Failures within one interval the failure-rate strategy tolerates."};

const config_option<std::chrono::milliseconds> failure_rate_interval{
  "restart-strategy.failure-rate.failure-rate-interval", std::chrono::milliseconds{60000},
  positive_duration(), "The interval the failure-rate strategy counts failures in."};

const config_option<std::chrono::milliseconds> failure_rate_delay{
  "restart-strategy.failure-rate.delay", std::chrono::milliseconds{1000}, non_negative_duration(),
  "Wait before each restart of the failure-rate strategy."};

const config_option<std::chrono::milliseconds> exponential_initial_backoff{
  "restart-strategy.exponential-delay.initial-backoff", std::chrono::milliseconds{1000},
  non_negative_duration(), "First wait of the exponential-delay strategy."};

const config_option<std::chrono::milliseconds> exponential_max_backoff{
  "restart-strategy.exponential-delay.max-backoff", std::chrono::milliseconds{60000},
  non_negative_duration(), "Longest wait of the exponential-delay strategy."};

const config_option<double> exponential_multiplier{
  "restart-strategy.exponential-delay.backoff-multiplier", 1.5, number_between(1.0, 1000.0),
  "Factor each failure multiplies the wait by."};

const config_option<std::chrono::milliseconds> exponential_reset_threshold{
  "restart-strategy.exponential-delay.reset-backoff-threshold", std::chrono::milliseconds{3600000},
  positive_duration(), "A job running this long without failure starts again at the initial wait."};

const config_option<double> exponential_jitter{
  "restart-strategy.exponential-delay.jitter-factor", 0.1, number_between(0.0, 1.0),
  "Random share of each wait, so that many jobs do not restart in step."};

const config_option<std::int64_t> exponential_attempts_before_reset{
  "restart-strategy.exponential-delay.attempts-before-reset-backoff", INT32_MAX,
  integer_between(1, INT32_MAX), "Restarts allowed before the wait is reset; then the job fails."};

const config_option<std::string> failover_strategy{
  "jobmanager.execution.failover-strategy", "region", choice_of({"region", "full"}),
  "Accepted as in Flink; flink-cpp restarts every task of a job after a failure (for jobs "
  "with a keyed exchange, as most, Flink's region is the whole job too)."};

const config_option<std::string> execution_target{
  "execution.target", "remote",
  [](std::string_view text) -> result<std::string> {
    auto choice = parse_choice(text, {"remote", "local"});
    if (!choice)
      return failure{"remote (the cluster at rest.address:rest.port, or -m) or local (an "
                     "embedded mini-cluster); flink-cpp deploys to Kubernetes with its Helm "
                     "chart, not from the CLI"};
    return choice;
  },
  "Where `flink-cpp run` without -t or -m runs a job, as Flink's execution.target."};

const config_option<bool> shutdown_on_application_finish{
  "execution.shutdown-on-application-finish", true, parse_boolean,
  "Whether standalone-job (application mode) exits once its job has ended: 0 when it "
  "finished or was cancelled, 1443 (as Flink's FAILED application status) when it failed."};

const config_option<std::string> scheduler{
  "jobmanager.scheduler", "default", choice_of({"default", "adaptive"}),
  "adaptive: a job runs with as many slots as it gets up to its parallelism (its upper "
  "bound), which PUT /jobs/:jobid/resource-requirements changes at runtime: the job "
  "rescales from its latest checkpoint. As in reactive mode, every operator runs at the "
  "job's parallelism."};

const config_option<std::string> scheduler_mode{
  "scheduler-mode", "default", choice_of({"default", "reactive"}),
  "reactive: a job runs with every slot of the cluster as its parallelism and rescales "
  "(from its latest checkpoint) when taskmanagers join or leave."};

const config_option<std::chrono::milliseconds> resource_stabilization_timeout{
  "jobmanager.adaptive-scheduler.resource-stabilization-timeout", std::chrono::milliseconds{10000},
  non_negative_duration(),
  "In reactive mode, how long new slots must stay before the job rescales into them."};

const config_option<std::string> state_backend{
  "state.backend.type", "hashmap", choice_of({"hashmap", "leveldb", "rocksdb"}),
  "Where keyed state lives: hashmap (in memory) or leveldb (on local disk, state larger "
  "than memory); rocksdb is taken as leveldb, flink-cpp's embedded store."};

const config_option<bool> incremental_checkpoints{
  "execution.checkpointing.incremental",
  false,
  parse_boolean,
  "LevelDB checkpoints upload only table files earlier checkpoints do not hold, sharing "
  "the others (savepoints stay complete and portable).",
  {"state.backend.incremental"}};

const config_option<std::string> leveldb_local_dir{
  "state.backend.leveldb.localdir",
  "",
  local_path,
  "Directory of the LevelDB working state; unset: one under the temp directory. "
  "state.backend.rocksdb.localdir is read as this key, as rocksdb is read as leveldb.",
  {"state.backend.rocksdb.localdir"}};

const config_option<std::uint64_t> leveldb_block_cache{
  "state.backend.leveldb.block-cache-size", 8ULL << 20, parse_memory_size,
  "LevelDB block cache per keyed operator instance (bounds its read memory)."};

const config_option<std::uint64_t> leveldb_write_buffer{
  "state.backend.leveldb.write-buffer-size", 4ULL << 20, parse_memory_size,
  "LevelDB write buffer per keyed operator instance (bounds its write memory)."};

const config_option<std::int64_t> leveldb_open_files{
  "state.backend.leveldb.files.open",
  -1,
  [](std::string_view text) -> result<std::int64_t> {
    auto n = parse_integer(text, -1, INT32_MAX);
    if (!n || *n == 0)
      return failure{"-1 (no limit) or a positive number of files"};
    return n;
  },
  "Table files a keyed operator instance's LevelDB keeps open, each with its index and "
  "Bloom filter in memory (about 1.3 bytes per key); -1: no limit (LevelDB's own, 50000). "
  "A store with more tables than this opens them again on reads. "
  "state.backend.rocksdb.files.open is read as this key.",
  {"state.backend.rocksdb.files.open"}};

const config_option<std::chrono::milliseconds> checkpointing_interval{
  "execution.checkpointing.interval", std::chrono::milliseconds{0}, non_negative_duration(),
  "Time between the starts of two checkpoints; 0 (the default) disables checkpointing."};

const config_option<std::chrono::milliseconds> checkpointing_timeout{
  "execution.checkpointing.timeout", std::chrono::milliseconds{600000}, positive_duration(),
  "A checkpoint not complete after this long is aborted."};

const config_option<std::chrono::milliseconds> checkpointing_min_pause{
  "execution.checkpointing.min-pause", std::chrono::milliseconds{0}, non_negative_duration(),
  "Least time between the end of one checkpoint and the start of the next."};

const config_option<std::int64_t> checkpointing_max_concurrent{
  "execution.checkpointing.max-concurrent-checkpoints", 1, integer_between(1, 1000),
  "Checkpoints that may be in progress at the same time."};

const config_option<std::int64_t> checkpointing_tolerable_failures{
  "execution.checkpointing.tolerable-failed-checkpoints", 0, integer_between(0, INT32_MAX),
  "Consecutive failed checkpoints tolerated before the job fails over."};

const config_option<std::string> checkpointing_mode{
  "execution.checkpointing.mode", "EXACTLY_ONCE", choice_of({"EXACTLY_ONCE", "AT_LEAST_ONCE"}),
  "EXACTLY_ONCE aligns barriers of all inputs; AT_LEAST_ONCE does not wait for them."};

const config_option<std::string> checkpoint_retention{
  "execution.checkpointing.externalized-checkpoint-retention", "NO_EXTERNALIZED_CHECKPOINTS",
  choice_of({"NO_EXTERNALIZED_CHECKPOINTS", "DELETE_ON_CANCELLATION", "RETAIN_ON_CANCELLATION"}),
  "What happens to completed checkpoints when the job ends: deleted always "
  "(NO_EXTERNALIZED_CHECKPOINTS), kept if it failed (DELETE_ON_CANCELLATION), or kept "
  "if it failed or was cancelled (RETAIN_ON_CANCELLATION)."};

const config_option<std::string> checkpoints_dir{
  "execution.checkpointing.dir",
  "",
  local_path,
  "Directory of checkpoints (shared by all processes of a cluster); unset: one under the "
  "temp directory.",
  {"state.checkpoints.dir", "state.backend.fs.checkpointdir"}};

const config_option<std::string> checkpoint_storage{
  "execution.checkpointing.storage",
  "filesystem",
  choice_of({"filesystem", "jobmanager"}),
  "Where checkpoints are stored: always files under execution.checkpointing.dir in "
  "flink-cpp ('jobmanager' is read as 'filesystem': never less durable than asked).",
  {"state.checkpoint-storage"}};

const config_option<std::int64_t> checkpoints_retained{
  "execution.checkpointing.num-retained",
  1,
  integer_between(1, 10000),
  "Completed checkpoints kept; older ones are deleted.",
  {"state.checkpoints.num-retained"}};

const config_option<std::string> savepoints_dir{
  "execution.checkpointing.savepoint-dir",
  "",
  local_path,
  "Default directory of savepoints.",
  {"state.savepoints.dir", "savepoints.state.backend.fs.dir"}};

const config_option<std::string> savepoint_path{
  "execution.state-recovery.path",
  "",
  local_path,
  "A savepoint or retained checkpoint the job starts from (flink-cpp run -s).",
  {"execution.savepoint.path"}};

const config_option<std::string> claim_mode{
  "execution.state-recovery.claim-mode",
  "NO_CLAIM",
  [](std::string_view text) -> result<std::string> {
    auto choice = parse_choice(text, {"CLAIM", "NO_CLAIM"});
    if (!choice)
      return failure{"CLAIM or NO_CLAIM (Flink 2.0 removed LEGACY)"};
    return choice;
  },
  "How a job owns the snapshot it starts from (run -rm): NO_CLAIM never touches it; CLAIM "
  "makes it the job's own checkpoint, deleted once newer ones are retained instead.",
  {"execution.savepoint-restore-mode"}};

const config_option<bool> savepoint_ignore_unclaimed_state{
  "execution.state-recovery.ignore-unclaimed-state",
  false,
  parse_boolean,
  "Allow a savepoint to hold state of operators the job no longer has "
  "(--allowNonRestoredState).",
  {"execution.savepoint.ignore-unclaimed-state"}};

const config_option<std::string> high_availability_type{
  "high-availability.type",
  "none",
  [](std::string_view text) -> result<std::string> {
    auto choice = parse_choice(text, {"none", "filesystem"});
    if (!choice)
      return failure{"none or filesystem: flink-cpp keeps jobs for the next jobmanager on a "
                     "shared file system; ZooKeeper and Kubernetes high availability are not "
                     "implemented, and running without the high availability asked for would "
                     "lose jobs when the jobmanager fails"};
    return choice;
  },
  "filesystem: a jobmanager started again resumes its application's job from the newest "
  "checkpoint or savepoint of the job's id, and does not run a job again that already "
  "ended (its result is kept in high-availability.storageDir). The folders must outlive "
  "the jobmanager (a persistent volume).",
  {"high-availability", "recovery.mode"}};

const config_option<std::string> high_availability_storage_dir{
  "high-availability.storageDir",
  "",
  local_path,
  "Where high availability keeps what outlives a jobmanager (the results of ended jobs).",
  {"high-availability.zookeeper.storageDir", "recovery.zookeeper.storageDir"}};

const std::vector<option_info>& known_options() {
  static const std::vector<option_info> all = {
    describe(parallelism_default),
    describe(max_parallelism),
    describe(pipeline_name),
    describe(operator_chaining),
    describe(runtime_mode),
    describe(buffer_timeout),
    describe(buffer_timeout_enabled),
    describe(auto_watermark_interval),
    describe(segment_size),
    describe(remote_batch_size),
    describe(buffers_per_channel),
    describe(floating_buffers_per_gate),
    describe(max_buffers_per_channel),
    describe(task_slots),
    describe(local_task_managers),
    describe(taskmanager_cpu_cores),
    describe(io_pool_size),
    describe(metrics_reporters),
    describe(prometheus_factory),
    describe(prometheus_port),
    describe(prometheus_filter_labels),
    describe(log_file),
    describe(log_level),
    describe(log_levels),
    describe(jobmanager_rpc_address),
    describe(jobmanager_rpc_port),
    describe(jobmanager_bind_host),
    describe(rest_address),
    describe(rest_bind_address),
    describe(rest_port),
    describe(rest_max_content_length),
    describe(taskmanager_host),
    describe(taskmanager_bind_host),
    describe(taskmanager_data_port),
    describe(taskmanager_rpc_port),
    describe(heartbeat_interval),
    describe(heartbeat_timeout),
    describe(slot_request_timeout),
    describe(load_balance_mode),
    describe(registration_timeout),
    describe(web_submit_enable),
    describe(web_cancel_enable),
    describe(web_upload_dir),
    describe(rest_authentication_token_file),
    describe(rest_authentication_read_only_token_file),
    describe(restart_strategy),
    describe(fixed_delay_attempts),
    describe(fixed_delay_delay),
    describe(failure_rate_max_failures),
    describe(failure_rate_interval),
    describe(failure_rate_delay),
    describe(exponential_initial_backoff),
    describe(exponential_max_backoff),
    describe(exponential_multiplier),
    describe(exponential_reset_threshold),
    describe(exponential_jitter),
    describe(exponential_attempts_before_reset),
    describe(failover_strategy),
    describe(execution_target),
    describe(shutdown_on_application_finish),
    describe(scheduler),
    describe(scheduler_mode),
    describe(resource_stabilization_timeout),
    describe(state_backend),
    describe(incremental_checkpoints),
    describe(leveldb_local_dir),
    describe(leveldb_block_cache),
    describe(leveldb_write_buffer),
    describe(leveldb_open_files),
    describe(checkpointing_interval),
    describe(checkpointing_timeout),
    describe(checkpointing_min_pause),
    describe(checkpointing_max_concurrent),
    describe(checkpointing_tolerable_failures),
    describe(checkpointing_mode),
    describe(checkpoint_retention),
    describe(checkpoints_dir),
    describe(checkpoint_storage),
    describe(checkpoints_retained),
    describe(savepoints_dir),
    describe(savepoint_path),
    describe(claim_mode),
    describe(savepoint_ignore_unclaimed_state),
    describe(high_availability_type),
    describe(high_availability_storage_dir),
  };
  static const std::vector<option_info> with_security = [] {
    auto out = all;
    auto tls = security_options();
    out.insert(out.end(), tls.begin(), tls.end());
    auto table = table_options();
    out.insert(out.end(), table.begin(), table.end());
    return out;
  }();
  return with_security;
}

} // namespace flinkcpp::options
