#!/bin/sh
# tsa-capture -r on garbage, truncated and scrambled capture files.
exec "$PY" "$(dirname "$0")/hostile_captures.py"
