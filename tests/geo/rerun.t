#!/usr/bin/python3
# tsa-geo on a stream it has already annotated (the header's tools list says
# so) replaces every key of the earlier run: no duplicates, and nothing left
# over from another database (a city run followed by a country run leaves no
# src_city).  Other stages' keys stay, in order.
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

done()
