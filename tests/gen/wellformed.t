#!/bin/sh
# Every packet is well formed: tshark reports no malformed packet and no
# expert error, validates every IPv4, TCP, UDP, ICMP and ICMPv6 checksum as
# good, and an independent parser (pcap_check.py) agrees on lengths,
# checksums, time order and TCP sequence/acknowledgement numbers.
set -eu
gen="$TSA_BIN/tsa-gen"
cd "$TSA_TMP"
. "$TSA_TOP/tests/lib.sh"
need_cmd tshark

# 12% attacks so that every burst kind is in the file.
"$gen" -n 50000 -s 11 --attacks 12 -o f.pcap

bad=$(tshark -r f.pcap -Y '_ws.malformed || _ws.expert.severity >= error' \
	2>/dev/null | head -n 5)
[ -z "$bad" ] || fail "tshark finds malformed packets: $bad"

tshark -r f.pcap -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
	-o udp.check_checksum:TRUE \
	-T fields -e ip.checksum.status -e tcp.checksum.status \
	-e udp.checksum.status -e icmp.checksum.status \
	-e icmpv6.checksum.status 2>/dev/null > sums
# Status 0 is "Bad", 1 "Good", 2 "Unverified" (only the 8 bytes of UDP
# quoted in an ICMP error); every packet has a good checksum somewhere.
awk -F'[\t,]' '
	{ good = 0; for (i = 1; i <= NF; i++) { if ($i == 0 && $i != "") bad++; if ($i == 1) good++ } }
	good == 0 { none++ }
	END { print NR, bad + 0, none + 0; exit !(!bad && !none && NR == 50000) }
' sums > sums.out || fail "checksums (rows, bad, unchecked): $(cat sums.out)"

# tshark's own TCP analysis sees no retransmission, loss, reordering,
# duplicate ACK or window trouble: the connections are consistent.
odd=$(tshark -r f.pcap -Y 'tcp.analysis.retransmission ||
	tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment ||
	tcp.analysis.out_of_order || tcp.analysis.duplicate_ack ||
	tcp.analysis.zero_window || tcp.analysis.window_full ||
	tcp.analysis.fast_retransmission || tcp.analysis.keep_alive' \
	2>/dev/null | head -n 3)
[ -z "$odd" ] || fail "tshark's TCP analysis: $odd"

capinfos -o f.pcap | grep -q 'Strict time order: *True' || fail "time order"

"$PY" "$TSA_TOP/tests/gen/pcap_check.py" f.pcap > check.out ||
	fail "pcap_check: $(cat check.out)"
checked=$(sed -n 's/.*tcp_checked=//p' check.out)
[ "$checked" -gt 20000 ] || fail "only $checked TCP packets checked"
finish
