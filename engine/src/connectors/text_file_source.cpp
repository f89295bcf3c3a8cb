#include "flinkcpp/file_source.hpp"

#include <stdexcept>
#include <utility>

#include "connectors/file_split_enumerator.hpp"
#include "connectors/text_file_reader.hpp"
#include "flinkcpp/detail/file_source.hpp"

namespace flinkcpp {

template <class Line>
text_file_source<Line>::text_file_source(std::string path) : path_(std::move(path)) {}

template <class Line>
text_file_source<Line>&
text_file_source<Line>::monitor_continuously(std::chrono::milliseconds interval) {
  if (interval.count() <= 0)
    throw std::invalid_argument("monitor_continuously: the interval must be positive, got " +
                                std::to_string(interval.count()) + " ms");
  interval_ = interval;
  return *this;
}

template <class Line>
boundedness text_file_source<Line>::get_boundedness() const {
  return interval_.count() > 0 ? boundedness::continuous_unbounded : boundedness::bounded;
}

template <class Line>
std::optional<std::string> text_file_source<Line>::validate() const {
  return detail::validate_file_input(path_);
}

template <class Line>
std::unique_ptr<source_reader<Line, file_source_split>>
text_file_source<Line>::create_reader(source_reader_context& context) const {
  return std::make_unique<text_file_reader<Line>>(context);
}

template <class Line>
std::unique_ptr<split_enumerator<file_source_split, file_source_checkpoint>>
text_file_source<Line>::create_enumerator(
  split_enumerator_context<file_source_split>& context) const {
  return restore_enumerator(context, {});
}

template <class Line>
std::unique_ptr<split_enumerator<file_source_split, file_source_checkpoint>>
text_file_source<Line>::restore_enumerator(split_enumerator_context<file_source_split>& context,
                                           file_source_checkpoint checkpoint) const {
  file_split_enumerator::settings settings;
  settings.path = path_;
  settings.whole_files = text_file_reader<Line>::numbered;
  settings.interval = interval_;
  return std::make_unique<file_split_enumerator>(context, std::move(settings),
                                                 std::move(checkpoint));
}

template class text_file_source<std::string>;
template class text_file_source<text_line>;

} // namespace flinkcpp
