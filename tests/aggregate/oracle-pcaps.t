#!/bin/sh
# Per-country and per-domain packets, bytes and hosts of one window that
# covers each capture, against figures computed independently from tshark's
# fields, mmdblookup on the same database and the public suffix list
# (tests/aggregate/oracle.py).  The local networks are given explicitly so
# that the capturing-host guess stays out of it (tested in local.t).
set -eu
mmdb="$TSA_TOP/data/dbip-country.mmdb"
[ -s "$mmdb" ] || { echo "no $mmdb (scripts/setup)"; exit 77; }
local_nets=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,fc00::/7,fe80::/10,::1/128
status=0
for f in zeek-wikipedia.pcap ndpi-KakaoTalk_chat.pcap joy-firefox58.pcap \
    ppp-example.pcap suri-tls-subjectaltname.pcap arkime-v6.pcap ndpi-zoom.pcap \
    ppp-raw_ip.pcap; do
	echo "== $f"
	"$PY" tests/aggregate/oracle.py expect "$PCAPS/$f" "$mmdb" "$local_nets" \
	    >"$TSA_TMP/expected.json"
	# 20000 days: one window over the whole file (ndpi-zoom spans years)
	"$TSA_BIN/tsa-capture" -r "$PCAPS/$f" |
	    "$TSA_BIN/tsa-geo" -d "$mmdb" |
	    "$TSA_BIN/tsa-aggregate" -w 20000d -e 20000d --top-domains 100000 \
	    -l "$local_nets" >"$TSA_TMP/snaps.tsa"
	"$PY" tests/aggregate/oracle.py check "$TSA_TMP/expected.json" \
	    "$TSA_TMP/snaps.tsa" || status=1
done
exit $status
