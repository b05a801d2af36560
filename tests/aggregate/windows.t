#!/usr/bin/python3
"""Sliding window edges on streams built here: count and time windows,
snapshots at the right stream times, an empty window across a gap,
bandwidth buckets, time going backwards (more in steps.t)."""
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T0 = 1699999980          # a multiple of every interval used below


def ends(snaps):
    return [round(sec(s["window_end"]) - T0, 3) for s in snaps]


# Count window of 5 packets, a snapshot every 3 s: one packet a second, each
# with its own length so that the sum tells which packets are in.
recs = [pkt(T0 + i, "10.0.0.1", "192.0.2.1", length=1 << i) for i in range(10)]
_, out = run(recs, "-w", "5", "-e", "3s")
s = snapshots(out)
same("count: snapshot times", ends(s), [3, 6, 9, 9])
same("count: final flag", [x.get("final", False) for x in s], [False, False, False, True])
same("count: window setting", s[0]["window"], 5)
# at 3 s: packets 0-2; at 6 s: the last 5 of 0-5; at 9 s: of 0-8; final: of 0-9
want = [sum(1 << i for i in r) for r in (range(0, 3), range(1, 6), range(4, 9), range(5, 10))]
same("count: bytes", [x["bytes"] for x in s], want)
same("count: packets", [x["packets"] for x in s], [3, 5, 5, 5])
same("count: window start is the oldest packet",
     [round(sec(x["window_start"]) - T0, 3) for x in s], [0, 1, 4, 5])

# Time window of 4 s every 2 s, packets at 0.5, 1.5, ... 9.5 s.
recs = [pkt(T0 + i + 0.5, "10.0.0.1", "192.0.2.1", length=1 << i) for i in range(10)]
_, out = run(recs, "-w", "4s", "-e", "2s")
s = snapshots(out)
same("time: snapshot times", ends(s), [2, 4, 6, 8, 9.5])
same("time: window setting", s[0]["window"], "4s")
def inwin(end):
    return sum(1 << i for i in range(10) if end - 4 <= i + 0.5 < end)
want = [inwin(e) for e in (2, 4, 6, 8)] + [sum(1 << i for i in range(10) if 9.5 - 4 <= i + 0.5)]
same("time: bytes", [x["bytes"] for x in s], want)
same("time: window start", [round(sec(x["window_start"]) - T0, 3) for x in s],
     [-2, 0, 2, 4, 5.5])

# A gap: packets at 0, 1, 2 and 20 s; window 2 s, every 1 s.  Snapshots at
# 1-5 s while the window drains, down to one empty snapshot at 5 s; then
# the final one with the packet at 20 s.
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1", length=10 + t) for t in (0, 1, 2, 20)]
_, out = run(recs, "-w", "2s", "-e", "1s")
s = snapshots(out)
same("gap: snapshot times", ends(s), [1, 2, 3, 4, 5, 20])
same("gap: packets", [x["packets"] for x in s], [1, 2, 2, 1, 0, 1])
empty = s[4]
same("gap: empty window", (empty["bytes"], empty["countries"], empty["hosts"],
                           empty["domains"], empty["alerts"], sum(empty["bandwidth"]["bytes"])),
     (0, [], [], [], [], 0))

# A tiny interval over a long gap: only the boundaries where packets leave.
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1") for t in (0, 0.5, 86400)]
_, out = run(recs, "-w", "1s", "-e", "1ns")
s = snapshots(out)
same("1 ns interval, a day's gap: bounded", (len(s) < 10, [x["packets"] for x in s][-3:]),
     (True, [1, 0, 1]))
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1") for t in (0, 0.5, 86400)]
_, out = run(recs, "-w", "2", "-e", "1ns")
same("count window, 1 ns interval, a day's gap: bounded", len(snapshots(out)) < 10, True)

# --every 0: only the final snapshot.
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1") for t in (0, 15, 30)]
_, out = run(recs, "-w", "1h", "-e", "0")
same("every 0: one final snapshot of everything",
     [(x["packets"], x.get("final")) for x in snapshots(out)], [(3, True)])

# Bandwidth: a 10 s window in 5 buckets of 2 s.
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1", length=n)
        for t, n in ((0.5, 100), (1.0, 200), (3.0, 400), (9.9, 800), (10.0, 1))]
_, out = run(recs, "-w", "10s", "-e", "10s", "-b", "5")
bw = snapshots(out)[0]["bandwidth"]   # at 10 s: packets before 10 s
same("bandwidth: start", sec(bw["start"]) - T0, 0)
same("bandwidth: bucket_ns", bw["bucket_ns"], 2 * 10**9)
same("bandwidth: bytes", bw["bytes"], [300, 400, 0, 0, 800])
same("bandwidth: bps", bw["bps"], [300 * 8 / 2, 400 * 8 / 2, 0, 0, 800 * 8 / 2])
same("bandwidth: avg_bps", bw["avg_bps"], 1500 * 8 / 10)

# Time going back within the window: counted at the latest time.
recs = [pkt(T0 + 5, "10.0.0.1", "192.0.2.1"), pkt(T0 + 4.5, "10.0.0.1", "192.0.2.1"),
        pkt(T0 + 5.5, "10.0.0.1", "192.0.2.1")]
_, out = run(recs, "-w", "60s", "-e", "10s")
s = snapshots(out)
same("clamp: one final snapshot with all packets",
     [(x["packets"], x.get("final"), x.get("out_of_order")) for x in s], [(3, True, 1)])
same("clamp: window end", ends(s), [5.5])
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1") for t in (1, 2, 3)] * 3
_, out = run(recs, "-w", "60s", "-e", "10s")
s = snapshots(out)
same("a loop shorter than the window: one window of every packet",
     [(x["packets"], ends([x])[0], x.get("final", False), x.get("epoch")) for x in s],
     [(9, 3, True, None)])

# Other records pass through in order; packets are consumed unless --pass.
stats = {"type": "stats", "time": ts(T0 + 1.5), "final": False, "decoded": 2}
recs = [pkt(T0 + 1, "10.0.0.1", "192.0.2.1"), stats, pkt(T0 + 2, "10.0.0.1", "192.0.2.1")]
header, out = run(recs, "-e", "10s")
same("header kind", header["kind"], "snapshots")
same("header tools", header["tools"][-1][0].endswith("tsa-aggregate"), True)
same("pass-through", [r.get("type") for r in out], ["stats", "snapshot"])
_, out = run(recs, "-e", "10s", "--pass")
same("--pass", [r.get("type", "packet") for r in out], ["packet", "stats", "packet", "snapshot"])

# An empty stream gives a final snapshot of zeros, without window bounds
# (no packet and no stats record gives a time); a snapshot stream is refused.
_, out = run([], "-w", "60s")
same("empty stream", [(x["type"], x.get("final"), x["packets"], x["bytes"], x["countries"],
                       x["hosts"], "window_start" in x, sum(x["bandwidth"]["bytes"]))
                      for x in out], [("snapshot", True, 0, 0, [], [], False, 0)])
p = subprocess.run([os.path.join(BIN, "tsa-aggregate")], input=stream([], kind="snapshots"),
                   capture_output=True)
same("snapshot input refused", (p.returncode, p.stdout, b"--merge" in p.stderr), (1, b"", True))

# A stream that promised an end record and stops without one (a stage
# before died): the final snapshot says it is incomplete, and so does the
# exit status; with its end record, neither.
recs = [pkt(T0 + t, "10.0.0.1", "192.0.2.1") for t in (1, 2, 3)]
head = msgpack.packb({"tsa": 1, "kind": "packets", "tools": [["windows.t"]], "end_record": True})
body = b"".join(msgpack.packb(r) for r in recs)
for what, data, rc, inc in (("cut short", head + body, 1, True),
                            ("ended", head + body + msgpack.packb({"type": "end",
                                                                   "complete": True}), 0, None)):
    p = subprocess.run([os.path.join(BIN, "tsa-aggregate")], input=data, capture_output=True)
    s = snapshots(read(p.stdout)[1])
    same(f"{what}: exit status, final snapshot of every packet, incomplete",
         (p.returncode, [(x["packets"], x.get("final"), x.get("incomplete")) for x in s]),
         (rc, [(3, True, inc)]))
    if rc:
        same(f"{what}: merged, still incomplete",
             [x.get("incomplete") for x in snapshots(read(subprocess.run(
                 [os.path.join(BIN, "tsa-aggregate"), "--merge", "-"], input=p.stdout,
                 capture_output=True).stdout)[1])], [True])
done()
