#include "support/local_job.hpp"

#include <stdexcept>
#include <utility>

#include "cluster/mini_cluster.hpp"

namespace flinkcpp::testing {

job_settings job_settings_of(std::string name, int parallelism, runtime_mode mode) {
  job_settings s;
  s.name = std::move(name);
  s.parallelism = parallelism;
  s.mode = mode;
  return s;
}

result<job_graph> try_build_graph(const job_builder& build, const job_settings& settings) {
  stream_environment env;
  build(env);
  return job_graph::build(env.graph(), settings);
}

std::shared_ptr<const job_graph> build_graph(const job_builder& build,
                                             const job_settings& settings) {
  auto g = try_build_graph(build, settings);
  if (!g)
    throw std::runtime_error("cannot build the job graph: " + g.error());
  return std::make_shared<const job_graph>(std::move(g.value()));
}

job_result run_job(const job_builder& build, const job_settings& settings,
                   const task_settings& tasks) {
  auto graph = build_graph(build, settings);
  mini_cluster::options opts;
  opts.slots_per_task_manager = graph->slots_needed();
  mini_cluster cluster{opts};
  return cluster.execute(graph, tasks, job_id::random());
}

background_job::background_job(std::shared_ptr<const job_graph> graph) {
  mini_cluster::options opts;
  opts.slots_per_task_manager = graph->slots_needed();
  cluster_ = std::make_unique<mini_cluster>(opts);
  runner_ =
    std::thread{[this, graph] { result_ = cluster_->execute(graph, {}, job_id::random()); }};
}

background_job::~background_job() {
  if (runner_.joinable())
    cancel();
}

job_result background_job::cancel() {
  cluster_->cancel();
  runner_.join();
  return result_;
}

} // namespace flinkcpp::testing
