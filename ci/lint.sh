#!/usr/bin/env bash
# The guards every change passes: the C++ sources are formatted as
# .clang-format says, and the engine's translation units pass .clang-tidy.
# ctest runs this as the `lint` test; alone:
#
#   ci/lint.sh [BUILD_DIR]    BUILD_DIR holds compile_commands.json (default: build)
#
# Prints each finding and exits non-zero if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
if [ ! -f "$build/compile_commands.json" ]; then
  echo "lint: no $build/compile_commands.json: configure with cmake -S . -B $build first" >&2
  exit 2
fi

sources() {
  find engine tests bench -type f \( -name '*.cpp' -o -name '*.hpp' \) -not -path 'engine/web/*' | sort
}

status=0
echo "lint: clang-format ($(sources | wc -l) files)"
if ! sources | xargs clang-format --dry-run --Werror; then
  echo "lint: files above are not formatted: run clang-format -i on them" >&2
  status=1
fi

# The engine's own translation units; GCC-only warning flags mean nothing to clang.
units=$(find engine/src -type f -name '*.cpp' | sort)
echo "lint: clang-tidy ($(echo "$units" | wc -l) translation units)"
if ! echo "$units" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet \
    --extra-arg=-Wno-unknown-warning-option 2> >(grep -v 'warnings generated' >&2); then
  echo "lint: clang-tidy findings above (.clang-tidy says which checks)" >&2
  status=1
fi
exit "$status"
