#!/usr/bin/env bash
# Builds an image of user job libraries on top of the engine image, as a
# user would (FROM localhost/flink-cpp + the libraries in
# /opt/flink/usrlib), into an OCI archive, and prints the archive's path.
#
#   ci/build-job-image.sh NAME:TAG OUT.oci.tar LIBRARY.so...
#
# The engine image comes from ci/build-image.sh (run first; cached). Each
# library is then job.jarURI local:///opt/flink/usrlib/<its file name>.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: ci/build-job-image.sh NAME:TAG OUT.oci.tar LIBRARY.so..." >&2; exit 2; }
name=$1
out=$2
shift 2
base_archive="$(ci/build-image.sh | tail -n 1)"
version="$(sed -n 's/^project(flink-cpp VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)"
cache="${FLINKCPP_CACHE:-/var/cache/flink-cpp}/images"
buildah=(buildah --storage-driver vfs --root "$cache/storage" --runroot "$cache/run")
exec 9> "$cache/.lock"
flock 9
[ -f "$base_archive" ] || { echo "build-job-image: no engine image" >&2; exit 1; }
container="$("${buildah[@]}" from --pull-never "localhost/flink-cpp:$version")"
trap '"${buildah[@]}" rm "$container" > /dev/null 2>&1' EXIT
for library in "$@"; do
  [ -f "$library" ] || { echo "build-job-image: no such library: $library" >&2; exit 1; }
  "${buildah[@]}" copy --chown 0:0 "$container" "$library" "/opt/flink/usrlib/$(basename "$library")" > /dev/null
done
"${buildah[@]}" commit -q "$container" "$name" > /dev/null
rm -f "$out"
"${buildah[@]}" push -q "$name" "oci-archive:$out:$name" >&2
echo "$out"
