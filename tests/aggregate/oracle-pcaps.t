#!/bin/sh
# A capture as a user runs it, tsa-capture | tsa-geo | tsa-p0f |
# tsa-aggregate with the defaults: one final snapshot of the whole file.
# Its window runs from the first packet to the last; its per-country and
# per-domain packets, bytes and hosts, and the bytes of each bandwidth
# bucket, equal figures computed independently from tshark's fields,
# mmdblookup on the same database and the public suffix list
# (tests/aggregate/oracle.py).  The captures with the longest spans are
# here (ppp-raw_ip 10.8 years, ndpi-zoom 3.3 years, ndpi-badpackets 15
# minutes).  The local networks are given explicitly so that the
# capturing-host guess stays out of it (tested in local.t).
#
# Each stage runs on its own, so that every exit status is checked (a
# pipeline would report only the last); each file names the number of
# packets tshark decodes in it, the least the comparison must cover.
set -eu
. "$TSA_TOP/tests/lib.sh"
need_pcaps
need_mmdb
mmdb="$TSA_TOP/data/dbip-country.mmdb"
local_nets=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,fc00::/7,fe80::/10,::1/128
t=$TSA_TMP

while read -r f least; do
	echo "== $f"
	"$PY" tests/aggregate/oracle.py expect "$PCAPS/$f" "$mmdb" "$local_nets" \
	    >"$t/expected.json"
	if stage "$t/cap.tsa" "$TSA_BIN/tsa-capture" -r "$PCAPS/$f" &&
	    stage "$t/geo.tsa" "$TSA_BIN/tsa-geo" -d "$mmdb" "$t/cap.tsa" &&
	    stage "$t/p0f.tsa" "$TSA_BIN/tsa-p0f" "$t/geo.tsa" &&
	    stage "$t/snaps.tsa" "$TSA_BIN/tsa-aggregate" --top-domains 100000 \
	        -l "$local_nets" "$t/p0f.tsa"; then
		"$PY" tests/aggregate/oracle.py check "$t/expected.json" "$t/snaps.tsa" \
		    "$least" || fail "$f: snapshot against the oracle"
	fi
done <<EOF
zeek-wikipedia.pcap 126
ndpi-KakaoTalk_chat.pcap 347
joy-firefox58.pcap 789
ppp-example.pcap 4631
suri-tls-subjectaltname.pcap 3090
arkime-v6.pcap 161
ndpi-zoom.pcap 778
ppp-raw_ip.pcap 100
ndpi-badpackets.pcap 93
arkime-smb-windows10.pcap 125
ppp-650HttpResponses.pcap 682
ndpi-alexa-app.pcapng 3074
strato-test-cc-capture-2.pcap 1084
EOF
finish
