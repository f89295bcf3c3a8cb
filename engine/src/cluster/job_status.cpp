#include "cluster/job_status.hpp"

namespace flinkcpp {

std::string_view to_string(job_status s) noexcept {
  switch (s) {
    case job_status::created:
      return "CREATED";
    case job_status::running:
      return "RUNNING";
    case job_status::failing:
      return "FAILING";
    case job_status::failed:
      return "FAILED";
    case job_status::cancelling:
      return "CANCELLING";
    case job_status::canceled:
      return "CANCELED";
    case job_status::finished:
      return "FINISHED";
    case job_status::restarting:
      return "RESTARTING";
    case job_status::suspended:
      return "SUSPENDED";
  }
  return "UNKNOWN";
}

} // namespace flinkcpp
