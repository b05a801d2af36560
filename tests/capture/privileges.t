#!/bin/sh
# What tsa-capture may still do once its capture is open: as root it runs as
# [capture] User with no capability left, told to stay root it keeps uid 0
# but no capability, started with ambient CAP_NET_RAW/CAP_NET_ADMIN as an
# ordinary user it drops them; an unprivileged user is refused what it may
# not read or capture.  Needs root (to start processes as other users).
[ "$(id -u)" = 0 ] || { echo "not root: cannot start tsa-capture as another user or with capabilities"; exit 77; }
command -v setpriv >/dev/null || { echo "setpriv (util-linux) not installed"; exit 77; }
. tests/lib.sh
need_nobody_reach
exec "$PY" "$(dirname "$0")/privileges.py"
