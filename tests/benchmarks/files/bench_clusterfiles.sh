#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Files across nodes (issue 14; docs/BENCHMARKS.md, "Files"): natter-cli sends a file through
# natter-server --redis to two natter-cli receivers that save it. MODE one: the sender and both
# receivers on one node; MODE two: the sender and one receiver on node A, the other receiver on
# node B (the file crosses Redis). Prints the throughput (first chunk -> last byte on the slower
# receiver's disk) and checks both copies byte for byte.
#
# Usage: bench_clusterfiles.sh NATTER_SERVER NATTER_CLI SIZE_MIB MODE REDIS_URL
# Environment: BENCH_DIR (default /tmp/natter-bench-clusterfiles): source file, downloads, logs.
set -euo pipefail

server_bin=$1
cli_bin=$2
size_mib=$3
mode=$4
redis_url=$5
dir=${BENCH_DIR:-/tmp/natter-bench-clusterfiles}

mkdir -p "$dir"
src=$dir/source-${size_mib}MiB.bin
if [ "$(stat -c %s "$src" 2>/dev/null || echo 0)" != $((size_mib * 1024 * 1024)) ]; then
    head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$src"
fi
logs=$dir/logs-$mode
rm -rf "$dir/downloads-$mode" "$logs"
mkdir -p "$dir/downloads-$mode/a" "$dir/downloads-$mode/b" "$logs"

pids=()
stop() { pkill -TERM -P "$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null || true; }
cleanup() {
    exec 6>&- 7>&- 8>&- 2>/dev/null || true
    for p in "${pids[@]}"; do stop "$p"; done
}
trap cleanup EXIT
timed() { # timed NAME command... (a background job: it replaces the job's subshell)
    local name=$1; shift
    if [ -x /usr/bin/time ]; then exec /usr/bin/time -f "%M" -o "$logs/$name.maxrss" "$@"; else exec "$@"; fi
}
wait_for() { # wait_for FILE PATTERN SECONDS
    local deadline=$((SECONDS + $3))
    until grep -q "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "bench_clusterfiles: timed out waiting for $2 in $1" >&2; exit 1; }
        sleep 0.05
    done
}
start_node() { # start_node NAME: its URL in $node_url
    timed "$1" "$server_bin" --host 127.0.0.1 --port 0 --redis "$redis_url" > "$logs/$1.out" 2>&1 &
    pids+=($!)
    wait_for "$logs/$1.out" "listening on" 20
    node_url=$(grep -o 'ws://[^ ]*' "$logs/$1.out" | head -1)
}
start_node server-a
url_a=$node_url
url_b=$url_a
if [ "$mode" = two ]; then
    start_node server-b
    url_b=$node_url
fi

room=bench-$mode-$$
cli=(--room "$room" --ping-interval-ms 1000 --progress-interval-ms 1000 --flush-timeout-ms 60000)
mkfifo "$logs/ra.in" "$logs/rb.in" "$logs/sender.in"
timed ra "$cli_bin" --url "$url_a" --user ra --outbox "$logs/ra-outbox.json" --download-dir "$dir/downloads-$mode/a" \
    "${cli[@]}" < "$logs/ra.in" > "$logs/ra.jsonl" &
ra_pid=$!
pids+=($ra_pid)
exec 6> "$logs/ra.in"
timed rb "$cli_bin" --url "$url_b" --user rb --outbox "$logs/rb-outbox.json" --download-dir "$dir/downloads-$mode/b" \
    "${cli[@]}" < "$logs/rb.in" > "$logs/rb.jsonl" &
rb_pid=$!
pids+=($rb_pid)
exec 7> "$logs/rb.in"
wait_for "$logs/ra.jsonl" '"event":"session"' 20
wait_for "$logs/rb.jsonl" '"event":"session"' 20
timed sender "$cli_bin" --url "$url_a" --user sender --outbox "$logs/sender-outbox.json" "${cli[@]}" \
    < "$logs/sender.in" > "$logs/sender.jsonl" &
sender_pid=$!
pids+=($sender_pid)
exec 8> "$logs/sender.in"
wait_for "$logs/sender.jsonl" '"event":"session"' 20

finished() { # finished NAME
    grep '"direction":"download"' "$logs/$1.jsonl" 2>/dev/null | grep -qE '"state":"(completed|failed|cancelled)"'
}
echo "/send $src" >&8
exec 8>&-
deadline=$((SECONDS + 900))
until finished ra && finished rb; do
    [ $SECONDS -lt $deadline ] || { echo "bench_clusterfiles: the downloads did not finish" >&2; exit 1; }
    sleep 0.1
done
wait "$sender_pid" || true
exec 6>&- 7>&-
wait "$ra_pid" "$rb_pid" || true
for p in "${pids[@]}"; do stop "$p"; done
wait 2>/dev/null || true
pids=()

python3 - "$logs" "$src" <<'PY'
import filecmp, json, os, sys
logs, src = sys.argv[1:3]
def events(name):
    with open(os.path.join(logs, name + '.jsonl')) as f:
        return [json.loads(l) for l in f if l.startswith('{')]
def done(name):
    return next(e for e in events(name) if e['event'] == 'transfer' and e['direction'] == 'download'
                and e['state'] in ('completed', 'failed', 'cancelled'))
start = next(e['time'] for e in events('sender') if e['event'] == 'transfer' and e['state'] == 'active')
ra, rb = done('ra'), done('rb')
exact = all(d['state'] == 'completed' and filecmp.cmp(src, d['path'], shallow=False) for d in (ra, rb))
seconds = (max(ra['time'], rb['time']) - start) / 1000
size = ra['size']
print(f"byte-exact: {'yes' if exact else 'NO'}")
print(f"speed: {size / 1048576 / seconds:.1f} MiB/s ({size / 1048576:.0f} MiB in {seconds:.2f} s)")
for d in (ra, rb):
    if d['state'] == 'completed':
        os.remove(d['path'])
if not exact:
    sys.exit(1)
PY
