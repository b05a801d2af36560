#!/bin/sh
# tsa-capture agrees with tshark 4.0, packet by packet, on every capture of
# $PCAPS that libpcap opens: addresses, ports, protocol, TTL, fragments, TCP
# flags, ICMP type and code, lengths, truncation, DNS names, answers and
# rcode, HTTP method, URI, host and status, TLS SNI.  Every difference left is
# one of the known, explained kinds listed in tshark_agree.py.
command -v tshark >/dev/null || { echo "tshark not installed"; exit 77; }
[ -d "$PCAPS" ] || { echo "no $PCAPS"; exit 77; }
exec "$PY" "$(dirname "$0")/tshark_agree.py"
