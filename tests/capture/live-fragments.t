#!/bin/sh
# Fragments sent on lo by a raw-socket sender, captured live: a SYN scan in
# tiny first fragments, a DNS query whose fragments arrive last first, IPv6
# fragments; each datagram's fields are on the record that completes it.
[ "$(id -u)" = 0 ] || { echo "not root: raw sockets and a live capture need root"; exit 77; }
exec "$PY" "$(dirname "$0")/live_fragments.py"
