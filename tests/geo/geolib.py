"""Helpers for the tsa-geo tests: test databases, streams, running the tool."""
import functools
import ipaddress
import json
import os
import subprocess
import sys

import msgpack

TOP = os.environ.get("TSA_TOP", os.getcwd())
BIN = os.environ.get("TSA_BIN", os.path.join(TOP, "bin"))
TMP = os.environ.get("TSA_TMP", "/tmp")
GEO = os.path.join(BIN, "tsa-geo")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import tsatest  # noqa: E402

# The verdicts are the harness's; only failures are printed, as the oracle
# tests check every address.
from tsatest import done  # noqa: E402,F401
check = functools.partial(tsatest.check, quiet=True)


def mkdb(name, dbtype, nets):
    """Write a MaxMind DB: nets is a list of (cidr, record dict)."""
    path = os.path.join(TMP, name)
    args = ["perl", os.path.join(HERE, "mkdb.pl"), path, dbtype]
    for cidr, rec in nets:
        args += [cidr, json.dumps(rec)]
    subprocess.run(args, check=True)
    return path


def addr(text):
    return ipaddress.ip_address(text).packed


def text(b):
    return str(ipaddress.ip_address(b))


def header(tools=None):
    return {"tsa": 1, "kind": "packets", "link_type": 1, "snaplen": 65535,
            "source": "test", "tools": tools or [["tsa-capture", "-r", "test"]]}


def packet(src, dst, **extra):
    rec = {"timestamp": msgpack.Timestamp(1700000000, 5), "length": 60,
           "ip_version": 6 if ":" in src else 4,
           "src_addr": addr(src), "dst_addr": addr(dst), "protocol": "tcp"}
    rec.update(extra)
    return rec


def stream(records, hdr=None):
    h = hdr if hdr is not None else header()
    return tsatest.pack(h, records, end=bool(h.get(tsatest.END_KEY)))


def as_dict(pairs):
    """A map as a dict, or as its list of pairs if a key is a container."""
    try:
        return dict(pairs)
    except TypeError:
        return pairs


def run(args, data, rc=0):
    """Run tsa-geo; returns (header, records as dicts, raw records, stderr)."""
    p = subprocess.run([GEO] + args, input=data, capture_output=True)
    err = p.stderr.decode(errors="replace")
    if p.returncode != rc:
        print(err)
        raise SystemExit(f"tsa-geo {args}: exit {p.returncode}, wanted {rc}")
    if rc != 0:
        return None, [], [], err
    hdr, raws, _ = tsatest.read(p.stdout, raw=True)
    recs = [msgpack.unpackb(r, raw=False, strict_map_key=False,
                            object_pairs_hook=as_dict) for r in raws]
    return hdr, recs, raws, err


def split_raw(data):
    """The raw bytes of each top-level msgpack object."""
    unp = msgpack.Unpacker(raw=True, strict_map_key=False)
    unp.feed(data)
    out, pos = [], 0
    while True:
        try:
            unp.skip()
        except msgpack.OutOfData:
            break
        end = unp.tell()
        out.append(data[pos:end])
        pos = end
    return out


def pairs(raw):
    """A record's keys in order, duplicates kept."""
    return list(msgpack.unpackb(raw, raw=False, object_pairs_hook=lambda p: p,
                                strict_map_key=False))


GEO_KEYS = {p + k for p in ("src_", "dst_") for k in
            ("country", "continent", "lat", "lon", "city", "asn", "as_org",
             "scope")}


def geo_part(rec):
    return {k: v for k, v in rec.items() if k in GEO_KEYS}


def mmdblookup_record(db, a):
    """The oracle: the whole record mmdblookup prints for address text a,
    as Python values, or None when the database has no record for it."""
    p = subprocess.run(["mmdblookup", "--file", db, "--ip", a],
                       capture_output=True, text=True)
    if "Could not find an entry" in p.stdout + p.stderr:
        return None
    if "IPv6 address in an IPv4-only database" in p.stdout + p.stderr:
        return None
    if p.returncode != 0:
        raise SystemExit(f"mmdblookup {a}: {p.stderr.strip()}")
    lines = [l.strip() for l in p.stdout.splitlines() if l.strip()]
    pos = 0

    def value():
        nonlocal pos
        line = lines[pos]
        pos += 1
        if line in ("{", "["):
            close = "}" if line == "{" else "]"
            out = {} if line == "{" else []
            while lines[pos] != close:
                if isinstance(out, dict):
                    key = lines[pos]
                    pos += 1
                    out[key.rstrip(":").strip().strip('"')] = value()
                else:
                    out.append(value())
            pos += 1
            return out
        text, _, typ = line.rpartition(" <")
        typ = typ.rstrip(">")
        if typ == "utf8_string":
            return text[1:-1]
        if typ in ("double", "float"):
            return float(text)
        if typ == "boolean":
            return text == "true"
        return int(text)
    return value()


def dig(rec, *path):
    for k in path:
        if not isinstance(rec, dict) or k not in rec:
            return None
        rec = rec[k]
    return rec


def expected(rec):
    """What tsa-geo should say for a database record, in either layout."""
    if rec is None:
        return {}
    if "country_code" in rec:          # ip-location-db
        out = {"country": rec.get("country_code"), "city": rec.get("city"),
               "lat": rec.get("latitude"), "lon": rec.get("longitude")}
    else:                              # GeoIP2
        out = {"country": dig(rec, "country", "iso_code") or
               dig(rec, "registered_country", "iso_code"),
               "continent": dig(rec, "continent", "code"),
               "city": dig(rec, "city", "names", "en"),
               "lat": dig(rec, "location", "latitude"),
               "lon": dig(rec, "location", "longitude")}
    return {k: v for k, v in out.items() if v is not None}


def mmdblookup_country(db, a):
    return expected(mmdblookup_record(db, a)).get("country")


def default_db():
    db = os.path.join(TOP, "data", "dbip-country.mmdb")
    if not os.path.exists(db):
        print(f"{db} missing: run scripts/setup")
        sys.exit(77)
    return db
