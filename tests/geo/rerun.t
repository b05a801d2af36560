#!/usr/bin/python3
# tsa-geo on a stream it has already annotated (the header's tools list says
# so) replaces every key of the earlier run: no duplicates, and nothing left
# over from another database (a city run followed by a country run leaves no
# src_city).  Other stages' keys stay, in order, as do keys that are not
# strings.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

city = mkdb("city.mmdb", "GeoLite2-City", [
    ("81.0.0.0/16", {"country": {"iso_code": "DE"}, "continent": {"code": "EU"},
                     "city": {"names": {"en": "Berlin"}},
                     "location": {"latitude": 52.52, "longitude": 13.405}})])
country = mkdb("country.mmdb", "country ipvAll", [
    ("81.0.0.0/16", {"country_code": "AT"})])
asn = mkdb("asn.mmdb", "GeoLite2-ASN", [
    ("81.0.0.0/16", {"autonomous_system_number": 64500,
                     "autonomous_system_organization": "Example"})])

recs = [packet("81.0.1.2", "10.0.0.1", src_os="Linux", src_country_name="x"),
        packet("192.168.1.1", "81.0.9.9")]
_, first, raws, _ = run(["-d", city, "-a", asn], stream(recs))
check(first[0]["src_city"] == "Berlin" and first[0]["src_asn"] == 64500,
      f"first run: {first[0]}")

# Second run, another database, no ASN database.
hdr1 = header([["tsa-capture", "-r", "x"], ["/usr/bin/tsa-geo", "-d", city]])
hdr, second, raws2, _ = run(["-d", country, "-a", ""], stream(first, hdr1))
check(len(hdr["tools"]) == 3, f"tools: {hdr['tools']}")
want = [{"src_country": "AT", "src_continent": "EU", "dst_scope": "private"},
        {"src_scope": "private", "dst_country": "AT", "dst_continent": "EU"}]
for i, (r, raw) in enumerate(zip(second, raws2)):
    check(geo_part(r) == want[i], f"record {i}: {geo_part(r)} != {want[i]}")
    keys = [k for k, _ in pairs(raw)]
    check(len(keys) == len(set(keys)), f"record {i}: duplicate keys {keys}")
    # The other keys, in their order, then tsa-geo's.
    other = [k for k, _ in pairs(msgpack.packb(recs[i]))]
    check(keys[:len(other)] == other, f"record {i}: order {keys}")
check(second[0]["src_os"] == "Linux" and second[0]["src_country_name"] == "x",
      "other stages' keys kept")

# Twice with the same database gives what once does, byte for byte.
_, once, raw_once, _ = run(["-d", city], stream(recs))
hdr_twice = header([["tsa-capture"], ["tsa-geo", "-d", city]])
_, twice, raw_twice, _ = run(["-d", city], stream(once, hdr_twice))
check(raw_once == raw_twice, "second run with the same database changes records")

# A record with keys that are not strings (issue 16.13): the earlier run's
# keys still go, and the odd pairs stay, in their place.  Packed by hand:
# an int key, a bin key, a map as a key.
odd_pairs = [(7, "seven"), (b"src_country", "bin"),
             ({"src_country": "ZZ"}, 1)]


def packed_pairs(pairs):
    out = b""
    for k, v in pairs:
        out += msgpack.packb(k) + msgpack.packb(v)
    return out


rec = packet("81.0.1.2", "10.0.0.1")
base = list(rec.items())
raw = bytes([0x80 | (len(base) + len(odd_pairs))]) + packed_pairs(
    base[:2] + odd_pairs[:2] + base[2:] + odd_pairs[2:])
_, _, ann, _ = run(["-d", city], msgpack.packb(header()) + raw)
hdr_again = header([["tsa-capture"], ["tsa-geo", "-d", city]])
_, _, again, _ = run(["-d", country, "-a", ""], msgpack.packb(hdr_again) + ann[0])
got = pairs(again[0])
keys = [k for k, _ in got if isinstance(k, str)]
check(len(keys) == len(set(keys)), f"odd keys: duplicate keys {keys}")
check([(k, v) for k, v in got if k in ("src_country", "src_city")] ==
      [("src_country", "AT")], f"odd keys: answers of the second run only: {got}")
check([p for p in got if not isinstance(p[0], str)] ==
      [(7, "seven"), (b"src_country", "bin"), ([("src_country", "ZZ")], 1)],
      f"odd keys kept: {got}")
check(got[:len(base) + len(odd_pairs)] == base[:2] + odd_pairs[:2] +
      base[2:] + [([("src_country", "ZZ")], 1)], f"odd keys in place: {got}")

done()
