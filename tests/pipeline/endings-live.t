#!/bin/sh
# Ctrl-C to a live pipeline on lo (SIGINT to its process group, tsa-capture
# dropping root as usual): every stage ends promptly with status 0, the end
# record says "interrupted", and no datagram sent is lost (endings.py).
. "$TSA_TOP/tests/lib.sh"
need_root "a live capture on lo"
need_mmdb
exec "$PY" "$(dirname "$0")/endings.py" live
