#!/usr/bin/env bash
# Configures and builds everything (Release, warnings as errors), then runs
# every test tier through ctest. Extra arguments go to ctest, e.g. `-L unit`.
# Dependencies come from ci/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${FLINKCPP_BUILD_DIR:-build}"
jobs="$(nproc)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLINKCPP_WERROR=ON
cmake --build "$build" -j "$jobs"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "$@"
