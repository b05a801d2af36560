#!/bin/bash
# The stream at its edges: bad headers, truncation, closed pipes.
set -u
. "$TSA_TOP/tests/lib.sh"
need_pcaps
expect() {	# expect NAME EXPECTED-STATUS STDERR-PATTERN -- command...
	local name=$1 want=$2 pat=$3; shift 4
	"$@" >"$TSA_TMP/out" 2>"$TSA_TMP/err" </dev/null
	local st=$?
	if [ "$st" != "$want" ] || ! grep -qE "$pat" "$TSA_TMP/err" ||
	   [ "$(wc -l <"$TSA_TMP/err")" -gt 1 ]; then
		fail "$name: status $st (want $want), stderr: $(cat "$TSA_TMP/err")"
	else
		pass "$name"
	fi
}
pt="$TSA_BIN/tests/tsa-passthrough"
py() { "$PY" -c "import msgpack,sys; o=sys.stdout.buffer; $1"; }

: >"$TSA_TMP/empty"
expect empty 1 'empty: empty input: no TSA stream header$' -- "$pt" "$TSA_TMP/empty"
expect missing 1 'nonexistent: No such file or directory$' -- "$pt" "$TSA_TMP/nonexistent"
expect pcap 1 'a capture file, not a TSA stream: read it with tsa-capture -r$' -- "$pt" "$PCAPS/zeek-wikipedia.pcap"
head -c 3000 /dev/urandom | tr '\200-\237' 'x' >"$TSA_TMP/garbage"
printf 'hello world\n' >"$TSA_TMP/text"
expect text 1 'text: not a TSA stream' -- "$pt" "$TSA_TMP/text"
py 'o.write(msgpack.packb({"kind":"packets"}))' >"$TSA_TMP/nohdr"
expect no-tsa-key 1 'no "tsa" key' -- "$pt" "$TSA_TMP/nohdr"
py 'o.write(msgpack.packb({"tsa":2}))' >"$TSA_TMP/v2"
expect version 1 'version 2, this tool reads version 1' -- "$pt" "$TSA_TMP/v2"
py 'o.write(msgpack.packb({"tsa":1,"tools":[]})); o.write(msgpack.packb({"a":1})); o.write(msgpack.packb([1,2]))' >"$TSA_TMP/notmap"
expect not-a-map 1 'record 2 \(byte [0-9]+\) is not a map' -- "$pt" "$TSA_TMP/notmap"
py 'o.write(msgpack.packb({"tsa":1,"tools":[]})); o.write(msgpack.packb({"a":1})); o.write(b"\x81\xa1a\xc1\x01\x01")' >"$TSA_TMP/invalid"
expect invalid 1 'record 2 \(byte [0-9]+\): invalid msgpack' -- "$pt" "$TSA_TMP/invalid"
py 'o.write(msgpack.packb({"tsa":1,"tools":[]})); o.write(msgpack.packb({"a":1})); o.write(msgpack.packb({"b":"x"*100})[:50])' >"$TSA_TMP/trunc"
expect truncated 1 'record 2 \(byte [0-9]+\): truncated stream' -- "$pt" "$TSA_TMP/trunc"
# what came before the damage is still written
n=$("$pt" "$TSA_TMP/trunc" 2>/dev/null | "$TSA_BIN/tsa-print" | wc -l)
check "records before the truncation: $n (want 1)" [ "$n" = 1 ]
# a map header claiming 2^32-1 pairs, followed by little: refused, no hang
py 'o.write(msgpack.packb({"tsa":1})); o.write(b"\xdf\xff\xff\xff\xff" + b"\xa1a\x01" * 1000)' >"$TSA_TMP/huge"
expect huge-map 1 'truncated stream' -- timeout 10 "$pt" "$TSA_TMP/huge"
# binary to a terminal is refused (script gives us one)
if command -v script >/dev/null; then
	py 'o.write(msgpack.packb({"tsa":1}))' >"$TSA_TMP/ok"
	script -qec "$pt $TSA_TMP/ok" /dev/null >"$TSA_TMP/tty" 2>&1
	check "a terminal refused: $(cat "$TSA_TMP/tty")" \
	    grep -q 'is a terminal; refusing to write binary' "$TSA_TMP/tty"
fi

# A closed downstream pipe ends a stage quietly with status 0.
py '
o.write(msgpack.packb({"tsa":1,"tools":[]}))
r = msgpack.packb({"src_port": 443, "protocol": "tcp", "pad": "x"*100})
o.write(r * 200000)' >"$TSA_TMP/big"
"$pt" "$TSA_TMP/big" 2>"$TSA_TMP/err1" | head -c 100 >/dev/null
st=${PIPESTATUS[0]}
check "a closed pipe ends a stage: status $st, stderr '$(cat "$TSA_TMP/err1")'" \
    [ "$st" = 0 -a ! -s "$TSA_TMP/err1" ]
"$TSA_BIN/tsa-print" "$TSA_TMP/big" 2>"$TSA_TMP/err2" | head -n 1 >/dev/null
st=${PIPESTATUS[0]}
check "a closed pipe ends tsa-print: status $st, stderr '$(cat "$TSA_TMP/err2")'" \
    [ "$st" = 0 -a ! -s "$TSA_TMP/err2" ]
# and every record arrives when nobody closes early
n=$("$pt" "$TSA_TMP/big" | "$pt" | "$TSA_BIN/tsa-print" | wc -l)
check "every record through two stages: $n (want 200000)" [ "$n" = 200000 ]
finish
