#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds Natter's Debian packages, natter and natter-server, from a Release build and prints
# their paths. See docs/PACKAGING.md.
#   tools/build-deb.sh                build in build-deb/ (NATTER_DEB_BUILD_DIR overrides)
# Needs dpkg-dev and file (for dpkg-shlibdeps); tools/dev.sh deps installs them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NATTER_DEB_BUILD_DIR:-$root/build-deb}
out=$build/packages
jobs=${NATTER_JOBS:-$(nproc)}

for tool in dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || {
    echo "build-deb: $tool is missing; run tools/dev.sh deps (Debian packages dpkg-dev, file)" >&2
    exit 1
  }
done

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX=/usr -DNATTER_BUILD_TESTS=OFF
cmake --build "$build" -j "$jobs"

rm -f "$out"/*.deb
(cd "$build" && cpack -G DEB -B "$out")

shopt -s nullglob
debs=("$out"/*.deb)
if [ ${#debs[@]} -eq 0 ]; then
  echo "build-deb: cpack made no .deb" >&2
  exit 1
fi
printf '%s\n' "${debs[@]}"
