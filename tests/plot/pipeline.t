#!/bin/sh
# The real pipeline: tsa-capture | tsa-geo | tsa-p0f | tsa-aggregate |
# tsa-plot on a real capture.  The map's values (array V of world.gp) must
# be the last snapshot's packets per country, read independently from the
# stream with msgpack; the countries chart must list its top countries.
set -eu
pcap="$PCAPS/suri-tls-subjectaltname.pcap"
[ -r "$pcap" ] || { echo "no $pcap"; exit 77; }
for t in tsa-capture tsa-geo tsa-p0f tsa-aggregate; do
	[ -x "$TSA_BIN/$t" ] || { echo "no $t"; exit 77; }
done
[ -s data/dbip-country.mmdb ] || { echo "no data/dbip-country.mmdb"; exit 77; }

"$TSA_BIN/tsa-capture" -r "$pcap" | "$TSA_BIN/tsa-geo" | "$TSA_BIN/tsa-p0f" |
    "$TSA_BIN/tsa-aggregate" >"$TSA_TMP/snaps.tsa"
"$TSA_BIN/tsa-plot" --last --size 800x450 -o "$TSA_TMP/out" "$TSA_TMP/snaps.tsa"

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
