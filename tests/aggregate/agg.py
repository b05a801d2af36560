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


# ---- --merge: what merged snapshots must hold (docs/stream.md, Merging) ----

def ns(t):
    return t.seconds * 10**9 + t.nanoseconds


def expected(snaps, final=False):
    """The sum of these sensors' snapshots, as the merge documents it."""
    cs, ds, hs, os_, alerts = {}, {}, {}, {}, []
    for s in snaps:
        for c in s["countries"]:
            x = cs.setdefault(c["country"], [0, 0, 0])
            x[0] += c["packets"]; x[1] += c["bytes"]; x[2] += c["hosts"]
        for d in s["domains"]:
            x = ds.setdefault(d["domain"], [0, 0])
            x[0] += d["packets"]; x[1] += d["bytes"]
        for h in s["hosts"]:
            x = hs.setdefault(h["addr"], [0, 0])
            x[0] += h["packets"]; x[1] += h["bytes"]
        for o in s["os"]:
            x = os_.setdefault(o["os"], [0, 0])
            x[0] += o["hosts"]; x[1] += o["packets"]
        alerts += [(a["alert"], a["host_addr"]) for a in s["alerts"]]
    want = {
        "sensors": len(snaps),
        "window": (min(ns(s["window_start"]) for s in snaps),
                   max(ns(s["window_end"]) for s in snaps)),
        "totals": (sum(s["packets"] for s in snaps), sum(s["bytes"] for s in snaps)),
        "countries": cs,
        "domains": sorted(((-v[0], k, v[1]) for k, v in ds.items()))[:20],
        # (as tsa-aggregate orders them: packets, bytes, address)
        "hosts": sorted(((-v[0], -v[1], len(k), k) for k, v in hs.items()))[:20],
        "os": os_,
        "alerts": sorted(alerts),
        "final": final}
    bws = [s["bandwidth"] for s in snaps]
    if not final and all((b["start"], b["bucket_ns"], len(b["bytes"])) ==
                         (bws[0]["start"], bws[0]["bucket_ns"], len(bws[0]["bytes"]))
                         for b in bws):
        want["buckets"] = [sum(x) for x in zip(*(b["bytes"] for b in bws))]
    else:
        want["buckets"] = sum(want["totals"][1:])
    return want


def got(m):
    g = {"sensors": m["sensors"],
         "window": (ns(m["window_start"]), ns(m["window_end"])),
         "totals": (m["packets"], m["bytes"]),
         "countries": {c["country"]: [c["packets"], c["bytes"], c["hosts"]]
                       for c in m["countries"]},
         "domains": [(-d["packets"], d["domain"], d["bytes"]) for d in m["domains"]],
         "hosts": [(-h["packets"], -h["bytes"], len(h["addr"]), h["addr"]) for h in m["hosts"]],
         "os": {o["os"]: [o["hosts"], o["packets"]] for o in m["os"]},
         "alerts": sorted((a["alert"], a["host_addr"]) for a in m["alerts"]),
         "final": m.get("final", False)}
    bw = m["bandwidth"]["bytes"]
    g["buckets"] = bw if not g["final"] else sum(bw)
    return g


def check_sums(same, what, out, sensors, left_out=()):
    """--merge's output records (out) against the sums of the sensors'
    snapshots per window_end (without the windows in left_out: (name, end)
    pairs), then the sum of their finals; sensors: {name: (header,
    records, end)}; same(what, got, want) reports."""
    per = {}
    for n, (_, recs, _) in sensors.items():
        for s in snapshots(recs):
            if not s.get("final") and (n, ns(s["window_end"])) not in left_out:
                per.setdefault(ns(s["window_end"]), []).append(s)
    ms = snapshots(out)
    same(f"{what}: the windows, in order, then the final",
         [(ns(m["window_end"]), m.get("final", False)) for m in ms],
         [(e, False) for e in sorted(per)] + [(max(ns(s["window_end"]) for _, r, _ in
                                                   sensors.values() for s in snapshots(r)
                                                   if s.get("final")), True)])
    bad = [e for m, e in zip(ms, sorted(per)) if got(m) != expected(per[e])]
    same(f"{what}: every window holds the sum of the sensors' snapshots of its end", bad, [])
    if bad:
        print(got(ms[sorted(per).index(bad[0])]), "\n", expected(per[bad[0]]))
    finals = [s for _, recs, _ in sensors.values() for s in snapshots(recs) if s.get("final")]
    same(f"{what}: the final holds the sum of the finals", got(ms[-1]),
         expected(finals, final=True))
    return ms
