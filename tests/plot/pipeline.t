#!/bin/sh
# The real pipeline: tsa-capture | tsa-geo | tsa-p0f | tsa-aggregate |
# tsa-plot on a real capture.  The map's values (array V of world.gp) must
# be the last snapshot's packets per country, read independently from the
# stream with msgpack; the countries chart must list its top countries.
set -u
. tests/lib.sh
need_pcaps
pcap="$PCAPS/suri-tls-subjectaltname.pcap"
need_file "$pcap"
need_mmdb

# Each stage on its own, so that every exit status (a tool error, a
# sanitizer's report) is a failure: a shell pipeline keeps only the last.
t=$TSA_TMP
stage "$t/cap.tsa" "$TSA_BIN/tsa-capture" -r "$pcap" &&
    stage "$t/geo.tsa" "$TSA_BIN/tsa-geo" "$t/cap.tsa" &&
    stage "$t/p0f.tsa" "$TSA_BIN/tsa-p0f" "$t/geo.tsa" &&
    stage "$t/snaps.tsa" "$TSA_BIN/tsa-aggregate" "$t/p0f.tsa" &&
    stage "$t/plot.out" "$TSA_BIN/tsa-plot" --last --size 800x450 -o "$t/out" "$t/snaps.tsa" ||
    finish

$PY - "$TSA_TMP/snaps.tsa" "$TSA_TMP/out" <<'PYEOF'
import msgpack, os, re, sys
snaps, out = sys.argv[1], sys.argv[2]
u = msgpack.Unpacker(open(snaps, "rb"), raw=False)
next(u)
last = [r for r in u if r.get("type") == "snapshot"][-1]
want = {c["country"]: c["packets"] for c in last["countries"]
        if len(c["country"]) == 2}
gp = open(os.path.join(out, "world.gp"), encoding="utf-8").read()
got = {m.group(2): int(m.group(1)) for m in
       re.finditer(r"^V\[\d+\] = (\d+)\t# (\S+) ", gp, re.M)}
assert len(got) > 200, "V lists %d countries" % len(got)
fails = 0
for code, n in sorted(want.items()):
    if code not in got:
        print("note  %s has no outline (%d packets)" % (code, n))
        continue
    ok = got[code] == n
    fails += not ok
    print("%s  %s: V = %d, snapshot %d" % ("ok  " if ok else "FAIL", code,
                                         got[code], n))
extra = {c: v for c, v in got.items() if v and c not in want}
print(("ok    " if not extra else "FAIL  ") + "no other country has a value: %s"
      % extra)
fails += bool(extra)
assert want, "the capture has geolocated traffic"
cgp = open(os.path.join(out, "countries.gp"), encoding="utf-8").read()
block = re.search(r"^\$packets << EOD\n(.*?)^EOD", cgp, re.M | re.S).group(1)
vals = [int(l.split()[1]) for l in block.splitlines()]
top = sorted((c["packets"] for c in last["countries"]), reverse=True)[:15]
ok = vals == top
fails += not ok
print(("ok    " if ok else "FAIL  ") + "countries chart: %s" % vals)
sys.exit(1 if fails else 0)
PYEOF
