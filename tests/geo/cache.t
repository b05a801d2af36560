#!/usr/bin/python3
# The cache gives the answers the database gives, whatever its size: many
# distinct records (a city per /24, a network per /24), addresses revisited
# in random order, with a cache of 4 entries (constant eviction and answer
# store flushes), the default, and a large one.
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

rng = random.Random(7)
N = 1500
nets, asn_nets, truth = [], [], {}
for i in range(N):
    # 81.x.y.0/24 and 2a01:4f8:x:y::/64, each with its own answers.
    x, y = divmod(i, 200)
    # Long names too: above 255 bytes (a 2-byte length in the answer store),
    # below the 285 bytes from which the Perl writer packs sizes wrongly.
    city = f"Town {i} " + "é" * (i % 7) + "x" * (i % 260)
    lat, lon = round(rng.uniform(-89, 89), 4), round(rng.uniform(-179, 179), 4)
    rec = {"country_code": "DE" if i % 2 else "NL", "city": city,
           "latitude": lat, "longitude": lon}
    for cidr in (f"81.{x}.{y}.0/24", f"2a01:4f8:{x:x}:{y:x}::/64"):
        nets.append((cidr, rec))
        asn_nets.append((cidr, {"autonomous_system_number": 64512 + i,
                                "autonomous_system_organization": f"Net {i}"}))
    truth[(x, y)] = {"country": rec["country_code"], "continent": "EU",
                     "city": city, "lat": lat,
                     "lon": lon, "asn": 64512 + i, "as_org": f"Net {i}"}
db = mkdb("many.mmdb", "city ipvAll", nets)
asn = mkdb("manyasn.mmdb", "asn ipvAll", asn_nets)

addrs = []
for _ in range(6000):
    i = rng.randrange(N)
    x, y = divmod(i, 200)
    if rng.random() < 0.5:
        addrs.append((f"81.{x}.{y}.{rng.randrange(1, 255)}", (x, y)))
    else:
        addrs.append((f"2a01:4f8:{x:x}:{y:x}::{rng.randrange(1, 9):x}", (x, y)))
recs = [packet(a[0], b[0]) for a, b in zip(addrs, addrs[1:] + addrs[:1])]
keys = [(a[1], b[1]) for a, b in zip(addrs, addrs[1:] + addrs[:1])]

for size in ("4", "65536", "1000000"):
    _, out, _, err = run(["-d", db, "-a", asn, "-c", size, "-v"], stream(recs))
    bad = 0
    for (ks, kd), r in zip(keys, out):
        want = {"src_" + k: v for k, v in truth[ks].items()}
        want.update({"dst_" + k: v for k, v in truth[kd].items()})
        if geo_part(r) != want:
            bad += 1
            if bad < 5:
                print("FAIL:", geo_part(r), want)
    check(bad == 0, f"cache size {size}: {bad} records wrong")
    check(len(out) == len(recs), f"cache size {size}: {len(out)} records")
    print(f"cache size {size}: {len(out)} records checked; {err.strip()}")
    if size == "4":
        check(" 0 flushes" not in err, "the small cache never flushed")
done()
