#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# File transfer benchmark (docs/BENCHMARKS.md, "Files"): natter-cli sends a file through
# natter-server on localhost to a second natter-cli that saves it with --download-dir.
# Prints throughput, peak resident memory of sender, receiver and server, and the sender's
# ping round trips while the file moves; checks the received copy byte for byte.
#
# Usage: bench_files.sh [NATTER_SERVER [NATTER_CLI [SIZE_MIB]]]
#   defaults: build-rel/bin/natter-server, build-rel/bin/natter-cli, 1024
# Environment: BENCH_DIR (default /tmp/natter-bench-files) holds the source file (kept between
# runs), the download folder and the logs. NODE_BASELINE=0 skips the Node.js comparison.
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
server_bin=${1:-$root/build-rel/bin/natter-server}
cli_bin=${2:-$root/build-rel/bin/natter-cli}
size_mib=${3:-1024}
dir=${BENCH_DIR:-/tmp/natter-bench-files}
for bin in "$server_bin" "$cli_bin"; do
    [ -x "$bin" ] || { echo "bench_files: $bin is not built" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "bench_files: needs python3" >&2; exit 2; }

mkdir -p "$dir"
src=$dir/source-${size_mib}MiB.bin
if [ "$(stat -c %s "$src" 2>/dev/null || echo 0)" != $((size_mib * 1024 * 1024)) ]; then
    echo "creating $src ($size_mib MiB of random data)..."
    head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$src"
fi
rm -rf "$dir/downloads" "$dir/logs"
mkdir -p "$dir/downloads" "$dir/logs"
logs=$dir/logs

pids=()
stop() { # stop PID: the job itself, or the program GNU time runs for it
    pkill -TERM -P "$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null || true
}
cleanup() {
    exec 7>&- 8>&- 2>/dev/null || true
    for p in "${pids[@]}"; do stop "$p"; done
}
trap cleanup EXIT

# Peak resident memory comes from GNU time (%M, KiB) when installed, else from VmHWM polling.
timed() { # timed NAME command... (run as a background job: it replaces the job's subshell)
    local name=$1; shift
    if [ -x /usr/bin/time ]; then
        exec /usr/bin/time -f "%M" -o "$logs/$name.maxrss" "$@"
    else
        exec "$@"
    fi
}

wait_for() { # wait_for FILE PATTERN SECONDS
    local deadline=$((SECONDS + $3))
    until grep -q "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "bench_files: timed out waiting for $2 in $1" >&2; exit 1; }
        sleep 0.05
    done
}

timed server "$server_bin" --host 127.0.0.1 --port 0 > "$logs/server.out" 2>&1 &
server_pid=$!
pids+=($server_pid)
wait_for "$logs/server.out" "listening on" 10
url=$(grep -o 'ws://[^ ]*' "$logs/server.out" | head -1)

cli=(--room bench --ping-interval-ms 200 --progress-interval-ms 1000 --flush-timeout-ms 60000)
mkfifo "$logs/receiver.in" "$logs/sender.in"
finished_download() {
    grep '"direction":"download"' "$logs/receiver.jsonl" 2>/dev/null | grep -qE '"state":"(completed|failed|cancelled)"'
}
timed receiver "$cli_bin" --url "$url" --user receiver --outbox "$logs/receiver-outbox.json" \
    --download-dir "$dir/downloads" "${cli[@]}" < "$logs/receiver.in" > "$logs/receiver.jsonl" &
receiver_pid=$!
pids+=($receiver_pid)
exec 7> "$logs/receiver.in"
wait_for "$logs/receiver.jsonl" '"event":"session"' 10
timed sender "$cli_bin" --url "$url" --user sender --outbox "$logs/sender-outbox.json" "${cli[@]}" \
    < "$logs/sender.in" > "$logs/sender.jsonl" &
sender_pid=$!
pids+=($sender_pid)
exec 8> "$logs/sender.in"
wait_for "$logs/sender.jsonl" '"event":"session"' 10

echo "sending $size_mib MiB: natter-cli -> natter-server -> natter-cli (localhost)..."
echo "/send $src" >&8
exec 8>&- # end of input: the sender exits once its upload is complete
deadline=$((SECONDS + 900))
until finished_download; do
    [ $SECONDS -lt $deadline ] || { echo "bench_files: the download did not finish" >&2; exit 1; }
    sleep 0.1
done
wait "$sender_pid" || true
exec 7>&- # the receiver exits at end of input
wait "$receiver_pid" || true
stop "$server_pid"
wait "$server_pid" 2>/dev/null || true
pids=()

python3 - "$logs" "$src" "$dir/downloads" <<'EOF'
import json, os, statistics, sys, filecmp
logs, src, downloads = sys.argv[1:4]
def events(name):
    with open(os.path.join(logs, name + '.jsonl')) as f:
        return [json.loads(l) for l in f if l.startswith('{')]
def maxrss(name):
    try:
        return int(open(os.path.join(logs, name + '.maxrss')).read().split()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        return float('nan')
sender, receiver = events('sender'), events('receiver')
up = [e for e in sender if e['event'] == 'transfer']
down = [e for e in receiver if e['event'] == 'transfer']
start = next(e['time'] for e in up if e['state'] == 'active')
up_done = next(e for e in up if e['state'] in ('completed', 'failed', 'cancelled'))
down_done = next(e for e in down if e['state'] in ('completed', 'failed', 'cancelled'))
size = down_done['size']
seconds = (down_done['time'] - start) / 1000
rtts = sorted(e['rttMs'] for e in sender
              if e['event'] == 'latency' and e['kind'] == 'app' and start <= e['time'] <= down_done['time'])
def pct(p):
    return rtts[min(len(rtts) - 1, int(round(p * (len(rtts) - 1))))] if rtts else float('nan')
exact = down_done['state'] == 'completed' and filecmp.cmp(src, down_done['path'], shallow=False)
print(f"upload:   {up_done['state']}, download: {down_done['state']}, byte-exact: {'yes' if exact else 'NO'}")
print(f"size:     {size / 1048576:.0f} MiB in {seconds:.2f} s (first chunk -> last byte on the receiver's disk)")
print(f"speed:    {size / 1048576 / seconds:.1f} MiB/s")
print(f"peak RSS: sender {maxrss('sender'):.1f} MiB, receiver {maxrss('receiver'):.1f} MiB, server {maxrss('server'):.1f} MiB")
print(f"app ping RTT during the transfer ({len(rtts)} samples): median {statistics.median(rtts) if rtts else float('nan'):.2f} ms, "
      f"p95 {pct(0.95):.2f} ms, max {rtts[-1] if rtts else float('nan'):.2f} ms")
if down_done['state'] == 'completed':
    os.remove(down_done['path'])
EOF

# The Node.js baseline: the same file through tests/benchmarks/node/chat-server.js with
# file-client.js (sender and receiver in one Node process).
node_dir=$root/tests/benchmarks/node
if [ "${NODE_BASELINE:-1}" != 0 ] && command -v node >/dev/null && [ -d "$node_dir/node_modules/ws" ]; then
    echo "Node.js baseline (ws): chat-server.js + file-client.js..."
    timed node-server node "$node_dir/chat-server.js" 0 > "$logs/node-server.out" 2>&1 &
    node_pid=$!
    pids+=($node_pid)
    wait_for "$logs/node-server.out" "listening on" 10
    node_url=$(grep -o 'ws://[^ ]*' "$logs/node-server.out" | head -1)
    (timed node-client node "$node_dir/file-client.js" "$node_url" "$src" "$dir/downloads/node-copy.bin") \
        | tee "$logs/node-client.out"
    stop "$node_pid"
    wait "$node_pid" 2>/dev/null || true
    pids=()
    if cmp -s "$src" "$dir/downloads/node-copy.bin"; then echo "node copy byte-exact: yes"; else echo "node copy byte-exact: NO"; fi
    echo "node peak RSS (GNU time): client (sender + receiver) $(awk '{printf "%.1f", $NF/1024}' "$logs/node-client.maxrss") MiB, server $(awk '{printf "%.1f", $NF/1024}' "$logs/node-server.maxrss") MiB"
    rm -f "$dir/downloads/node-copy.bin"
fi
