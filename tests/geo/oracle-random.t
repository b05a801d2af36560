#!/usr/bin/python3
# tsa-geo's country for random addresses, against mmdblookup on the same
# default database (data/dbip-country.mmdb through settings.ini).  Special
# addresses must come back with a scope instead, and be ones Python's
# ipaddress also calls not global.
import ipaddress
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

db = default_db()
rng = random.Random(20261126)
addrs = set()
while len(addrs) < 150:
    addrs.add(str(ipaddress.IPv4Address(rng.getrandbits(32))))
while len(addrs) < 250:
    # Global unicast, and the ranges the big providers use.
    pfx = rng.choice([0x2000, 0x2001, 0x2400, 0x2600, 0x2a00, 0x2a01, 0x2c0f])
    addrs.add(str(ipaddress.IPv6Address((pfx << 112) | rng.getrandbits(112))))
for a in ["8.8.8.8", "1.1.1.1", "9.9.9.9", "2001:4860:4860::8888",
          "2606:4700:4700::1111", "81.169.145.105", "202.12.27.33"]:
    addrs.add(a)
addrs = sorted(addrs)
# Each address as source and destination, and as IPv4-mapped IPv6.
recs = [packet(a, addrs[(i + 1) % len(addrs)]) for i, a in enumerate(addrs)]
recs += [packet("::ffff:" + a, "::ffff:" + a) for a in addrs if ":" not in a][:30]
_, out, _, _ = run([], stream(recs))   # the default database from settings.ini

def plain(a):
    ip = ipaddress.ip_address(a)
    return getattr(ip, "ipv4_mapped", None) or ip


distinct = {plain(r[k]) for r in recs for k in ("src_addr", "dst_addr")}


def compare(db, out, name):
    with ThreadPoolExecutor(4) as pool:
        oracle = dict(zip(distinct, pool.map(
            lambda ip: mmdblookup_country(db, str(ip)), distinct)))
    agree = compared = scoped = 0
    for rin, rout in zip(recs, out):
        for side in ("src", "dst"):
            ip = plain(rin[side + "_addr"])     # mapped: as IPv4, like tsa-geo
            if side + "_scope" in rout:
                scoped += 1
                check(not ip.is_global or ip.is_multicast,
                      f"{ip}: scope {rout[side + '_scope']} but global")
                check(side + "_country" not in rout, f"{ip}: scope and country")
                continue
            want = oracle[ip]
            got = rout.get(side + "_country")
            compared += 1
            agree += got == want
            check(got == want, f"{name}: {ip}: tsa-geo {got}, mmdblookup {want}")
    print(f"{name}: {compared} addresses compared with mmdblookup, {agree} "
          f"agree ({sum(1 for v in oracle.values() if v)} distinct with a "
          f"country); {scoped} special addresses not looked up")
    check(compared > 450, "too few compared")


compare(db, out, os.path.basename(db))
# The same release as an IPv4-only file: IPv6 addresses have no answer there
# (and are no error).
v4 = os.path.join(TOP, "data", "npm", "node_modules", "@ip-location-db",
                  "dbip-country-mmdb", "dbip-country-ipv4.mmdb")
if os.path.exists(v4):
    _, out4, _, err = run(["-d", v4], stream(recs))
    check(err == "", f"IPv4-only database: {err!r}")
    compare(v4, out4, os.path.basename(v4))
done()
