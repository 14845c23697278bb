#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole test suite once with AddressSanitizer (and LeakSanitizer) and UndefinedBehaviorSanitizer.
#   tools/sanitize.sh [ctest args]
# Builds in build-asan/ (NATTER_ASAN_BUILD_DIR overrides), separate from the normal build/.
# Any sanitizer report fails the test that produced it: ASan and LSan abort, UBSan halts.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NATTER_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${NATTER_JOBS:-$(nproc)}

"$root/tools/dev.sh" deps
# The project's own compiler (g++); -O1 keeps the suite's timing-sensitive tests within their
# deadlines while leaving stack traces readable.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
  -DNATTER_SANITIZE=address,undefined
cmake --build "$build" -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Leaks inside Qt and system libraries only; every entry says why it is not ours.
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0
cd "$build"
# Sanitized code runs 2-5x slower: tests/CMakeLists.txt scales each test's timeout in this build.
ctest --output-on-failure -j "$jobs" --timeout 900 "$@"
