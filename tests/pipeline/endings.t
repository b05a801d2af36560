#!/bin/sh
# | head and a killed middle stage: every stage ends promptly, quietly where
# the cause is a closed pipe (endings.py; SIGINT to a live capture is
# endings-live.t).
. "$TSA_TOP/tests/lib.sh"
need_mmdb
exec "$PY" "$(dirname "$0")/endings.py"
