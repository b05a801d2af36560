#!/usr/bin/python3
# Host facts per packet: a field src_X or dst_X that a packet record lacks is
# X of the latest host record of its address (docs/stream.md, "Host
# records"), src_uptime_min as measured plus the minutes since at the
# packet's time; a forgotten host (a record with its address alone) has
# none; a packet's own key wins; host records pass, in order, to both
# outputs; a smaller --host-facts forgets the hosts updated longest ago.
import os
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import TMP, fail, finish, ip, run, split_stream, stream

T0 = 1700000000
A, B, C = ip("192.0.2.1"), ip("198.51.100.2"), ip("2001:db8::3")


def ts(sec, ms=0):
    return msgpack.Timestamp(sec, ms * 1000000)


def host(addr, **facts):
    return {"type": "host", "addr": addr, **facts}


def pkt(n, src, dst, sec, **kw):
    return {"timestamp": ts(sec), "src_addr": src, "dst_addr": dst,
            "length": n, **kw}


recs = [
    pkt(1, A, B, T0),                                   # nothing known yet
    host(A, os="Linux 3.11 and newer", os_name="Linux", dist=12,
         lang="English", uptime_min=100, uptime_hz=1000.0,
         uptime_time=ts(T0 + 10, 500)),
    pkt(2, A, B, T0 + 10),                              # uptime 100
    pkt(3, B, A, T0 + 70),                              # 100 (59.5 s since)
    pkt(4, B, A, T0 + 71),                              # 101
    host(B, dist=3, app="Apache 2.x", app_name="Apache"),
    pkt(5, A, B, T0 + 200),                             # A 103
    host(A, os="Linux 3.11 and newer", os_name="Linux", dist=14,
         lang="English", uptime_min=100, uptime_hz=1000.0,
         uptime_time=ts(T0 + 10, 500)),
    pkt(6, A, B, T0 + 201),
    pkt(7, A, B, T0 + 202, src_dist=1),                 # its own key wins
    {"type": "stats", "time": ts(T0 + 203)},
    host(A),                                            # forgotten
    pkt(8, A, C, T0 + 204),
    host(C, dist=40),
    pkt(9, C, A, T0 + 205),
]
data, raws = stream(recs, {"tsa": 1, "kind": "packets",
                          "tools": [["tsa-p0f"]]})


def lengths(out):
    _, rs = split_stream(out)
    return [msgpack.unpackb(r)["length"] if b"\xa4type" not in r[:8] else
            msgpack.unpackb(r)["type"] for r in rs]


def expect(expr, want, args=()):
    rc, out, err = run(list(args) + [expr], data)
    got = [x for x in lengths(out) if isinstance(x, int)]
    if rc != 0 or got != want:
        fail(f"{expr!r} {list(args)}: rc {rc}, passed {got}, want {want} "
             f"({err.strip()})")


expect("src_dist > 10", [2, 5, 6, 9])
expect("dst_dist > 10", [3, 4])
expect("dst_dist == 3", [5, 6, 7])
expect("src_dist == 1", [7])
expect("src_lang == English", [2, 5, 6, 7])
expect("src_uptime_min == 100", [2])
expect("dst_uptime_min == 100", [3])
expect("dst_uptime_min == 101", [4])
expect("src_uptime_min == 103", [5, 6, 7])
expect("src_uptime_min == 100", [2], ["--host-facts", "2"])
expect("has dst_app and dst_app_name == Apache", [5, 6, 7])
expect("src_os_name ~ Lin*", [2, 5, 6, 7])
expect("has src_os_name or has dst_os_name", [2, 3, 4, 5, 6, 7])
expect("dst_dist == 40 or src_dist == 40", [9])
# A table of one host keeps the one updated last: A, B, A again, none, C.
expect("src_dist > 10 or dst_dist > 0", [2, 3, 4, 5, 6, 9],
       ["--host-facts", "1"])

# Every record with a type, host records among them, passes to both
# outputs in order.
fpath = os.path.join(TMP, "hosts-fail-%d.tsa" % os.getpid())
rc, out, err = run(["--fail", fpath, "src_dist > 10"], data)
with open(fpath, "rb") as f:
    failed = f.read()
os.unlink(fpath)
types = ["host", "host", "host", "stats", "host", "host"]
for name, o in (("pass", out), ("fail", failed)):
    _, rs = split_stream(o)
    got = [msgpack.unpackb(r)["type"] for r in rs if b"\xa4type" in r[:8]]
    if got != types:
        fail(f"{name} output: typed records {got}, want {types}")
    typed = [r for r in rs if b"\xa4type" in r[:8]]
    if typed != [r for r in raws if b"\xa4type" in r[:8]]:
        fail(f"{name} output: typed records changed")
finish()
