#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One entry point for newcomers and CI: installs what is missing, builds, runs or tests Natter.
#   tools/dev.sh run [natter args]   build and start the desktop app
#   tools/dev.sh test                build and run the whole test suite (what CI runs)
#   tools/dev.sh build               just build
#   tools/dev.sh deps [package...]   just install the Debian packages (and the extra ones named)
#   tools/dev.sh sanitize            the whole test suite with ASan + UBSan (tools/sanitize.sh)
#   tools/dev.sh fuzz [seconds]      each libFuzzer target for a bounded time (tools/fuzz.sh)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NATTER_BUILD_DIR:-$root/build}
jobs=${NATTER_JOBS:-$(nproc)}

# Build and test dependencies, all from Debian 12's archive.
packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n libgl-dev
  qt6-qpa-plugins libqt6sql6-sqlite libsqlite3-dev libssl-dev qtkeychain-qt6-dev
  libhiredis-dev redis-server # scale-out: natter-server --redis, and the tests' own redis-server
  desktop-file-utils appstream dpkg-dev file fakeroot
  xvfb xauth clang-format systemd groff-base
  dbus-daemon gnome-keyring libsecret-1-0 # tst_tokenstore_keyring: a private keyring per test run
)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    sudo_if_needed apt-get update
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

# build [target...]: configures once, then builds the given targets (everything by default).
build() {
  deps
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNATTER_WERROR=ON
  if [ $# -gt 0 ]; then
    cmake --build "$build" -j "$jobs" --target "$@"
  else
    cmake --build "$build" -j "$jobs"
  fi
}

cmd=${1:-run}
shift || true
case "$cmd" in
  deps) deps "$@" ;;
  sanitize) exec "$root/tools/sanitize.sh" "$@" ;;
  fuzz) exec "$root/tools/fuzz.sh" "$@" ;;
  build) build ;;
  run)
    # Only what the app needs, so the first start does not wait for the test suite to compile.
    build natter
    exec "$build/bin/natter" "$@"
    ;;
  test)
    build
    cd "$build"
    ctest --output-on-failure -j "$jobs" --timeout 300 "$@"
    ;;
  *)
    echo "usage: tools/dev.sh run|test|build|deps|sanitize|fuzz" >&2
    exit 2
    ;;
esac
