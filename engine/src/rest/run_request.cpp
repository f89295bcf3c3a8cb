#include "rest/run_request.hpp"

#include <cctype>

#include "cluster/job_submitter.hpp"
#include "config/config_loader.hpp"
#include "config/config_values.hpp"
#include "config/core_options.hpp"
#include "util/logging.hpp"

namespace flinkcpp::rest {

namespace {

/// Flink's programArgs: arguments separated by spaces, quotes keeping one
/// together ("a b" 'c d').
std::vector<std::string> split_arguments(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  bool in_argument = false;
  char quote = 0;
  for (char ch : text) {
    if (quote != 0) {
      if (ch == quote)
        quote = 0;
      else
        current += ch;
    } else if (ch == '"' || ch == '\'') {
      quote = ch;
      in_argument = true;
    } else if (std::isspace(static_cast<unsigned char>(ch))) {
      if (in_argument)
        out.push_back(std::move(current));
      current.clear();
      in_argument = false;
    } else {
      current += ch;
      in_argument = true;
    }
  }
  if (quote != 0)
    throw request_error{400, "'programArgs' has an unclosed quote"};
  if (in_argument)
    out.push_back(std::move(current));
  return out;
}

/// The body's field `name` as text, else query parameter `query`; both,
/// different: 400.
std::optional<std::string> field_or_query(const httplib::Request& req, const json& body,
                                          const std::string& name, const std::string& query) {
  std::optional<std::string> from_body;
  if (auto i = body.find(name); i != body.end() && !i->is_null())
    from_body = i->is_string() ? i->get<std::string>() : i->dump();
  auto from_query = query_param(req, query);
  if (from_body && from_query && *from_body != *from_query)
    throw request_error{400, "'" + name + "' is '" + *from_body + "' in the body but '" +
                               *from_query + "' as query parameter '" + query + "'"};
  return from_body ? from_body : from_query;
}

} // namespace

run_request read_run_request(const httplib::Request& req, const json& body,
                             const std::vector<std::string>& allowed,
                             const configuration& cluster_config) {
  allow_fields(body, allowed);
  run_request r;
  for (const auto& [key, value] : cluster_config.entries())
    r.spec.config[key] = value;
  // Arguments: programArgsList, or programArgs (a string), or the query's.
  auto list = body.find("programArgsList");
  auto text = field_or_query(req, body, "programArgs", "program-args");
  if (auto comma_list = query_param(req, "programArg"); comma_list && !text && list == body.end())
    for (auto a : list_items(*comma_list))
      r.spec.args.emplace_back(a);
  if (list != body.end() && !list->is_null()) {
    if (text)
      throw request_error{400, "give the arguments once: 'programArgsList' or 'programArgs'"};
    if (!list->is_array())
      throw request_error{400, "'programArgsList' must be a list of strings"};
    for (const auto& a : *list) {
      if (!a.is_string())
        throw request_error{400, "'programArgsList' must be a list of strings"};
      r.spec.args.push_back(a.get<std::string>());
    }
  } else if (text) {
    r.spec.args = split_arguments(*text);
  }
  if (auto entry = field_or_query(req, body, "entryClass", "entry-class"))
    r.spec.entry = *entry;
  if (auto i = body.find("flinkConfiguration"); i != body.end() && !i->is_null()) {
    if (!i->is_object())
      throw request_error{400, "'flinkConfiguration' must be an object of key: value strings"};
    configuration layer;
    for (const auto& [key, value] : i->items()) {
      if (!value.is_string() && !value.is_number() && !value.is_boolean())
        throw request_error{400, "the value of '" + key +
                                   "' in 'flinkConfiguration' must be a "
                                   "string, number or boolean"};
      layer.set(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    config_report report; // what the job's submission logs
    auto normalized = normalize_keys(layer, "'flinkConfiguration'", report);
    if (!normalized)
      throw request_error{400, normalized.error()};
    for (const auto& [key, value] : normalized->entries())
      r.spec.config[key] = value;
  }
  if (auto path = field_or_query(req, body, "savepointPath", "savepointPath");
      path && !path->empty())
    r.spec.config[options::savepoint_path.key()] = local_path_param("savepointPath", *path);
  if (auto allow = field_or_query(req, body, "allowNonRestoredState", "allowNonRestoredState")) {
    auto value = parse_boolean(*allow);
    if (!value)
      throw request_error{400, "'allowNonRestoredState' must be true or false"};
    r.spec.config[options::savepoint_ignore_unclaimed_state.key()] = *value ? "true" : "false";
  }
  if (auto mode = string_field(body, "restoreMode"); !mode.empty()) {
    auto choice = options::claim_mode.parse(mode);
    if (!choice)
      throw request_error{400, "'restoreMode' '" + mode + "': expected " + choice.error()};
    r.spec.config[options::claim_mode.key()] = *choice;
  }
  if (auto p = field_or_query(req, body, "parallelism", "parallelism")) {
    auto value = parse_integer(*p, 1, INT32_MAX);
    if (!value)
      throw request_error{400, "'parallelism' must be a positive integer"};
    r.spec.config[options::parallelism_default.key()] = std::to_string(*value);
  }
  if (auto id = string_field(body, "jobId"); !id.empty())
    r.id = job_id_param(id);
  return r;
}

job_id submit(rest_context& c, run_request request) {
  auto id = request.id ? *request.id : job_id::random();
  if (request.id && c.cluster.job(id))
    throw request_error{409, "a job with id " + id.to_string() + " exists already"};
  auto submission = prepare_submission(request.spec, id);
  if (!submission)
    throw request_error{400, submission.error()};
  auto name = submission->graph->name();
  if (auto submitted = c.cluster.submit(std::move(submission.value())); !submitted)
    throw request_error{500, submitted.error()};
  logger("rest")->info("Submitted job {} ({}).", name, id.to_string());
  return id;
}

} // namespace flinkcpp::rest
