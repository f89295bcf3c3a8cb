#include "api/job_registry.hpp"

#include <algorithm>
#include <filesystem>

#include <dlfcn.h>
#include <sys/stat.h>

namespace flinkcpp {

namespace detail {

job_registrar::job_registrar(const char* name, const char* description, job_function fn) {
  job_registry::instance().add({name, description, fn, {}});
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

result<const job_definition*> job_registry::load_library(const std::string& path) {
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
  auto added = jobs_.size() - before;
  if (added == 0)
    return failure{"job library '" + path +
                   "' registers no job; define one with FLINKCPP_JOB(name)"};
  if (added > 1)
    return failure{"job library '" + path + "' registers " + std::to_string(added) +
                   " jobs; a job library must register exactly one"};
  jobs_.back().library = path;
  libraries_[canonical] = &jobs_.back();
  return &jobs_.back();
}

result<const job_definition*> job_registry::resolve(const std::string& job) {
  constexpr std::string_view local_scheme = "local://";
  std::string_view spec = job;
  if (spec.substr(0, local_scheme.size()) == local_scheme)
    return load_library(std::string{spec.substr(local_scheme.size())});
  bool is_path = spec.find('/') != std::string_view::npos ||
                 (spec.size() > 3 && spec.substr(spec.size() - 3) == ".so");
  if (is_path)
    return load_library(job);
  if (auto* j = find(job); j != nullptr && j->library.empty())
    return j;
  std::string names;
  for (auto* j : built_in())
    names += (names.empty() ? "" : ", ") + j->name;
  return failure{"unknown job '" + job + "'; built-in jobs: " + names +
                 " (or give the path of a job library)"};
}

} // namespace flinkcpp
