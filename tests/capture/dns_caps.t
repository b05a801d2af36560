#!/bin/sh
# Issue 16.5: DNS questions that are compression pointers to one long name
# (a 64 KiB datagram, a 250 KB frame) make bounded records, counted, and the
# pipeline after tsa-capture keeps going.
exec "$PY" "$(dirname "$0")/dns_caps.py"
