#!/usr/bin/python3
# Damaged databases: bytes flipped in the search tree, the data section and
# the metadata of a real-layout file.  tsa-geo must either refuse the file
# with one line, or annotate the stream (with whatever the damaged records
# say) and end normally; never crash or hang.  Under make asan this also
# checks every read the lookups do.
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

rng = random.Random(99)
nets = []
for i in range(300):
    nets.append((f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{i % 256}.0/24",
                 {"country": {"iso_code": rng.choice(["DE", "FR", "US", "JP"]),
                              "names": {"en": "x" * rng.randrange(40)}},
                  "continent": {"code": "EU"},
                  "city": {"names": {"en": "c" * rng.randrange(60)}},
                  "location": {"latitude": 1.5, "longitude": 2.5}}))
good = mkdb("good.mmdb", "GeoLite2-City", nets)
blob = open(good, "rb").read()
meta = blob.rfind(b"\xab\xcd\xefMaxMind.com")

addrs = [n.split("/")[0][:-1] + str(rng.randrange(1, 255)) for n, _ in nets]
addrs += [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(200)]
data = stream([packet(a, b) for a, b in zip(addrs, reversed(addrs))])

outcomes = {}
for trial in range(60):
    b = bytearray(blob)
    # Aim at each part in turn: tree, data section, metadata.
    region = [(0, meta // 2), (meta // 2, meta), (meta, len(b))][trial % 3]
    for _ in range(rng.choice([1, 4, 32])):
        b[rng.randrange(*region)] = rng.randrange(256)
    if trial % 10 == 9:
        b = b[:rng.randrange(len(b))]            # cut short
    path = os.path.join(TMP, f"bad{trial}.mmdb")
    open(path, "wb").write(b)
    try:
        p = subprocess.run([GEO, "-d", path], input=data, capture_output=True,
                           timeout=60)
    except subprocess.TimeoutExpired:
        check(False, f"trial {trial}: hangs")
        continue
    err = p.stderr.decode(errors="replace")
    check(p.returncode in (0, 1), f"trial {trial}: exit {p.returncode}: {err[-500:]}")
    if p.returncode == 1:
        check(len(err.splitlines()) == 1 and path in err,
              f"trial {trial}: refusal is not one line naming the file: {err!r}")
    else:
        check(len(tsatest.records(p.stdout)) == len(addrs), f"trial {trial}: records lost")
    outcomes[p.returncode] = outcomes.get(p.returncode, 0) + 1
print("outcomes (exit status: trials):", outcomes)
done()
