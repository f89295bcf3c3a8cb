#include "connectors/part_files.hpp"

#include <stdexcept>

#include "util/id.hpp"

namespace flinkcpp {

std::string random_file_suffix() {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  detail::random128(high, low);
  return detail::hex128(high, low).substr(0, 16);
}

void in_progress_file::create() {
  auto created =
    file_system::current().open_for_write(in_progress, file_system::create_mode::new_only);
  if (!created)
    throw std::runtime_error("cannot create output file: " + created.error());
  file = std::move(created.value());
}

void in_progress_file::append(const std::string& data) {
  if (!file)
    return;
  if (auto appended = file->append(data); !appended)
    throw std::runtime_error("cannot write output: " + appended.error());
}

void in_progress_file::finish() {
  if (!file)
    return;
  auto done = file->sync_and_close();
  file.reset();
  if (!done)
    throw std::runtime_error("cannot close output file: " + done.error());
}

void in_progress_file::discard() noexcept {
  file.reset();
  (void)file_system::current().remove_file(in_progress);
}

void rename_no_replace(const std::string& from, const std::string& to) {
  if (auto renamed = file_system::current().rename_no_replace(from, to); !renamed)
    throw std::runtime_error("cannot commit output '" + to + "': " + renamed.error());
}

void commit_part_file(const std::string& from, const std::string& to) {
  auto& fs = file_system::current();
  if (!fs.exists(from)) {
    if (fs.exists(to))
      return; // committed before a failure
    throw std::runtime_error("cannot commit part file '" + to + "': it and its in-progress file '" +
                             from + "' are both gone");
  }
  rename_no_replace(from, to);
}

} // namespace flinkcpp
