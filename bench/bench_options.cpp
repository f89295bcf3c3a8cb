#include "bench_options.hpp"

#include <cstdlib>

#include <CLI/CLI.hpp>

#include "text_corpus.hpp"

namespace flinkcpp::bench {

bench_options parse_bench_options(const char* description, int argc, char** argv) {
  bench_options opts;
  std::string dir;
  CLI::App app{description};
  app.add_option("--megabytes", opts.megabytes, "Size of the text corpus in MB")
    ->check(CLI::Range(1, 100000));
  app.add_option("--repeat", opts.repeat, "Runs of each measurement; the best counts")
    ->check(CLI::Range(1, 1000));
  app.add_option("--dir", dir, "Where data is cached (default: /var/cache/flink-cpp/bench)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);
  }
  opts.dir = bench_data_dir(dir.empty() ? nullptr : dir.c_str());
  opts.corpus = cached_corpus(opts.dir, opts.megabytes);
  return opts;
}

} // namespace flinkcpp::bench
