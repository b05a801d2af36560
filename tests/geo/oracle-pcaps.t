#!/usr/bin/python3
# Every address in the records tsa-capture makes of the real captures in
# $PCAPS: tsa-geo's country equals what mmdblookup finds in the same default
# database (data/dbip-country.mmdb); special addresses carry a scope instead.
import glob
import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

db = default_db()
capture = os.path.join(BIN, "tsa-capture")
if not os.access(capture, os.X_OK):
    print("tsa-capture not built")
    sys.exit(77)
pcaps = sorted(glob.glob(os.path.join(os.environ.get("PCAPS", "../shared/pcaps"), "*.pcap*")))
if not pcaps:
    print("no captures in $PCAPS")
    sys.exit(77)

answers = {}        # address -> set of countries tsa-geo gave it
records = []        # (file, record) of packet records
for f in pcaps:
    cap = subprocess.run([capture, "-r", f], capture_output=True)
    # Some captures are refused part-way (mixed link types, 802.11): what
    # came out before still counts.
    geo = subprocess.run([GEO], input=cap.stdout, capture_output=True)
    if not cap.stdout:
        print(f"{os.path.basename(f)}: no stream ({cap.stderr.decode().strip()})")
        continue
    check(geo.returncode == 0 or cap.returncode != 0,
          f"{f}: tsa-geo exit {geo.returncode}: {geo.stderr!r}")
    unp = msgpack.Unpacker(raw=False)
    unp.feed(geo.stdout)
    objs = list(unp)
    for r in objs[1:]:
        if "type" in r:
            continue
        records.append((f, r))

cache = {}
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
            ip = ip.ipv4_mapped
        if side + "_scope" in r:
            scoped += 1
            check(not ip.is_global or ip.is_multicast,
                  f"{f}: {ip} has scope {r[side + '_scope']} but is global")
            continue
        if ip not in cache:
            cache[ip] = mmdblookup_country(db, str(ip))
        got = r.get(side + "_country")
        check(got == cache[ip], f"{os.path.basename(f)}: {ip}: tsa-geo {got}, "
              f"mmdblookup {cache[ip]}")
        compared.add(ip)
        any_compared = True
    recs_compared += any_compared
agree = sum(1 for ip in compared if cache[ip] is not None)
print(f"{len(records)} packet records from {len(pcaps)} captures; "
      f"{recs_compared} records and {len(compared)} distinct public addresses "
      f"compared with mmdblookup ({agree} with a country, "
      f"{len(compared) - agree} unknown to both); {scoped} special addresses "
      f"not looked up; countries: {' '.join(sorted({c for c in cache.values() if c}))}")
check(len(compared) > 100, "too few addresses compared")
done()
