#!/usr/bin/env bash
# Installs every system dependency of flink-cpp from Debian bookworm's archive.
# Idempotent: packages already present are skipped by apt-get; safe to re-run.
# Run as root (or with sudo available). Prints what it installs.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates
  # engine libraries (see ../shared/TOOLCHAIN.md for versions and CMake targets)
  libcaf-dev
  libleveldb-dev libsnappy-dev
  libspdlog-dev libfmt-dev
  prometheus-cpp-dev
  libboost-test-dev
  libcpp-httplib-dev
  nlohmann-json3-dev
  libyaml-cpp-dev
  libcli11-dev
  libabsl-dev
  libxxhash-dev
  libzstd-dev
  libssl-dev
  # servers the tests run against: a real Prometheus scraping the processes,
  # a real headless Chromium for the web UI
  prometheus
  chromium
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm drives the browser tests; a Node.js from elsewhere that brings npm will do.
command -v npm > /dev/null || missing+=(npm)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# playwright-core (npm), which the web UI test uses to drive Debian's chromium,
# kept outside the repository so that later runs need no network.
npm_cache=/var/cache/flink-cpp/npm
playwright_version=1.49.1
if [ ! -f "$npm_cache/node_modules/playwright-core/package.json" ] ||
   ! grep -q "\"version\": \"$playwright_version\"" "$npm_cache/node_modules/playwright-core/package.json"; then
  echo "install-deps: installing playwright-core $playwright_version into $npm_cache"
  as_root mkdir -p "$npm_cache"
  as_root npm install --prefix "$npm_cache" --no-audit --no-fund --loglevel=error \
    "playwright-core@$playwright_version"
fi
