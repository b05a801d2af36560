#!/bin/sh
# tcp_headers and http_headers (the raw fields tsa-p0f reads) are the exact
# bytes tshark delimits, and only on the records that should carry them.
command -v tshark >/dev/null || { echo "tshark not installed"; exit 77; }
[ -d "$PCAPS" ] || { echo "no $PCAPS"; exit 77; }
exec "$PY" "$(dirname "$0")/p0f_fields.py"
