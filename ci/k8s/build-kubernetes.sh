#!/usr/bin/env bash
# Builds the Kubernetes control plane and node binaries the Kubernetes test
# tier runs (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
# kube-proxy), v1.20.2 from Debian bookworm's `kubernetes` source package,
# offline with Debian's Go. About 10 minutes on 2 cores, once per machine: the
# binaries are kept under $FLINKCPP_CACHE (default /var/cache/flink-cpp) and
# later runs return at once. Needs root and the packages ci/install-deps.sh
# installs; prints the folder holding the binaries.
set -euo pipefail

cache="${FLINKCPP_CACHE:-/var/cache/flink-cpp}/kubernetes-1.20.2"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

have_all() {
  local b
  for b in "${binaries[@]}"; do [ -x "$cache/bin/$b" ] || return 1; done
}

if have_all; then
  echo "$cache/bin"
  exit 0
fi

# `apt-get source` needs a deb-src entry: the same archive as the machine's
# deb entries, written to a file of our own.
if ! apt-get source --print-uris kubernetes > /dev/null 2>&1; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then # deb822
    awk 'BEGIN { RS = ""; ORS = "\n\n" } /Types: deb/ && !done {
           sub(/Types: deb/, "Types: deb-src"); print; done = 1 }' \
      /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/flink-cpp-src.sources
  else # one line per source
    grep -E '^deb ' /etc/apt/sources.list | head -n 1 | sed 's/^deb /deb-src /' \
      > /etc/apt/sources.list.d/flink-cpp-src.list
  fi
  apt-get update -q >&2
fi

work="$cache/src"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
apt-get source --download-only kubernetes >&2
tar xzf kubernetes_*.orig.tar.gz
cd kubernetes-1.20.2
# The vendored modern-go/reflect2 1.0.1 makes binaries built with Go >= 1.18
# crash at run time; Debian's 1.0.2 works.
rm -rf vendor/github.com/modern-go/reflect2
mkdir vendor/github.com/modern-go/reflect2
cp /usr/share/gocode/src/github.com/modern-go/reflect2/*.go \
   /usr/share/gocode/src/github.com/modern-go/reflect2/*.s vendor/github.com/modern-go/reflect2/
rm -f vendor/github.com/modern-go/reflect2/*_test.go
what=""
for b in "${binaries[@]}"; do what="$what cmd/$b"; done
make WHAT="${what# }" >&2
mkdir -p "$cache/bin"
for b in "${binaries[@]}"; do cp "_output/bin/$b" "$cache/bin/"; done
# The pause image's source, for ci/k8s/cluster-up.sh.
cp build/pause/linux/pause.c "$cache/pause.c"
cd "$cache"
rm -rf "$work"
echo "$cache/bin"
