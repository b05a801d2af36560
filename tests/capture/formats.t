#!/bin/sh
# The header, the final stats record, stdin, -c, filter expressions (tcpdump
# as oracle), nanosecond times, and the settings that choose the input.
command -v tshark >/dev/null && command -v tcpdump >/dev/null ||
	{ echo "tshark or tcpdump not installed"; exit 77; }
exec "$PY" "$(dirname "$0")/formats.py"
