#!/usr/bin/env bash
# Configures and builds everything (Release, warnings as errors), then runs
# every test tier through ctest. Extra arguments go to ctest, e.g. `-L unit`.
# Dependencies come from ci/install-deps.sh.
#
#   ci/test.sh [ctest args]   the Release build in build/ (FLINKCPP_BUILD_DIR)
#   ci/test.sh --fuzz [SECONDS]
#                             every fuzz target (tests/fuzz/) built with clang,
#                             libFuzzer, ASan and UBSan (build-fuzz/) and
#                             fuzzed for SECONDS (60) each
#   ci/test.sh --sanitize     the unit and integration tiers (but
#                             large_state) built with AddressSanitizer +
#                             UndefinedBehaviorSanitizer (build-asan/;
#                             ci/ubsan-suppressions.txt), then the runtime, state,
#                             checkpoint and cluster unit tests with
#                             ThreadSanitizer (build-tsan/;
#                             ci/tsan-suppressions.txt)
#
# Under sanitizers every process (the tests' flink-cpp children included)
# writes its reports to <build>/sanitizer-reports/; any report fails the run,
# also one from a process whose exit status no test looks at. A report a
# child wrote to its stderr instead lands there too (tests/support/process.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${FLINKCPP_BUILD_DIR:-build}"
jobs="$(nproc)"

# sanitized_tier <build dir> <sanitizers> <ctest label regex> [<test name regex to leave out>]
sanitized_tier() {
  local dir="$1" sanitizers="$2" labels="$3" excluded="${4:-^$}"
  # Ninja: the Makefile generator builds the targets named below one after
  # the other, each a handful of files, leaving cores idle.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLINKCPP_WERROR=OFF \
    -DFLINKCPP_SANITIZE="$sanitizers" -DFLINKCPP_BUILD_BENCH=OFF
  # Only the tests selected, and what they run.
  local targets=(flink-cpp)
  local names
  names="$(ctest --test-dir "$dir" -N -L "$labels" -E "$excluded" | sed -n 's/^ *Test *#[0-9]*: //p')"
  for t in $names; do targets+=("test_$t"); done
  cmake --build "$dir" -j "$jobs" --target "${targets[@]}"
  local reports="$dir/sanitizer-reports"
  rm -rf "$reports" && mkdir -p "$reports"
  local common="log_path=$PWD/$reports/report:print_stacktrace=1"
  export ASAN_OPTIONS="$common:detect_leaks=1:strict_init_order=1:handle_abort=1"
  export UBSAN_OPTIONS="$common:halt_on_error=1:suppressions=$PWD/ci/ubsan-suppressions.txt"
  export TSAN_OPTIONS="$common:halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/ci/tsan-suppressions.txt"
  local status=0
  # One test at a time: an integration test runs a jobmanager and
  # taskmanagers, and two such tests under ASan on 2 cores starve them past
  # the tests' heartbeat timeout (2 s).
  ctest --test-dir "$dir" --output-on-failure -j 1 -L "$labels" -E "$excluded" || status=$?
  if compgen -G "$reports/report*" > /dev/null; then
    echo "test.sh: sanitizer reports ($sanitizers) in $reports:" >&2
    cat "$reports"/report* >&2
    status=1
  fi
  return "$status"
}

if [ "${1:-}" = "--fuzz" ]; then
  seconds="${2:-60}"
  [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: ci/test.sh --fuzz [SECONDS]" >&2; exit 2; }
  CXX=clang++ cmake -S . -B "$build-fuzz" -DCMAKE_BUILD_TYPE=Release -DFLINKCPP_FUZZ=ON \
    -DFLINKCPP_BUILD_BENCH=OFF -DFLINKCPP_FUZZ_SECONDS="$seconds"
  cmake --build "$build-fuzz" -j "$jobs" --target fuzz_targets
  ctest --test-dir "$build-fuzz" --output-on-failure -j "$jobs" -L '^fuzz$'
  exit 0
fi

if [ "${1:-}" = "--sanitize" ]; then
  shift
  [ "$#" -eq 0 ] || { echo "usage: ci/test.sh --sanitize (no ctest arguments)" >&2; exit 2; }
  # large_state holds a taskmanager to 96 MB of memory, less than ASan's
  # shadow memory alone needs.
  # Both tiers run, whatever the first gives.
  status=0
  sanitized_tier "$build-asan" address,undefined '^(unit|integration)$' '^large_state$' || status=1
  sanitized_tier "$build-tsan" thread '^(runtime|state|checkpoint|cluster)$' || status=1
  exit "$status"
fi

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLINKCPP_WERROR=ON
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
