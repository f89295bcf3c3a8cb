#!/usr/bin/env bash
# Builds the engine image (images/Dockerfile) with buildah into an OCI
# archive, and prints the archive's path. The image is named
# localhost/flink-cpp:<version>. Kept under $FLINKCPP_CACHE (default
# /var/cache/flink-cpp)/images by the hash of the sources it is built from: a
# second run on unchanged sources returns at once.
#
# The base image (debian:bookworm-slim) is pulled when a registry is
# reachable; where none is, it is made with debootstrap from the machine's own
# Debian archive and stored under that name. Needs root, buildah and
# debootstrap (ci/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${FLINKCPP_CACHE:-/var/cache/flink-cpp}/images"
version="$(sed -n 's/^project(flink-cpp VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)"
image="localhost/flink-cpp:$version"
base_image="docker.io/library/debian:bookworm-slim"
if ! mountpoint -q /; then
  echo "build-image: / is not a mount point (a plain chroot?): buildah remounts it to apply" \
       "layers; bind-mount the root onto itself first (mount --bind DIR DIR)" >&2
  exit 1
fi
mkdir -p "$cache"
# One build at a time (the image and Kubernetes tests both ask for it).
exec 9> "$cache/.lock"
flock 9
buildah=(buildah --storage-driver vfs --root "$cache/storage" --runroot "$cache/run")

# What the image is built from: the files of the build context (the
# folders .dockerignore leaves in).
context=(CMakeLists.txt cmake engine images ci/install-deps.sh .dockerignore)
sources_hash="$( (git ls-files -co --exclude-standard -z -- "${context[@]}" | sort -z |
                  xargs -0 sha256sum) | sha256sum | cut -c1-16)"
archive="$cache/flink-cpp-$version-$sources_hash.oci.tar"
if [ -f "$archive" ]; then
  echo "$archive"
  exit 0
fi

# The Debian archive this machine installs from.
debian_mirror() {
  local uri
  uri="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)"
  [ -n "$uri" ] || uri="$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)"
  echo "${uri:-http://deb.debian.org/debian}"
}

if ! "${buildah[@]}" inspect --type image "$base_image" > /dev/null 2>&1; then
  if ! "${buildah[@]}" pull -q "$base_image" > /dev/null 2>&1; then
    echo "build-image: no registry reachable; making $base_image with debootstrap" >&2
    rootfs="$cache/base-rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >&2
    # as slim as the registry's: no package caches, lists, docs or man pages
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
           "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    tar -C "$rootfs" -cf "$cache/base-rootfs.tar" .
    container="$("${buildah[@]}" from scratch)"
    "${buildah[@]}" add "$container" "$cache/base-rootfs.tar" / > /dev/null
    "${buildah[@]}" config --cmd /bin/bash \
      --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
    "${buildah[@]}" commit -q "$container" "$base_image" > /dev/null
    "${buildah[@]}" rm "$container" > /dev/null
    rm -rf "$rootfs" "$cache/base-rootfs.tar"
  fi
fi

"${buildah[@]}" bud --isolation chroot --network host --pull-never --layers \
  -f images/Dockerfile -t "$image" . >&2
rm -f "$cache"/flink-cpp-"$version"-*.oci.tar
"${buildah[@]}" push -q "$image" "oci-archive:$archive.partial:$image" >&2
mv "$archive.partial" "$archive"
echo "$archive"
