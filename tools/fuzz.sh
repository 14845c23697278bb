#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets of tests/fuzz with clang and runs each for a bounded time.
#   tools/fuzz.sh [seconds-per-target]    default 40: eight targets in about six minutes
#   tools/fuzz.sh 0                       only replay the seed corpora (a quick regression check)
#   NATTER_FUZZ_TARGETS="fuzz_jsontree"   run only these targets
# Builds in build-fuzz/ (NATTER_FUZZ_BUILD_DIR overrides). New inputs the fuzzer finds stay in
# build-fuzz/corpus/<target>/, never in the repository's seeds; a crashing input is saved as
# build-fuzz/artifacts/<target>-crash-... and the script exits non-zero on any crash, leak,
# sanitizer report, failed property, timeout or out-of-memory.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NATTER_FUZZ_BUILD_DIR:-$root/build-fuzz}
jobs=${NATTER_JOBS:-$(nproc)}
seconds=${1:-40}
targets=(${NATTER_FUZZ_TARGETS:-fuzz_decode_client fuzz_decode_server fuzz_jsontree fuzz_chunk fuzz_upload fuzz_handshake fuzz_wsframe fuzz_cli_command})

# clang 14 and its runtime (libFuzzer, ASan, UBSan) from Debian 12.
"$root/tools/dev.sh" deps clang libclang-rt-14-dev

# Only what the fuzzers link: no GUI, no test suite.
mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNATTER_FUZZ=ON -DNATTER_BUILD_TESTS=OFF -DNATTER_BUILD_GUI=OFF >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j "$jobs" --target fuzzers

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

dict_of() {
  case "$1" in
    fuzz_decode_client | fuzz_decode_server | fuzz_jsontree) echo "$root/tests/fuzz/dict/protocol.dict" ;;
    fuzz_cli_command) echo "$root/tests/fuzz/dict/cli.dict" ;;
    fuzz_handshake) echo "$root/tests/fuzz/dict/http.dict" ;;
  esac
}
extra_options_of() {
  case "$1" in
    # Frames up to and past the 64 KiB data limit, from the start.
    fuzz_chunk) echo "-max_len=65552 -len_control=0" ;;
    fuzz_upload) echo "-max_len=2048" ;;
    # Past the 8 KiB request limit.
    fuzz_handshake) echo "-max_len=9000" ;;
    *) echo "-max_len=8192" ;;
  esac
}

mkdir -p "$build/artifacts" "$build/logs"
failed=()
for t in "${targets[@]}"; do
  seeds=$root/tests/fuzz/corpus/$t
  work=$build/corpus/$t
  log=$build/logs/$t.log
  mkdir -p "$work"
  # A fixed seed (NATTER_FUZZ_SEED, default 1): a run that fails can be repeated exactly.
  options=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "-seed=${NATTER_FUZZ_SEED:-1}"
    "-artifact_prefix=$build/artifacts/$t-")
  # shellcheck disable=SC2207
  options+=($(extra_options_of "$t"))
  dict=$(dict_of "$t")
  [ -n "$dict" ] && options+=("-dict=$dict")
  if [ "$seconds" -gt 0 ]; then
    options+=("-max_total_time=$seconds")
  else
    options+=(-runs=0)
  fi
  status=0
  "$build/fuzz/$t" "${options[@]}" "$work" "$seeds" >"$log" 2>&1 || status=$?
  # Belt and braces: a sanitizer report or failed property in the log fails the target too.
  if grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:|PROPERTY FAILED|ERROR: libFuzzer' "$log"; then
    [ $status -ne 0 ] || status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  final=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|pulse|NEW|REDUCE)' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$final")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$final")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$final")
  if [ $status -eq 0 ]; then
    verdict=ok
  else
    verdict="FAILED (exit $status, log $log)"
    failed+=("$t")
  fi
  printf 'fuzz %-20s %10s execs %7s/s  cov %5s  ft %5s  corpus %5s  %s\n' "$t" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}" "$verdict"
  if [ $status -ne 0 ]; then
    grep -E -A25 'PROPERTY FAILED|ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:|ERROR: libFuzzer|deadly signal' "$log" | head -60 >&2 || tail -40 "$log" >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing FAILED: ${failed[*]} (inputs in $build/artifacts/)" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no findings"
