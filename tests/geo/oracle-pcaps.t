#!/usr/bin/python3
# Every address in the records tsa-capture makes of the real captures in
# $PCAPS: what tsa-geo says equals what mmdblookup finds in the same
# database, for the default one (DB-IP, ip-location-db layout) and for
# MaxMind's GeoLite2 Country and City (GeoIP2 layout) that scripts/setup
# fetches (without them the test skips: a missing oracle is no pass).
# Special addresses carry a scope instead.  Every stage's exit is checked:
# a capture tsa-capture refuses is named below with the reason.
import glob
import ipaddress
import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

default = default_db()
CONTINENTS = {"AF", "AN", "AS", "EU", "NA", "OC", "SA"}
capture = os.path.join(BIN, "tsa-capture")
tsatest.need_pcaps()
pcaps = sorted(glob.glob(os.path.join(tsatest.PCAPS, "*.pcap*")))
# GeoLite2 first: the continents of its countries check the ones tsa-geo
# adds to the default database's answers (which have none of their own).
dbs = [os.path.join(TOP, "data", n) for n in
       ("GeoLite2-Country.mmdb", "GeoLite2-City.mmdb")] + [default]
for db in dbs:
    tsatest.need(db, "an oracle database: scripts/setup fetches it")

# Captures tsa-capture stops reading, with its exit status and why (the
# same file as in tests/capture/tshark_agree.py's TOOL_ERRORS); tsa-geo
# then passes the incomplete stream on and exits 1 as well.
REFUSED = {
    "ppp-many_interfaces-1.pcapng": (1, "interfaces of different link types, "
                                     "which libpcap's pcapng reader refuses"),
}
streams = []
for f in pcaps:
    name = os.path.basename(f)
    cap = subprocess.run([capture, "-r", f], capture_output=True)
    want = REFUSED.get(name, (0,))[0]
    check(cap.returncode == want, f"{name}: tsa-capture exit {cap.returncode} "
          f"(want {want}): {cap.stderr.decode(errors='replace')[-300:]}")
    streams.append((f, cap.stdout, want))

continent_of = {}
for db in dbs:
    records = []
    per_file = dict.fromkeys(f for f, _, _ in streams if
                             os.path.basename(f) not in REFUSED)
    for f, data, caprc in streams:
        geo = subprocess.run([GEO, "-d", db], input=data, capture_output=True)
        check(geo.returncode == caprc,
              f"{os.path.basename(f)}: tsa-geo exit {geo.returncode} (want "
              f"{caprc}): {geo.stderr!r}")
        unp = msgpack.Unpacker(raw=False)
        unp.feed(geo.stdout)
        records += [(f, r) for r in list(unp)[1:] if "type" not in r]

    # mmdblookup once per distinct public address, a few at a time.
    addrs = set()
    for f, r in records:
        for side in ("src", "dst"):
            a = r.get(side + "_addr")
            if isinstance(a, bytes) and len(a) in (4, 16) and side + "_scope" not in r:
                ip = ipaddress.ip_address(a)
                addrs.add(getattr(ip, "ipv4_mapped", None) or ip)
    with ThreadPoolExecutor(4) as pool:
        oracle = dict(zip(addrs, pool.map(
            lambda ip: expected(mmdblookup_record(db, str(ip))), addrs)))
    for o in oracle.values():
        if "continent" in o and "country" in o:
            continent_of[o["country"]] = o["continent"]
    for o in oracle.values():
        if "country" in o and "continent" not in o and o["country"] in continent_of:
            o["continent"] = continent_of[o["country"]]
    compared = set()
    recs_compared = scoped = 0
    for f, r in records:
        any_compared = False
        for side in ("src", "dst"):
            a = r.get(side + "_addr")
            if not isinstance(a, bytes) or len(a) not in (4, 16):
                continue
            ip = ipaddress.ip_address(a)
            if getattr(ip, "ipv4_mapped", None):
                ip = ip.ipv4_mapped     # tsa-geo looks these up as IPv4
            if side + "_scope" in r:
                scoped += 1
                check(not ip.is_global or ip.is_multicast,
                      f"{f}: {ip} has scope {r[side + '_scope']} but is global")
                continue
            got = {k[4:]: v for k, v in geo_part(r).items() if k.startswith(side)}
            want = dict(oracle[ip])
            if "country" in want and "continent" not in want:
                # A country GeoLite2 did not show here: any continent code.
                check(got.get("continent") in CONTINENTS, f"{ip}: {got}")
                got.pop("continent", None)
            same = got.keys() == want.keys() and all(
                abs(got[k] - want[k]) < 1e-6 if isinstance(want[k], float)
                else got[k] == want[k] for k in want)
            check(same, f"{os.path.basename(f)} {os.path.basename(db)}: {ip}: "
                  f"tsa-geo {got}, mmdblookup {want}")
            compared.add(ip)
            any_compared = True
        recs_compared += any_compared
        if any_compared and f in per_file:
            per_file[f] = (per_file[f] or 0) + 1
    known = sum(1 for ip in compared if "country" in oracle[ip])
    print(f"{os.path.basename(db)}: {len(records)} packet records from "
          f"{len(streams)} captures; {recs_compared} records and "
          f"{len(compared)} distinct public addresses compared with mmdblookup "
          f"({known} with a country, {len(compared) - known} without); "
          f"{scoped} special addresses not looked up; countries: "
          f"{' '.join(sorted({o['country'] for o in oracle.values() if 'country' in o}))}")
    check(len(compared) > 100, "too few addresses compared")
    # Every capture read whole gives public addresses to compare, except
    # those that have none (checked: their records are all scoped).
    for f, n in per_file.items():
        if n is None:
            pub = [r for g, r in records if g == f and any(
                isinstance(r.get(s + "_addr"), bytes) and s + "_scope" not in r
                for s in ("src", "dst"))]
            check(not pub, f"{os.path.basename(f)} {os.path.basename(db)}: "
                  f"no record compared, {len(pub)} with a public address")
done()
