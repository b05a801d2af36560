#!/bin/sh
# | head, a killed middle stage and SIGINT to a live capture: every stage
# ends promptly, quietly where the cause is a closed pipe.
[ -s data/dbip-country.mmdb ] || { echo "no data/dbip-country.mmdb"; exit 77; }
exec "$PY" "$(dirname "$0")/endings.py"
