#!/bin/sh
# The README's live pipeline as a person runs it: typed into an interactive
# shell on a terminal, slow traffic on lo, Ctrl-C; then a service
# manager's stop (SIGTERM to every process).  Live capture needs root.
[ "$(id -u)" = 0 ] || { echo "not root: live capture on lo needs root"; exit 77; }
[ -s data/dbip-country.mmdb ] || { echo "no data/dbip-country.mmdb"; exit 77; }
command -v gnuplot >/dev/null || { echo "no gnuplot"; exit 77; }
command -v bash >/dev/null || { echo "no bash"; exit 77; }
exec "$PY" "$(dirname "$0")/readme_live.py"
