"""Helpers for the tsa-aggregate tests: build packet streams as
docs/stream.md describes them, run the tool, read its output."""
import ipaddress, os, subprocess, sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")


def ts(sec):
    """Seconds (float) to a msgpack timestamp, exactly to the nanosecond."""
    ns = round(sec * 1e9)
    return msgpack.Timestamp(ns // 10**9, ns % 10**9)


def addr(a):
    return ipaddress.ip_address(a).packed


def pkt(t, src, dst, length=100, **kw):
    r = {"timestamp": ts(t), "length": length,
         "ip_version": 6 if ":" in src else 4,
         "src_addr": addr(src), "dst_addr": addr(dst)}
    for k, v in kw.items():
        if k.endswith("_ips"):
            v = [addr(x) for x in v]
        r[k] = v
    return r


def stream(records, kind="packets"):
    head = msgpack.packb({"tsa": 1, "kind": kind, "tools": [["agg.py"]]})
    return head + b"".join(msgpack.packb(r) for r in records)


def read(data):
    """Header and records of an output stream (its end record off)."""
    header, recs, _ = tsatest.read(data)
    return header, recs


def run(records, *args, data=None, settings=None, check=True):
    """Run tsa-aggregate on the records; return (header, output records)."""
    cmd = [os.path.join(BIN, "tsa-aggregate")]
    if settings:
        path = os.path.join(TMP, "agg-test.ini")
        with open(path, "w") as f:
            f.write(settings)
        cmd += ["--settings", path]
    cmd += list(args)
    p = subprocess.run(cmd, input=data if data is not None else stream(records),
                       capture_output=True)
    if check and p.returncode != 0:
        sys.exit(f"{cmd}: status {p.returncode}: {p.stderr.decode()}")
    return read(p.stdout)


def snapshots(out):
    return [r for r in out if r.get("type") == "snapshot"]


def alerts(out):
    return [r for r in out if r.get("type") == "alert"]


def sec(t):
    """A decoded timestamp as float seconds."""
    return t.seconds + t.nanoseconds / 1e9


# The verdicts are the harness's (tests/tsatest.py).
from tsatest import check, done, same  # noqa: E402,F401
