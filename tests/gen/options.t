#!/bin/sh
# Options: --start places the first packet, --rate sets the span, --nano
# writes a nanosecond pcap, settings give defaults, bad values are usage
# errors in the "tsa-gen: ..." form, a terminal is refused.
set -eu
gen="$TSA_BIN/tsa-gen"
cd "$TSA_TMP"
. "$TSA_TOP/tests/lib.sh"
need_cmd tshark capinfos

"$gen" --help | grep -q -- '--attacks PCT' || fail "--help lacks --attacks"

# The default start is fixed (2024-03-01 12:00:00 UTC); --start moves it.
"$gen" -n 100 -o d.pcap
first=$(tshark -r d.pcap -c 1 -T fields -e frame.time_epoch 2>/dev/null)
case $first in 1709294400.*) ;; *) fail "default start $first" ;; esac
"$gen" -n 100 --start 1600000000 -o s.pcap
first=$(tshark -r s.pcap -c 1 -T fields -e frame.time_epoch 2>/dev/null)
case $first in 1600000000.*) ;; *) fail "--start 1600000000 gave $first" ;; esac

# 20000 packets at 500/s span about 40 s (Poisson arrivals: within 15%).
"$gen" -n 20000 --rate 500 --attacks 0 -o r.pcap
span=$(capinfos -M -u -T r.pcap | awk -F'\t' 'NR == 2 { print $2 }')
awk -v s="$span" 'BEGIN { exit !(s > 34 && s < 46) }' ||
	fail "20000 packets at 500/s span $span s"

# Nanosecond files: magic a1b23c4d, same packets, same instants to the us.
"$gen" -n 500 --nano -o nano.pcap
"$gen" -n 500 -o micro.pcap
magic=$(od -An -tx4 -N4 nano.pcap | tr -d ' ')
[ "$magic" = a1b23c4d ] || fail "nano magic $magic"
tshark -r nano.pcap -T fields -e frame.time_epoch 2>/dev/null |
	cut -c1-17 > t.nano
tshark -r micro.pcap -T fields -e frame.time_epoch 2>/dev/null |
	cut -c1-17 > t.micro
cmp t.nano t.micro || fail "nanosecond and microsecond times differ"
frac=$(tshark -r nano.pcap -T fields -e frame.time_epoch 2>/dev/null |
	awk -F. '$2 !~ /000$/ { n++ } END { print n + 0 }')
[ "$frac" -gt 0 ] || fail "no sub-microsecond digits in --nano output"

# Settings give the defaults; flags override them.
printf '[gen]\nPackets = 321\nSeed = 5\n' > s.ini
"$gen" --settings s.ini -o set.pcap
"$gen" -n 321 -s 5 -o flag.pcap
cmp set.pcap flag.pcap || fail "settings [gen] Packets/Seed not used"
"$gen" --settings s.ini -n 50 -o over.pcap
[ "$(capinfos -M -c -T over.pcap | awk -F'\t' 'NR == 2 { print $2 }')" = 50 ] ||
	fail "--packets does not override the settings"

# Usage errors: exit 2, one line starting "tsa-gen: ".
for args in "-n 10" "-n abc -o x" "-n 0 -o x" "--rate -5 -o x" \
    "--attacks 80 -o x" "--bogus -o x" "-o x extra"; do
	# shellcheck disable=SC2086
	if "$gen" $args 2> err; then fail "tsa-gen $args succeeded"; else rc=$?; fi
	[ $rc -eq 2 ] || fail "tsa-gen $args: exit $rc, not 2"
	head -n 1 err | grep -q '^tsa-gen: ' || fail "tsa-gen $args: '$(head -n 1 err)'"
done
if "$gen" -n 10 -o /nonexistent/dir/x.pcap 2> err; then fail "bad path accepted"; fi
grep -q '^tsa-gen: /nonexistent/dir/x.pcap: ' err || fail "bad path: $(cat err)"

# A terminal gets no binary.
if command -v script > /dev/null; then
	script -qec "$gen -n 10 -o -" /dev/null > tty.out 2>&1 || true
	grep -q 'refusing to write' tty.out || fail "wrote to a terminal"
fi
finish
