#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes docs/screenshot.png: a real natter window under Xvfb, chatting through a real natter-server
# with other people driven by natter-cli over stdin, and the user typing with xdotool.
#   tools/screenshot.sh [--theme light|dark] [output.png]
#     light (the default) writes docs/screenshot.png, dark docs/screenshot-dark.png
# Uses the build in $NATTER_BUILD_DIR (default build/), building the three executables if needed.
# Never touches your own settings: natter runs with a throw-away HOME.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NATTER_BUILD_DIR:-$root/build}
theme=light
if [ "${1:-}" = "--theme" ]; then
  theme=${2:?--theme light or dark}
  shift 2
fi
case "$theme" in
  light) theme_id=1 default_out=$root/docs/screenshot.png ;;
  dark) theme_id=2 default_out=$root/docs/screenshot-dark.png ;;
  *) echo "unknown theme: $theme (light or dark)" >&2; exit 2 ;;
esac
out=${1:-$default_out}
width=1280
height=760

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

need=()
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
[ -x /usr/bin/import ] || need+=(imagemagick)
command -v xdotool >/dev/null || need+=(xdotool)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if [ ! -x "$build/bin/natter" ] || [ ! -x "$build/bin/natter-cli" ] || [ ! -x "$build/bin/natter-server" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$build" --target natter natter-cli natter-server
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Everything below runs inside the virtual X display.
cat > "$work/scene.sh" <<'SCENE'
set -euo pipefail
build=$1 work=$2 shot=$3 width=$4 height=$5 theme_id=$6
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share
export XDG_RUNTIME_DIR=$work/runtime QT_QPA_PLATFORM=xcb LANG=C.UTF-8
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/Natter" && chmod 700 "$XDG_RUNTIME_DIR"
# The theme, as View → Theme stores it (Theme::Choice: 1 light, 2 dark).
printf '[view]\ntheme=%s\n' "$theme_id" > "$XDG_CONFIG_HOME/Natter/natter.conf"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

"$build/bin/natter-server" --host 127.0.0.1 --port 0 > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q 'ws://' "$work/server.log" && break; sleep 0.1; done
url=$(grep -o 'ws://[^ ]*' "$work/server.log" | head -1)

# Some people are already chatting when alice opens Natter: she gets the history.
# Each other participant is a natter-cli reading lines from a FIFO that stays open for writing.
cli() { # cli NAME ROOM FD
  mkfifo "$work/$1.in"
  "$build/bin/natter-cli" --url "$url" --user "$1" --room "$2" --outbox "$work/$1.outbox" \
    < "$work/$1.in" > "$work/$1.log" 2>&1 &
  pids+=($!)
  eval "exec $3>\"\$work/\$1.in\""
}
say() { # say FD TEXT
  printf '%s\n' "$2" >&"$1"
}
cli bob general 3
cli carol general 4
cli dave random 5
sleep 1
say 3 "morning all! the 0.1 build is up"
sleep 0.3
say 4 "nice, downloading now"
sleep 0.3
say 3 "release notes: https://natter.invalid/releases/0.1.0"
sleep 0.5

"$build/bin/natter" --url "$url" --user alice --room general -geometry "${width}x${height}+0+0" \
  > "$work/natter.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do xdotool search --name 'Natter' >/dev/null 2>&1 && break; sleep 0.1; done
sleep 2
win=$(xdotool search --name 'Natter' | head -1)
# There is no window manager, so focus the window directly.
xdotool windowfocus "$win" 2>/dev/null || true
sleep 0.3

type_line() { xdotool type --delay 15 "$1"; xdotool key Return; sleep 0.4; }
type_line "hi everyone, just installed it, the latency graph down there is neat"
say 4 "it reconnects on its own too: I restarted the server twice this morning"
sleep 0.4
say 3 "and messages sent while offline wait in the outbox until it is back"
sleep 0.4
xdotool type --delay 15 "so if the Wi-Fi drops nothing gets lost?"
xdotool key shift+Return
xdotool type --delay 15 "(asking for a friend)"
xdotool key Return
sleep 0.5
say 3 "exactly. each of your messages shows ✓ sent and ✓✓ delivered"
sleep 0.3
# Bob shares a file: alice sees it as a card with its size and Save… / Open.
mkdir -p "$work/files"
head -c 2516582 /dev/urandom > "$work/files/natter-0.1-release-notes.pdf"
say 3 "/send $work/files/natter-0.1-release-notes.pdf"
sleep 0.8
cli erin general 6
sleep 0.8
say 6 "hello! what did I miss?"
sleep 0.3
say 4 "/typing"
sleep 0.2
say 3 "/typing"
# Let a few latency samples arrive (one every 5 s) so the graph has a line, then open the
# connection details by clicking the latency graph in the status bar.
sleep 9
xdotool mousemove $((width - 40)) $((height - 12)) click 1
sleep 0.5
xdotool mousemove $((width / 2)) $((height / 3))
say 4 "/typing"
say 3 "/typing"
sleep 0.6
import -window root -crop "${width}x${height}+0+0" +repage "$shot"
SCENE

xvfb-run -a -s "-screen 0 ${width}x${height}x24 -dpi 96" bash "$work/scene.sh" "$build" "$work" "$work/shot.png" "$width" "$height" \
  "$theme_id"
mkdir -p "$(dirname "$out")"
cp "$work/shot.png" "$out"
echo "wrote $out"
