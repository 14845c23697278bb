#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test inside a private D-Bus session with its own GNOME Keyring, unlocked with a throw-away
# password, so TokenStore's keyring backend is tested for real and nothing on the machine is used.
# Exits 77 (skipped) where dbus-run-session or gnome-keyring-daemon is missing.
#   keyring-session.sh TEST [ARGS...]
set -eu
command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
    echo "keyring-session: dbus-run-session or gnome-keyring-daemon missing (dbus, gnome-keyring); skipped"
    exit 77
}
if [ -z "${NATTER_TEST_KEYRING_SESSION:-}" ]; then
    NATTER_TEST_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
# Inside the session: the keyring keeps its files in a home of its own, removed afterwards.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
printf 'natter-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
