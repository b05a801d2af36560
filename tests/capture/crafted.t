#!/bin/sh
# Hand-built packets for what the real captures lack (tag types, tunnels,
# extension headers, fragments, DNS compression loops, link types), against
# tshark and against the values they were built with.
command -v tshark >/dev/null || { echo "tshark not installed"; exit 77; }
exec "$PY" "$(dirname "$0")/crafted.py"
