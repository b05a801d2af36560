#!/bin/sh
# Live capture on loopback while curl talks to a local HTTP server and dig to
# a local DNS responder (needs root or capture capabilities).
for c in curl dig; do
	command -v $c >/dev/null || { echo "$c not installed"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "live capture needs root"; exit 77; }
exec "$PY" "$(dirname "$0")/live.py"
