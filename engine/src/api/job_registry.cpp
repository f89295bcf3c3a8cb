#include "api/job_registry.hpp"

#include <algorithm>
#include <filesystem>

#include <dlfcn.h>
#include <sys/stat.h>

namespace flinkcpp {

namespace detail {

job_registrar::job_registrar(build_stamp built_for, const char* name, const char* description,
                             job_function fn) {
  job_registry::instance().add(
    {name, description, fn, {}, built_for.engine_version, built_for.abi});
}

} // namespace detail

job_registry& job_registry::instance() {
  static job_registry registry;
  return registry;
}

void job_registry::add(job_definition job) {
  std::lock_guard<std::mutex> guard{mutex_};
  jobs_.push_back(std::move(job));
}

const job_definition* job_registry::find(std::string_view name) const {
  std::lock_guard<std::mutex> guard{mutex_};
  for (const auto& j : jobs_)
    if (j.name == name)
      return &j;
  return nullptr;
}

std::vector<const job_definition*> job_registry::built_in() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::vector<const job_definition*> out;
  for (const auto& j : jobs_)
    if (j.library.empty())
      out.push_back(&j);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

result<std::vector<const job_definition*>> job_registry::load_library(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return failure{"job library '" + path + "' does not exist or is not a file"};
  std::error_code ec;
  auto canonical = std::filesystem::canonical(path, ec).string();
  std::size_t before = 0;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (auto known = libraries_.find(canonical); known != libraries_.end())
      return known->second;
    before = jobs_.size();
  }
  // The library's static initializers call add(); keep it loaded for the
  // lifetime of the process, as its code runs in every subtask.
  if (::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL) == nullptr)
    return failure{"cannot load job library '" + path + "': " + ::dlerror()};
  std::lock_guard<std::mutex> guard{mutex_};
  if (jobs_.size() == before)
    return failure{"job library '" + path +
                   "' registers no job; define one with FLINKCPP_JOB(name)"};
  for (auto i = before; i < jobs_.size(); ++i)
    if (jobs_[i].built_for_abi != FLINKCPP_ABI_VERSION) {
      auto stamp = jobs_[i];
      jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(before), jobs_.end());
      return failure{"job library '" + path + "' was built against flink-cpp " +
                     stamp.built_for_version + " (ABI " + std::to_string(stamp.built_for_abi) +
                     "); this is flink-cpp " + FLINKCPP_VERSION_STRING + " (ABI " +
                     std::to_string(FLINKCPP_ABI_VERSION) +
                     "): build it again against this version's SDK"};
    }
  auto& jobs = libraries_[canonical];
  for (auto i = before; i < jobs_.size(); ++i) {
    jobs_[i].library = path;
    jobs.push_back(&jobs_[i]);
  }
  return jobs;
}

namespace {

std::string names_of(const std::vector<const job_definition*>& jobs) {
  std::string names;
  for (const auto* j : jobs)
    names += (names.empty() ? "" : ", ") + j->name;
  return names;
}

/// The job of `library` (`path`) that `entry` names, or its only one.
result<const job_definition*> pick(const std::vector<const job_definition*>& library,
                                   const std::string& path, const std::string& entry) {
  if (entry.empty()) {
    if (library.size() == 1)
      return library.front();
    return failure{"job library '" + path + "' registers " + std::to_string(library.size()) +
                   " jobs (" + names_of(library) + "): pick one with -c/--class"};
  }
  for (const auto* j : library)
    if (j->name == entry)
      return j;
  return failure{"job library '" + path + "' registers no job '" + entry + "'; it registers " +
                 names_of(library)};
}

} // namespace

result<const job_definition*> job_registry::resolve(const std::string& job,
                                                    const std::string& entry,
                                                    const std::string& library_dir) {
  constexpr std::string_view local_scheme = "local://";
  std::string_view spec = job;
  if (spec.substr(0, local_scheme.size()) == local_scheme)
    spec.remove_prefix(local_scheme.size());
  bool is_path = spec.find('/') != std::string_view::npos ||
                 (spec.size() > 3 && spec.substr(spec.size() - 3) == ".so");
  if (is_path) {
    auto library = load_library(std::string{spec});
    if (!library)
      return failure{library.error()};
    return pick(*library, std::string{spec}, entry);
  }
  auto name = job.empty() ? entry : job;
  if (!job.empty() && !entry.empty() && entry != job)
    return failure{"'" + job + "' is a built-in job, not a job library: -c/--class '" + entry +
                   "' does not apply to it"};
  if (auto* j = find(name); j != nullptr && j->library.empty())
    return j;
  if (job.empty() && !library_dir.empty()) {
    // Flink's usrlib: the libraries there that register a job of that name
    // (any job, without a name).
    std::vector<const job_definition*> found;
    std::error_code ec;
    std::vector<std::string> paths;
    for (const auto& e : std::filesystem::directory_iterator(library_dir, ec))
      if (e.path().extension() == ".so")
        paths.push_back(e.path().string());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      auto library = load_library(path);
      if (!library)
        return failure{library.error()};
      for (const auto* j : *library)
        if (name.empty() || j->name == name)
          found.push_back(j);
    }
    if (found.size() == 1)
      return found.front();
    if (found.size() > 1)
      return failure{
        (name.empty() ? std::string{"the libraries"} : "job '" + name + "': the libraries") +
        " in " + library_dir + " register " + names_of(found) + ": name the job (--job-classname)"};
    if (name.empty())
      return failure{"no job given, and no job library in " + library_dir +
                     ": give a job (--job-classname NAME, or the path of a job library)"};
  }
  std::string names;
  for (auto* j : built_in())
    names += (names.empty() ? "" : ", ") + j->name;
  return failure{"unknown job '" + name + "'; built-in jobs: " + names +
                 (library_dir.empty() ? "" : ", or jobs of the libraries in " + library_dir) +
                 " (or give the path of a job library)"};
}

} // namespace flinkcpp
