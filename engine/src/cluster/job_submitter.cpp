#include "cluster/job_submitter.hpp"

#include "checkpoint/restore_assignment.hpp"
#include "config/config_loader.hpp"
#include "config/core_options.hpp"

namespace flinkcpp {

result<job_submission> prepare_submission(const job_spec& spec, job_id id,
                                          std::shared_ptr<const restore_point> resume) {
  auto config = configuration_of(spec);
  config_report report; // the caller's loading reported what it found
  if (auto checked = validate_configuration(config, report); !checked)
    return failure{checked.error()};
  auto graph = build_job_graph(spec);
  if (!graph)
    return failure{graph.error()};
  std::shared_ptr<const restore_point> start = std::move(resume);
  if (start) {
    auto fits = check_restore(start->metadata, *graph.value(),
                              options::savepoint_ignore_unclaimed_state.get(config));
    if (!fits)
      return failure{"cannot resume from " + start->directory + ": " + fits.error()};
  } else {
    auto savepoint = load_savepoint(config, *graph.value());
    if (!savepoint)
      return failure{savepoint.error()};
    start = std::move(savepoint.value());
  }
  if (auto ready = graph.value()->validate_resources(start != nullptr); !ready)
    return failure{ready.error()};
  return job_submission{id, spec, graph.value(), task_settings_from(config, graph.value()->mode()),
                        std::move(start)};
}

} // namespace flinkcpp
