#include "metrics/metric_registry.hpp"

#include <algorithm>
#include <chrono>

#include "metrics/process_usage.hpp"

namespace flinkcpp {

namespace {

constexpr std::int64_t second_ns = 1'000'000'000;
constexpr std::int64_t count_window_ns = 60 * second_ns; // Flink's meters
constexpr std::int64_t time_window_ns = 5 * second_ns;   // Flink's time gauges

/// The newest sample at least `window` before `now`, else the oldest.
template <class Sample>
const Sample& base_of(const std::deque<Sample>& history, std::int64_t now, std::int64_t window) {
  const Sample* base = &history.front();
  for (const auto& s : history) {
    if (s.at > now - window)
      break;
    base = &s;
  }
  return *base;
}

double per_second(double delta, std::int64_t elapsed_ns) {
  return elapsed_ns > 0 ? delta * 1e9 / static_cast<double>(elapsed_ns) : 0.0;
}

/// Drops samples no window reaches any more (one older than it stays).
template <class Sample>
void trim(std::deque<Sample>& history, std::int64_t now) {
  while (history.size() > 1 && history[1].at <= now - count_window_ns)
    history.pop_front();
}

} // namespace

metric_registry::registration::registration(registration&& other) noexcept
  : id_(std::exchange(other.id_, 0)) {}

metric_registry::registration&
metric_registry::registration::operator=(registration&& other) noexcept {
  if (this != &other) {
    if (id_ != 0)
      metric_registry::instance().remove(id_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

metric_registry::registration::~registration() {
  if (id_ != 0)
    metric_registry::instance().remove(id_);
}

metric_registry& metric_registry::instance() {
  static metric_registry registry;
  return registry;
}

std::int64_t metric_registry::now_ns() {
  return steady_now_ns();
}

void metric_registry::set_process(process_scope scope) {
  std::lock_guard<std::mutex> guard{mutex_};
  process_ = std::move(scope);
}

metric_registry::registration metric_registry::add_task(task_scope scope,
                                                        std::shared_ptr<task_metrics> metrics) {
  std::lock_guard<std::mutex> guard{mutex_};
  task_entry t{++next_id_, std::move(scope), std::move(metrics), {}};
  counts zero;
  zero.at = now_ns();
  t.history.push_back(std::move(zero)); // everything starts at zero
  tasks_.push_back(std::move(t));
  return registration{next_id_};
}

metric_registry::registration metric_registry::add_source(source s) {
  std::lock_guard<std::mutex> guard{mutex_};
  sources_.emplace_back(++next_id_, std::move(s));
  return registration{next_id_};
}

void metric_registry::remove(std::uint64_t id) {
  std::lock_guard<std::mutex> guard{mutex_};
  tasks_.erase(
    std::remove_if(tasks_.begin(), tasks_.end(), [id](const task_entry& t) { return t.id == id; }),
    tasks_.end());
  sources_.erase(
    std::remove_if(sources_.begin(), sources_.end(), [id](const auto& s) { return s.first == id; }),
    sources_.end());
}

metric_registry::counts metric_registry::read(const task_metrics& m, std::int64_t now) {
  auto load = [](const std::atomic<std::int64_t>& a) { return a.load(std::memory_order_relaxed); };
  counts c;
  c.at = now;
  c.records_in = load(m.records_in);
  c.records_out = load(m.records_out);
  c.bytes_in = load(m.bytes_in);
  c.bytes_out = load(m.bytes_out);
  c.busy = load(m.busy_ns);
  c.back_pressured = m.back_pressured_total(now);
  for (const auto& records : m.operator_records_out)
    c.operator_records_out.push_back(load(records));
  return c;
}

void metric_registry::update(std::int64_t now) {
  auto usage = read_process_usage();
  std::lock_guard<std::mutex> guard{mutex_};
  for (auto& t : tasks_) {
    t.history.push_back(read(*t.metrics, now));
    trim(t.history, now);
  }
  cpu_.push_back({now, usage.cpu_seconds});
  trim(cpu_, now);
}

void metric_registry::add_task_samples(const task_entry& t, std::int64_t now,
                                       std::vector<metric_sample>& out) const {
  sample_labels labels{{"host", process_.host},
                       {"tm_id", process_.tm_id},
                       {"job_id", t.scope.job.to_string()},
                       {"job_name", t.scope.job_name},
                       {"task_id", t.scope.vertex.to_string()},
                       {"task_name", t.scope.task_name},
                       {"task_attempt_id", t.scope.attempt_id},
                       {"task_attempt_num", std::to_string(t.scope.attempt_number)},
                       {"subtask_index", std::to_string(t.scope.subtask_index)}};
  auto add = [&](const char* name, double value) {
    out.push_back({static_cast<std::uint8_t>(metric_scope::task), name, labels, value});
  };
  const auto& m = *t.metrics;
  auto c = read(m, now);
  const auto& counted = base_of(t.history, now, count_window_ns);
  const auto& timed = base_of(t.history, now, time_window_ns);
  auto count_span = c.at - counted.at;
  auto time_span = c.at - timed.at;
  add("numRecordsIn", static_cast<double>(c.records_in));
  add("numRecordsOut", static_cast<double>(c.records_out));
  add("numBytesIn", static_cast<double>(c.bytes_in));
  add("numBytesOut", static_cast<double>(c.bytes_out));
  add("numRecordsInPerSecond",
      per_second(static_cast<double>(c.records_in - counted.records_in), count_span));
  add("numRecordsOutPerSecond",
      per_second(static_cast<double>(c.records_out - counted.records_out), count_span));
  add("numBytesInPerSecond",
      per_second(static_cast<double>(c.bytes_in - counted.bytes_in), count_span));
  add("numBytesOutPerSecond",
      per_second(static_cast<double>(c.bytes_out - counted.bytes_out), count_span));
  // Milliseconds per second, each at most 1000, summing to 1000.
  auto ms_per_second = [&](std::int64_t delta) {
    return std::clamp(per_second(static_cast<double>(delta), time_span) / 1e6, 0.0, 1000.0);
  };
  auto busy = ms_per_second(c.busy - timed.busy);
  auto back_pressured =
    std::min(ms_per_second(c.back_pressured - timed.back_pressured), 1000.0 - busy);
  add("busyTimeMsPerSecond", busy);
  add("backPressuredTimeMsPerSecond", back_pressured);
  add("idleTimeMsPerSecond", time_span > 0 ? 1000.0 - busy - back_pressured : 0.0);
  auto totals = m.totals(now);
  add("accumulatedBusyTime", static_cast<double>(totals.busy_ms));
  add("accumulatedBackPressuredTime", static_cast<double>(totals.back_pressured_ms));
  add("accumulatedIdleTime", static_cast<double>(totals.idle_ms));
  add("isBackPressured", m.back_pressured.load(std::memory_order_relaxed) ? 1.0 : 0.0);
  add("buffers.inPoolUsage", m.in_pool_usage_permille.load(std::memory_order_relaxed) / 1000.0);
  add("buffers.outPoolUsage", m.out_pool_usage_permille.load(std::memory_order_relaxed) / 1000.0);
  add("currentInputWatermark",
      static_cast<double>(m.input_watermark.load(std::memory_order_relaxed)));
  add_operator_samples(t, labels, c, counted, out);
}

void metric_registry::add_user_metric(const metric_reading& r, const sample_labels& labels,
                                      std::vector<metric_sample>& out) {
  auto add = [&](std::string name, sample_labels l, double value) {
    out.push_back({static_cast<std::uint8_t>(metric_scope::task_operator), std::move(name),
                   std::move(l), value});
  };
  if (r.kind != metric_kind::histogram) {
    add(r.name, labels, r.value);
    return;
  }
  // As Flink's Prometheus reporter: the quantiles, labelled, and the count;
  // the REST API names the quantiles <name>_p50 ... (metric_views).
  for (const auto& [q, text] : histogram_quantiles) {
    auto l = labels;
    l.emplace_back("quantile", text);
    add(r.name, std::move(l), r.statistics->quantile(q));
  }
  add(r.name + "_count", labels, static_cast<double>(r.count));
  add(r.name + "_min", labels, r.statistics->min);
  add(r.name + "_max", labels, r.statistics->max);
  add(r.name + "_mean", labels, r.statistics->mean);
  add(r.name + "_stddev", labels, r.statistics->stddev);
}

void metric_registry::add_operator_samples(const task_entry& t, const sample_labels& task_labels,
                                           const counts& now, const counts& base,
                                           std::vector<metric_sample>& out) {
  // A chain's head takes the task's input; each other operator takes what
  // the one feeding it emitted; a source, what it emitted itself.
  auto emitted = [](const counts& c, int op) -> std::int64_t {
    if (op < 0)
      return c.records_in;
    auto i = static_cast<std::size_t>(op);
    return i < c.operator_records_out.size() ? c.operator_records_out[i] : 0;
  };
  auto span = now.at - base.at;
  for (std::size_t i = 0; i < t.scope.operators.size(); ++i) {
    const auto& op = t.scope.operators[i];
    auto labels = task_labels;
    labels.emplace_back("operator_id", op.id);
    labels.emplace_back("operator_name", op.name);
    auto add = [&](const char* name, double value) {
      out.push_back({static_cast<std::uint8_t>(metric_scope::task_operator), name, labels, value});
    };
    auto fed_by = op.source ? static_cast<int>(i) : op.fed_by;
    auto in = emitted(now, fed_by);
    auto records_out = emitted(now, static_cast<int>(i));
    add("numRecordsIn", static_cast<double>(in));
    add("numRecordsOut", static_cast<double>(records_out));
    add("numRecordsInPerSecond", per_second(static_cast<double>(in - emitted(base, fed_by)), span));
    add("numRecordsOutPerSecond",
        per_second(static_cast<double>(records_out - emitted(base, static_cast<int>(i))), span));
    if (i < t.metrics->operator_metrics.size())
      for (const auto& r : t.metrics->operator_metrics[i].read(now.at))
        add_user_metric(r, labels, out);
    if (i < t.metrics->operator_input_watermark.size()) {
      auto watermark = [](const std::atomic<std::int64_t>& w) {
        return static_cast<double>(w.load(std::memory_order_relaxed));
      };
      add("currentInputWatermark", watermark(t.metrics->operator_input_watermark[i]));
      add("currentOutputWatermark", watermark(t.metrics->operator_output_watermark[i]));
    }
  }
}

void metric_registry::add_process_samples(std::int64_t now, std::vector<metric_sample>& out) const {
  auto usage = read_process_usage();
  std::vector<std::pair<std::string, std::string>> labels{{"host", process_.host}};
  auto scope = metric_scope::jobmanager;
  if (process_.taskmanager) {
    labels.emplace_back("tm_id", process_.tm_id);
    scope = metric_scope::taskmanager;
  }
  auto add = [&](const char* name, double value) {
    out.push_back({static_cast<std::uint8_t>(scope), name, labels, value});
  };
  double load = 0;
  if (!cpu_.empty()) {
    const auto& base = base_of(cpu_, now, time_window_ns);
    load = per_second(usage.cpu_seconds - base.cpu_seconds, now - base.at) /
           static_cast<double>(available_cpus());
  }
  add("Status.Process.CPU.Load", std::clamp(load, 0.0, 1.0));
  add("Status.Process.CPU.Time", usage.cpu_seconds * 1e9);
  add("Status.Process.Memory.RSS", static_cast<double>(usage.resident_bytes));
  add("Status.Process.Threads.Count", static_cast<double>(usage.threads));
}

std::vector<metric_sample> metric_registry::collect(std::int64_t now) const {
  std::vector<metric_sample> out;
  std::lock_guard<std::mutex> guard{mutex_};
  add_process_samples(now, out);
  for (const auto& t : tasks_)
    add_task_samples(t, now, out);
  for (const auto& [id, s] : sources_)
    s(out);
  return out;
}

metric_updater::metric_updater()
  : thread_([this] {
      std::unique_lock<std::mutex> lock{mutex_};
      while (!stopping_) {
        metric_registry::instance().update(metric_registry::now_ns());
        stop_.wait_for(lock, std::chrono::seconds{1}, [this] { return stopping_; });
      }
    }) {}

metric_updater::~metric_updater() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
}

} // namespace flinkcpp
