#!/usr/bin/python3
# tsa-geo against small databases written here in each layout it reads
# (GeoIP2 Country and City, ip-location-db country and city, both ASN
# layouts), so every expected answer is known: values, absent keys, scopes,
# IPv4-mapped addresses, pass-through of other records and keys.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

# Special ranges, all given an answer ("AQ") in every database: tsa-geo
# must not look them up, only mark them.
SCOPES = {
    "10.1.2.3": "private", "172.16.5.4": "private", "192.168.1.1": "private",
    "100.64.1.1": "private", "fd00::1": "private",
    "127.0.0.1": "loopback", "::1": "loopback",
    "169.254.1.1": "link-local", "fe80::1": "link-local",
    "224.0.0.251": "multicast", "255.255.255.255": "multicast",
    "ff02::fb": "multicast",
    "192.0.2.7": "documentation", "198.51.100.1": "documentation",
    "203.0.113.9": "documentation", "2001:db8::5": "documentation",
    "0.0.0.0": "reserved", "240.0.0.1": "reserved",
}
SCOPE_NETS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
              "100.64.0.0/10", "fc00::/7", "127.0.0.0/8", "169.254.0.0/16",
              "fe80::/10", "224.0.0.0/4", "ff00::/8", "192.0.2.0/24",
              "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32",
              "240.0.0.0/4"]


def geoip2(country=None, continent=None, city=None, lat=None, lon=None,
           registered=None):
    r = {}
    if country:
        r["country"] = {"iso_code": country, "names": {"en": "x"}}
    if registered:
        r["registered_country"] = {"iso_code": registered}
    if continent:
        r["continent"] = {"code": continent}
    if city:
        r["city"] = {"names": {"en": city, "de": city + "-de"}}
    if lat is not None:
        r["location"] = {"latitude": lat, "longitude": lon,
                         "time_zone": "Europe/Berlin"}
    return r


def flat(country, city=None, lat=None, lon=None):
    r = {"country_code": country}
    if city:
        r.update(city=city, latitude=lat, longitude=lon, state1="S",
                 postcode="1", timezone="Z")
    return r


special = [(n, geoip2("AQ", "AN")) for n in SCOPE_NETS]
special_flat = [(n, flat("AQ")) for n in SCOPE_NETS]

dbs = {
    "geoip2-country": mkdb("g2c.mmdb", "GeoLite2-Country", special + [
        ("81.0.0.0/16", geoip2("DE", "EU")),
        ("2a01:4f8::/32", geoip2("DE", "EU")),
        ("5.5.0.0/16", geoip2(registered="FR", continent="EU")),
        ("6.6.0.0/16", geoip2(continent="AS")),
    ]),
    "geoip2-city": mkdb("g2city.mmdb", "GeoLite2-City", special + [
        ("81.0.0.0/16", geoip2("DE", "EU", "Berlin", 52.52, 13.405)),
        ("2a01:4f8::/32", geoip2("DE", "EU", "Nürnberg", 49.4478, 11.0683)),
        ("5.5.0.0/16", geoip2(registered="FR", continent="EU")),
        ("6.6.0.0/16", geoip2(continent="AS")),
    ]),
    # ip-location-db's own type names are free text: found by probing.
    "flat-country": mkdb("ildc.mmdb", "country ipvAll", special_flat + [
        ("81.0.0.0/16", flat("DE")),
        ("2a01:4f8::/32", flat("DE")),
        ("5.5.0.0/16", flat("FR")),
    ]),
    "flat-city": mkdb("ildcity.mmdb", "city ipvAll", special_flat + [
        ("81.0.0.0/16", flat("DE", "Berlin", 52.52, 13.405)),
        ("2a01:4f8::/32", flat("DE", "Nürnberg", 49.4478, 11.0683)),
        ("5.5.0.0/16", flat("FR", "Paris", 48.8566, 2.3522)),
    ]),
}
asn_rec = {"autonomous_system_number": 24940,
           "autonomous_system_organization": "Hetzner Online GmbH"}
asns = {
    "geolite2-asn": mkdb("asn.mmdb", "GeoLite2-ASN", [
        ("81.0.0.0/16", asn_rec), ("2a01:4f8::/32", asn_rec),
        ("10.0.0.0/8", asn_rec)]),
    "flat-asn": mkdb("ildasn.mmdb", "asn ipvAll", [
        ("81.0.0.0/16", asn_rec), ("2a01:4f8::/32", asn_rec),
        ("10.0.0.0/8", asn_rec)]),
}

PUBLIC = ["81.0.1.2", "::ffff:81.0.1.3", "2a01:4f8::1", "8.8.4.4",
          "5.5.5.5", "6.6.6.6"]

# What each database says about each public address.
berlin = {"country": "DE", "continent": "EU", "city": "Berlin",
          "lat": 52.52, "lon": 13.405}
nbg = {"country": "DE", "continent": "EU", "city": "Nürnberg",
       "lat": 49.4478, "lon": 11.0683}
expect = {
    "geoip2-country": {
        "81.0.1.2": {"country": "DE", "continent": "EU"},
        "::ffff:81.0.1.3": {"country": "DE", "continent": "EU"},
        "2a01:4f8::1": {"country": "DE", "continent": "EU"},
        "8.8.4.4": {},
        "5.5.5.5": {"country": "FR", "continent": "EU"},
        "6.6.6.6": {"continent": "AS"},
    },
    "geoip2-city": {
        "81.0.1.2": berlin, "::ffff:81.0.1.3": berlin, "2a01:4f8::1": nbg,
        "8.8.4.4": {},
        "5.5.5.5": {"country": "FR", "continent": "EU"},
        "6.6.6.6": {"continent": "AS"},
    },
    # ip-location-db has no continents: tsa-geo adds the country's.
    "flat-country": {
        "81.0.1.2": {"country": "DE", "continent": "EU"},
        "::ffff:81.0.1.3": {"country": "DE", "continent": "EU"},
        "2a01:4f8::1": {"country": "DE", "continent": "EU"}, "8.8.4.4": {},
        "5.5.5.5": {"country": "FR", "continent": "EU"}, "6.6.6.6": {},
    },
    "flat-city": {
        "81.0.1.2": berlin, "::ffff:81.0.1.3": berlin, "2a01:4f8::1": nbg,
        "8.8.4.4": {},
        "5.5.5.5": {"country": "FR", "continent": "EU", "city": "Paris",
                    "lat": 48.8566, "lon": 2.3522},
        "6.6.6.6": {},
    },
}
in_asn = {"81.0.1.2", "::ffff:81.0.1.3", "2a01:4f8::1"}

# Every public address against every special one, both directions.
records = []
for p in PUBLIC:
    for s in SCOPES:
        records.append(packet(p, s))
        records.append(packet(s, p, zz_custom=[1, {"a": None}]))
# Records tsa-geo must pass through byte for byte.
untouched = [
    {"type": "stats", "final": True, "src_addr": addr("81.0.1.2")},
    {"type": "future-thing", "dst_addr": addr("2a01:4f8::1")},
    {"length": 5, "note": "no addresses"},
]
records += untouched
data = stream(records)


def want(db, asn, a):
    if a in SCOPES:
        return {"scope": SCOPES[a]}
    w = dict(expect[db][a])
    if asn and a in in_asn:
        w.update(asn=24940, as_org="Hetzner Online GmbH")
    return w


name = {addr(a): a for a in PUBLIC + list(SCOPES)}
for db in dbs:
    for asn in [None] + list(asns):
        args = ["-d", dbs[db]] + (["-a", asns[asn]] if asn else ["-a", ""])
        hdr, recs, raws, err = run(args, data)
        check(hdr["tools"][-1][1:] == args, f"{db}: tools entry {hdr['tools']}")
        check(len(recs) == len(records), f"{db}/{asn}: {len(recs)} records")
        n = 0
        for rin, rout, raw in zip(records, recs, raws):
            if "src_addr" not in rin or "type" in rin:
                check(raw == msgpack.packb(rin),
                      f"{db}/{asn}: {rin} not passed through unchanged")
                continue
            src, dst = name[rin["src_addr"]], name[rin["dst_addr"]]
            w = {"src_" + k: v for k, v in want(db, asn, src).items()}
            w.update({"dst_" + k: v for k, v in want(db, asn, dst).items()})
            got = geo_part(rout)
            check(got == w, f"{db}/{asn}: {src} -> {dst}: got {got}, want {w}")
            # Input keys first, in order and unchanged; ours appended.
            kin = pairs(msgpack.packb(rin))
            kout = pairs(raw)
            check(kout[:len(kin)] == kin and
                  all(k in GEO_KEYS for k, _ in kout[len(kin):]),
                  f"{db}/{asn}: keys {kout}")
            n += 1
        print(f"{db} + {asn}: {n} records checked")

# An empty database: the layout comes from its type; everything unknown.
empty = mkdb("empty.mmdb", "GeoLite2-Country", [])
_, recs, _, _ = run(["-d", empty], stream([packet("81.0.1.2", "10.0.0.1")]))
check(geo_part(recs[0]) == {"dst_scope": "private"}, f"empty db: {recs[0]}")

# A malformed address (5 bytes) or a string gets nothing, and is counted.
bad = [dict(packet("81.0.1.2", "81.0.1.2"), src_addr=b"\x01\x02\x03\x04\x05"),
       dict(packet("81.0.1.2", "81.0.1.2"), dst_addr="81.0.1.2")]
_, recs, _, err = run(["-d", dbs["flat-country"]], stream(bad))
check(geo_part(recs[0]) == {"dst_country": "DE", "dst_continent": "EU"},
      f"bad src: {recs[0]}")
check(geo_part(recs[1]) == {"src_country": "DE", "src_continent": "EU"},
      f"bad dst: {recs[1]}")
check("2 addresses" in err, f"bad addresses not reported: {err!r}")

# The settings file's [geoip] DatabaseFilePath, relative to the file.
ini = os.path.join(TMP, "geo.ini")
with open(ini, "w") as f:
    f.write("[geoip]\nDatabaseFilePath = g2city.mmdb\n"
            "AsnDatabaseFilePath = asn.mmdb\nCacheSize = 16\n")
_, recs, _, _ = run(["--settings", ini], stream([packet("81.0.1.2", "2a01:4f8::1")]))
w = {"src_" + k: v for k, v in want("geoip2-city", "a", "81.0.1.2").items()}
w.update({"dst_" + k: v for k, v in want("geoip2-city", "a", "2a01:4f8::1").items()})
check(geo_part(recs[0]) == w, f"settings: {recs[0]}")
done()
