#!/bin/sh
# The same seed gives a byte-identical file, another seed a different one,
# and the file holds exactly the packets asked for (counted by capinfos
# and by tshark).
set -eu
gen="$TSA_BIN/tsa-gen"
cd "$TSA_TMP"

"$gen" --packets 20000 --seed 7 -o a.pcap
"$gen" --packets 20000 --seed 7 -o b.pcap
cmp a.pcap b.pcap
"$gen" --packets 20000 --seed 8 -o c.pcap
if cmp -s a.pcap c.pcap; then
	echo "seeds 7 and 8 gave the same capture" >&2
	exit 1
fi

# Standard output gives the same bytes as a file.
"$gen" --packets 20000 --seed 7 -o - | cat > d.pcap
cmp a.pcap d.pcap

for n in 1 2 999 20000; do
	"$gen" -n $n -s 3 -o n.pcap
	got=$(capinfos -M -c -T n.pcap | awk -F'\t' 'NR == 2 { print $2 }')
	[ "$got" = "$n" ] || { echo "asked $n packets, capinfos counts $got" >&2; exit 1; }
done
got=$(tshark -r a.pcap 2>/dev/null | wc -l)
[ "$got" = 20000 ] || { echo "tshark counts $got packets, not 20000" >&2; exit 1; }
echo ok
