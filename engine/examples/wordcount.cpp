// Flink's WordCount: read text, split it into words, count each word.
//
//   flink-cpp run -t local -p 4 wordcount [--input PATH | --rate R] [--output PATH]
//
// Words are maximal runs of ASCII letters and digits, lowercased; every other
// byte separates words. Without --input, a built-in text is counted; with
// --rate, that text's lines repeat endlessly at R lines per second (a
// streaming job with keyed state that runs until cancelled); without
// --output, results are printed. With --output, each result is a line
// "(word,count)" in a file (the sink runs with parallelism 1). In STREAMING
// mode every update is emitted, so the last line of each word holds its
// total; in BATCH mode each word appears once, with its total.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flinkcpp/flinkcpp.hpp"
#include "word_tokenizer.hpp"

namespace {

using flinkcpp::examples::tokenize;
using flinkcpp::examples::word_count;

// From Hamlet, Act III, Scene 1 (public domain), as Flink's example uses.
const std::vector<std::string> sample_text = {
  "To be, or not to be,--that is the question:--",
  "Whether 'tis nobler in the mind to suffer",
  "The slings and arrows of outrageous fortune",
  "Or to take arms against a sea of troubles,",
  "And by opposing end them?--To die,--to sleep,--",
  "No more; and by a sleep to say we end",
  "The heartache, and the thousand natural shocks",
  "That flesh is heir to,--'tis a consummation",
  "Devoutly to be wish'd. To die,--to sleep;--",
  "To sleep! perchance to dream:--ay, there's the rub;",
  "For in that sleep of death what dreams may come,",
  "When we have shuffled off this mortal coil,",
  "Must give us pause: there's the respect",
  "That makes calamity of so long life;",
};

} // namespace

FLINKCPP_JOB(wordcount,
             "Counts the words of a text (--input PATH or --rate LINES_PER_SECOND, --output PATH)")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto input = args.get("input");
  auto output = args.get("output");
  auto rate = args.get_int("rate", 0);
  if (input && rate > 0)
    throw flinkcpp::job_argument_error(
      "--rate repeats the built-in text: it does not go with --input");

  auto repeated = [](std::int64_t i) {
    return sample_text[static_cast<std::size_t>(i) % sample_text.size()];
  };
  auto text =
    input ? env.read_text_file(*input).name("file-input")
    : rate > 0
      ? env.datagen(repeated, flinkcpp::stream_environment::unbounded, static_cast<double>(rate))
          .name("repeated-input")
      : env.from_elements(sample_text).name("in-memory-input");

  auto counts = text.flat_map(tokenize)
                  .name("tokenizer")
                  .key_by(&word_count::word)
                  .sum(&word_count::count)
                  .name("counter");

  if (output)
    counts.write_as_text(*output).name("file-sink").set_parallelism(1);
  else
    counts.print().name("print-sink");
}
