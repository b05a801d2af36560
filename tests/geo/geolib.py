"""Helpers for the tsa-geo tests: test databases, streams, running the tool."""
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

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


def done():
    if failures:
        print(f"{failures} checks failed")
        sys.exit(1)
    print("all checks passed")
    sys.exit(0)


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
    out = msgpack.packb(hdr if hdr is not None else header())
    for r in records:
        out += msgpack.packb(r)
    return out


def run(args, data, rc=0):
    """Run tsa-geo; returns (header, records as dicts, raw records, stderr)."""
    p = subprocess.run([GEO] + args, input=data, capture_output=True)
    err = p.stderr.decode(errors="replace")
    if p.returncode != rc:
        print(err)
        raise SystemExit(f"tsa-geo {args}: exit {p.returncode}, wanted {rc}")
    if rc != 0:
        return None, [], [], err
    unp = msgpack.Unpacker(raw=False, strict_map_key=False)
    unp.feed(p.stdout)
    objs = list(unp)
    raws = split_raw(p.stdout)
    return objs[0], objs[1:], raws[1:], err


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


def mmdblookup_country(db, a):
    """The oracle: the country mmdblookup finds for address text a, trying
    the ip-location-db path, then GeoIP2's, then its registered country.
    None when the database has no record or no country for it."""
    for path in (["country_code"], ["country", "iso_code"],
                 ["registered_country", "iso_code"]):
        p = subprocess.run(["mmdblookup", "--file", db, "--ip", a] + path,
                           capture_output=True, text=True)
        if "Could not find an entry" in p.stdout + p.stderr:
            return None
        if p.returncode == 0:
            line = p.stdout.strip()
            # '"US" <utf8_string>'
            return line.split('"')[1]
    return None


def default_db():
    db = os.path.join(TOP, "data", "dbip-country.mmdb")
    if not os.path.exists(db):
        print(f"{db} missing: run scripts/setup")
        sys.exit(77)
    return db
