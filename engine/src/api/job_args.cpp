#include "flinkcpp/job_args.hpp"

#include <charconv>

namespace flinkcpp {

namespace {

// "--name" or "-name" (but not a negative number such as "-5").
bool is_name(const std::string& arg) {
  if (arg.size() < 2 || arg[0] != '-')
    return false;
  if (arg[1] == '-')
    return arg.size() > 2;
  double ignored = 0;
  auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ignored);
  return !(ec == std::errc{} && ptr == arg.data() + arg.size());
}

std::string strip_dashes(const std::string& arg) {
  return arg.substr(arg[1] == '-' ? 2 : 1);
}

} // namespace

job_args job_args::parse(const std::vector<std::string>& args) {
  job_args result;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!is_name(args[i]))
      throw job_argument_error("unexpected job argument '" + args[i] +
                               "': expected --name value pairs or --flag switches");
    auto name = strip_dashes(args[i]);
    if (name.empty() || name.find('=') != std::string::npos)
      throw job_argument_error("malformed job argument '" + args[i] +
                               "': expected --name value (with a space, not '=')");
    std::optional<std::string> value;
    if (i + 1 < args.size() && !is_name(args[i + 1]))
      value = args[++i];
    if (!result.values_.emplace(name, std::move(value)).second)
      throw job_argument_error("job argument --" + name + " is given more than once");
  }
  return result;
}

const std::optional<std::string>* job_args::find(std::string_view name) const {
  read_.emplace(name);
  auto i = values_.find(name);
  return i == values_.end() ? nullptr : &i->second;
}

std::optional<std::string> job_args::get(std::string_view name) const {
  auto* v = find(name);
  if (v == nullptr)
    return std::nullopt;
  if (!*v)
    throw job_argument_error("job argument --" + std::string{name} + " needs a value: --" +
                             std::string{name} + " <value>");
  return *v;
}

std::string job_args::get(std::string_view name, std::string_view fallback) const {
  auto v = get(name);
  return v ? *v : std::string{fallback};
}

std::string job_args::required(std::string_view name) const {
  auto v = get(name);
  if (!v)
    throw job_argument_error("missing job argument --" + std::string{name});
  return *v;
}

std::int64_t job_args::get_int(std::string_view name, std::int64_t fallback) const {
  auto v = get(name);
  if (!v)
    return fallback;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || ptr != v->data() + v->size())
    throw job_argument_error("job argument --" + std::string{name} + " must be an integer, got '" +
                             *v + "'");
  return out;
}

bool job_args::has(std::string_view name) const {
  return find(name) != nullptr;
}

std::vector<std::string> job_args::unread() const {
  std::vector<std::string> out;
  for (const auto& [name, value] : values_)
    if (read_.find(name) == read_.end())
      out.push_back(name);
  return out;
}

std::vector<std::string> job_args::read_names() const {
  return {read_.begin(), read_.end()};
}

} // namespace flinkcpp
