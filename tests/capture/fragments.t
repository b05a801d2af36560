#!/bin/sh
# IP fragment reassembly (issue 16.12): a SYN scan in tiny first fragments
# gives flags and ports and tsa-aggregate's scan alert; order, overlaps,
# limits, timeouts and truncation; against tshark with reassembly on.
command -v tshark >/dev/null || { echo "tshark not installed"; exit 77; }
exec "$PY" "$(dirname "$0")/fragments.py"
