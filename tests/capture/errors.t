#!/bin/sh
# Bad input: every case gives one line on stderr that names the file or the
# interface, and the documented exit status.
set -u
. "$TSA_TOP/tests/lib.sh"
need_pcaps
cap="$TSA_BIN/tsa-capture"
t="$TSA_TMP"

# expect STATUS PATTERN -- ARGS...: run tsa-capture, check status, that
# stderr is one line, and that it
# matches PATTERN (grep -E).  A usage error too is one line.
expect() {
	want=$1 pat=$2
	shift 3
	"$cap" "$@" >"$t/out" 2>"$t/err"
	rc=$?
	lines=$(wc -l <"$t/err")
	if [ "$rc" -ne "$want" ] || [ "$lines" -ne 1 ] || ! grep -Eq "$pat" "$t/err"; then
		fail "tsa-capture $*: status $rc (want $want), stderr: $(cat "$t/err")"
	else
		pass "tsa-capture $*: $(cat "$t/err")"
	fi
}

expect 1 "^tsa-capture: $t/missing.pcap: No such file or directory$" -- -r "$t/missing.pcap"

printf 'this is not a capture file\n' >"$t/text.pcap"
expect 1 "^tsa-capture: $t/text.pcap: not a capture file" -- -r "$t/text.pcap"

: >"$t/empty.pcap"
expect 1 "^tsa-capture: $t/empty.pcap: empty file" -- -r "$t/empty.pcap"

expect 1 "^tsa-capture: $t: is a directory$" -- -r "$t"

expect 1 "^tsa-capture: .*ppp-many_interfaces-1.pcapng: an interface has a type 0 different" \
    -- -r "$PCAPS/ppp-many_interfaces-1.pcapng"

# A pcap of link type 189 (USB packets), which carries no IP.
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\275\000\000\000' >"$t/usb.pcap"
expect 1 "^tsa-capture: $t/usb.pcap: unsupported link type USB_LINUX \\(189\\)$" -- -r "$t/usb.pcap"

expect 1 "^tsa-capture: nosuch0: no such interface$" -- -i nosuch0
expect 1 "^tsa-capture: filter 'tcp port http-ish': " -- -r "$PCAPS/zeek-wikipedia.pcap" tcp port http-ish
expect 2 "^tsa-capture: -r and -i exclude each other \(try 'tsa-capture --help'\)$" -- -r x -i lo
expect 2 "^tsa-capture: -c: \"many\" is not a whole number \(try 'tsa-capture --help'\)$" -- -r x -c many

# The permission errors of an unprivileged user are in privileges.t (root
# only, so that this test has no part that could be skipped).

# A file cut in the middle of a packet: every complete packet is written,
# with the final stats record, then the error (status 1), as tcpdump does.
head -c 10000 "$PCAPS/zeek-wikipedia.pcap" >"$t/cut.pcap"
expect 1 "^tsa-capture: $t/cut.pcap: truncated dump file" -- -r "$t/cut.pcap"
"$PY" - "$t/out" "$t/cut.pcap" <<'PYEOF' || fail "the records of the cut file"
import os, struct, sys, msgpack
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests"))
import tsatest
hdr, recs, end = tsatest.read(open(sys.argv[1], "rb").read())
recs = [hdr] + recs
# The stream says it is incomplete, and why, for the stages after it.
assert end["complete"] is False and "truncated dump file" in end["reason"], end
data = open(sys.argv[2], "rb").read()
# Count the complete records of the cut file independently.
off, frames = 24, 0
while off + 16 <= len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    if off + 16 + incl > len(data):
        break
    frames += 1
    off += 16 + incl
stats = recs[-1]
assert recs[0]["tsa"] == 1 and stats["type"] == "stats" and stats["final"], stats
pkts = [r for r in recs[1:] if "type" not in r]
print("cut file: %d complete frames, %d records, stats %r" % (frames, len(pkts), stats))
assert len(pkts) == stats["decoded"]
assert stats["decoded"] + stats["non_ip"] == frames, (frames, stats)
assert 0 < len(pkts) < 126
PYEOF
finish
