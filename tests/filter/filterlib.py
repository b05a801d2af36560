"""Helpers for the tsa-filter tests: build streams, run the tool, and check
its pass/fail split against a predicate written in Python."""
import ipaddress
import os
import re
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
PY = os.environ.get("PY", "/usr/bin/python3")
FILTER = os.path.join(BIN, "tsa-filter")

# The verdicts are the harness's (tests/tsatest.py).
from tsatest import done as finish, fail  # noqa: E402,F401


def ip(s):
    return ipaddress.ip_address(s).packed


def stream(records, header=None):
    """A stream's bytes, and each record's raw bytes."""
    header = header or {"tsa": 1, "kind": "packets", "tools": [["test"]]}
    raws = [msgpack.packb(r, use_bin_type=True) for r in records]
    return tsatest.pack(header, raws, end=bool(header.get(tsatest.END_KEY))), raws


def split_stream(data):
    """Header and the raw bytes of each record of a stream (the end record
    off)."""
    header, raws, _ = tsatest.read(data, raw=True)
    return header, raws


def run(args, data):
    p = subprocess.run([FILTER] + args, input=data, capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode()


# ---- the semantics, written out independently of the C code ----

def value(r, k, test):
    """A comparison: false when absent; an array matches when any element
    does (containers inside never match)."""
    if k not in r:
        return False
    v = r[k]
    if isinstance(v, list):
        return any(test(e) for e in v if not isinstance(e, (list, dict)))
    return test(v)


def present_not(r, k, test):
    """!= and !~: the key is present and nothing matches."""
    return k in r and not value(r, k, test)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def num(test):
    return lambda v: is_num(v) and test(v)


def text(test, fold=False):
    return lambda v: isinstance(v, str) and test(v.lower() if fold else v)


def in_net(cidr):
    net = ipaddress.ip_network(cidr, strict=False)

    def test(v):
        if not isinstance(v, bytes) or len(v) not in (4, 16):
            return False
        a = ipaddress.ip_address(v)
        if net.version == 4 and a.version == 6 and a.ipv4_mapped:
            a = a.ipv4_mapped
        return a.version == net.version and a in net
    return test


def tstamp(v):
    return v.to_unix_nano() if isinstance(v, msgpack.Timestamp) else None


def check_split(expr, data, raws, pred, records, typed=lambda r: "type" in r):
    """Run expr with --fail; the passing stream must hold exactly the raw
    records with pred true, the failing one those with pred false, in
    order, and both every typed record."""
    failpath = os.path.join(TMP, "fail.tsa")
    rc, out, err = run(["--count", "--fail", failpath, expr], data)
    if rc != 0:
        fail(f"{expr!r}: status {rc}: {err.strip()}")
        return None
    want_pass = [raw for r, raw in zip(records, raws) if typed(r) or pred(r)]
    want_fail = [raw for r, raw in zip(records, raws)
                 if typed(r) or not pred(r)]
    hp, got_pass = split_stream(out)
    with open(failpath, "rb") as f:
        hf, got_fail = split_stream(f.read())
    if got_pass != want_pass:
        fail(f"{expr!r}: passed {len(got_pass)} records, expected "
             f"{len(want_pass)} (or different ones)")
    if got_fail != want_fail:
        fail(f"{expr!r}: failed {len(got_fail)} records, expected "
             f"{len(want_fail)} (or different ones)")
    for h in (hp, hf):
        if h.get("tools", [])[-1:] != [[FILTER, "--count", "--fail",
                                        failpath, expr]]:
            fail(f"{expr!r}: header tools {h.get('tools')}")
    npkt = sum(1 for r in records if not typed(r))
    npass = sum(1 for r in records if not typed(r) and pred(r))
    m = re.search(r"(\d+) records read, (\d+) passed, (\d+) failed; "
                  r"(\d+) other", err)
    if not m or [int(x) for x in m.groups()] != [
            npkt, npass, npkt - npass, len(records) - npkt]:
        fail(f"{expr!r}: --count said {err.strip()!r}, expected {npkt} "
             f"read, {npass} passed")
    return npass
