#!/bin/sh
# The snapshot's one layout (lib/snapshot.h): decoding a snapshot that
# tsa-aggregate wrote and encoding the struct again gives the same bytes,
# for every snapshot of real captures in every kind of window (whole,
# sliding, a count of packets, small tops, an overflowing host table) and
# for --merge's sums.  A key the struct missed, or one written in another
# order or size, shows here.
. "$TSA_TOP/tests/lib.sh"
need_pcaps
need_mmdb
B=$TSA_BIN
T=$TSA_TMP
total=0
for p in zeek-http-bro.org.pcap ndpi-netflix.pcap suri-syn-flood.pcap \
    strato-ssh-bruteforce.pcap ndpi-synscan.pcap; do
	need_file "$PCAPS/$p"
	stage "$T/$p.pkt" "$B/tsa-capture" -q -r "$PCAPS/$p" || continue
	stage "$T/$p.geo" "$B/tsa-geo" "$T/$p.pkt" || continue
	stage "$T/$p.ann" "$B/tsa-p0f" "$T/$p.geo" || continue
	i=0
	for args in "" "-w 10s -e 2s" "-w 300 -e 1s" \
	    "--top-hosts 2 --top-domains 1 --detail-countries 1 --detail-top 1 -b 3" \
	    "-w 10s -e 2s --host-table 16"; do
		i=$((i + 1))
		# (word splitting of args is wanted)
		stage "$T/$p.$i" "$B/tsa-aggregate" $args "$T/$p.ann" || continue
		stage "$T/$p.$i.rt" "$B/tests/tsa-snapshot-roundtrip" "$T/$p.$i" ||
		    continue
		read -r n same < "$T/$p.$i.rt"
		check "$p ${args:-whole}: $same of $n snapshots re-encode identically" \
		    [ "$n" -gt 0 -a "$n" = "$same" ]
		total=$((total + n))
	done
done
stage "$T/merged" "$B/tsa-aggregate" --merge "$T"/*.pcap.2 &&
    stage "$T/merged.rt" "$B/tests/tsa-snapshot-roundtrip" "$T/merged" &&
    read -r n same < "$T/merged.rt" &&
    check "--merge: $same of $n snapshots re-encode identically" \
	[ "$n" -gt 0 -a "$n" = "$same" ]
check "at least 100 snapshots compared ($total)" [ "$total" -ge 100 ]
finish
