// An example user job, compiled as a shared library and run by path:
//
//   flink-cpp run -t local build/lib/libword_length_job.so --input PATH
//
// It counts how many words of each length a text has: the same DataStream API
// as the built-in jobs, with integer keys and a map step.

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "flinkcpp/flinkcpp.hpp"

namespace {

struct length_count {
  std::int64_t length = 0;
  std::int64_t count = 0;
};

template <class Inspector>
auto inspect(Inspector& f, length_count& x) {
  return f(x.length, x.count);
}

void split_words(std::string_view line, flinkcpp::collector<std::string>& out) {
  std::string word;
  for (char c : line) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(c);
    } else if (!word.empty()) {
      out.collect(std::move(word));
      word.clear();
    }
  }
  if (!word.empty())
    out.collect(std::move(word));
}

} // namespace

FLINKCPP_JOB(word_length, "Counts words per word length (--input PATH, --output PATH)")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto input = args.required("input");
  auto output = args.get("output");
  auto lengths = env.read_text_file(input)
                   .flat_map(split_words)
                   .map([](const std::string& w) {
                     return length_count{static_cast<std::int64_t>(w.size()), 1};
                   })
                   .name("length")
                   .key_by(&length_count::length)
                   .sum(&length_count::count)
                   .name("per-length");
  if (output)
    lengths.write_as_text(*output).set_parallelism(1);
  else
    lengths.print();
}
