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
  # servers the tests run against: a real Prometheus scraping the processes
  prometheus
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

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -q
as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
