#!/bin/sh
# Garbage, truncated, random and odd streams for every tool that reads one:
# one-line errors where the input is unusable, odd records passed on, never a
# crash, a sanitizer report or a hang.
[ -s data/dbip-country.mmdb ] || { echo "no data/dbip-country.mmdb"; exit 77; }
exec "$PY" "$(dirname "$0")/hostile.py"
