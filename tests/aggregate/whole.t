#!/usr/bin/python3
"""The whole-stream window, tsa-aggregate's default for a file: one final
snapshot from the first packet to the last, exact totals, bandwidth buckets
over the real span whose bytes are exact for their bounds and add up to the
total, the average over that span; cumulative snapshots with --every;
Window = auto as the source says; hosts the table has no room for still
counted under their countries; memory bounded by the tables, not by the
length of the stream.  Expectations are computed here from the packets."""
import os, random, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1699999980           # a multiple of every interval used
NS = 10**9


def tns(t):
    return t.seconds * NS + t.nanoseconds


def check_bandwidth(what, s, times_lens, buckets=25):
    """The snapshot's buckets against the packets' own times and lengths."""
    bw = s["bandwidth"]
    start, width = tns(bw["start"]), bw["bucket_ns"]
    want, outside = [0] * buckets, 0
    for t, n in times_lens:
        i = (t - start) // width
        if 0 <= i < buckets:
            want[i] += n
        else:
            outside += 1
    first, last = min(t for t, _ in times_lens), max(t for t, _ in times_lens)
    total = sum(n for _, n in times_lens)
    same(f"{what}: {buckets} buckets, none of the packets outside them",
         (len(bw["bytes"]), outside), (buckets, 0))
    same(f"{what}: bytes per bucket", bw["bytes"], want)
    same(f"{what}: bucket bytes add up to the total", sum(bw["bytes"]), total)
    same(f"{what}: bps", bw["bps"], [b * 8 / (width / NS) for b in bw["bytes"]])
    # the buckets span the packets, and no more than 2% beyond
    same(f"{what}: buckets over the real span",
         last - first < width * buckets <= (last - first) * 1.02 + buckets, True)
    same(f"{what}: average over the span", bw["avg_bps"],
         total * 8 / ((last - first) / NS) if last > first else 0.0)


# A 5.7 s file at 10.4 Mbit/s: one snapshot of all of it, buckets spread
# over its 5.7 s (none empty), average 10.4 Mbit/s.
rng = random.Random(5)
times = sorted(T * NS + rng.randrange(0, 5_700_000_000) for _ in range(5000))
times[0], times[-1] = T * NS, T * NS + 5_700_000_000
lens = [rng.randrange(60, 2900) for _ in times]
scale = 10.4e6 / 8 * 5.7 / sum(lens)
lens = [max(1, round(n * scale)) for n in lens]
recs = [pkt(t / NS, "10.0.0.1", "192.0.2.1", length=n) for t, n in zip(times, lens)]
for r, t in zip(recs, times):
    r["timestamp"] = msgpack.Timestamp(t // NS, t % NS)
_, out = run(recs)
s = snapshots(out)
same("file: one final snapshot of the whole stream",
     [(x["window"], x.get("final"), x["packets"], x["bytes"]) for x in s],
     [("all", True, len(recs), sum(lens))])
same("file: window from the first packet to the last",
     (tns(s[0]["window_start"]), tns(s[0]["window_end"])), (times[0], times[-1]))
check_bandwidth("file", s[0], list(zip(times, lens)))
same("file: no bucket empty", min(s[0]["bandwidth"]["bytes"]) > 0, True)
same("file: average 10.4 Mbit/s", round(s[0]["bandwidth"]["avg_bps"] / 1e5), 104)

# --window all asks for it by name, also on a live source; Window = auto
# there means 60 s sliding, with a snapshot every 10 s.
live = {"live": True}


def run_live(recs, *args):
    head = msgpack.packb({"tsa": 1, "kind": "packets", "tools": [["whole.t"]], "live": True})
    return run(None, *args, data=head + b"".join(msgpack.packb(r) for r in recs))


recs = [pkt(T + i, "10.0.0.1", "192.0.2.1", length=100 + i) for i in range(100)]
_, out = run_live(recs, "--window", "all")
s = snapshots(out)
same("--window all on a live source: cumulative snapshots every 10 s",
     [(x["window"], x["packets"], tns(x["window_start"]) // NS - T) for x in s],
     [("all", 10 * k, 0) for k in range(1, 10)] + [("all", 100, 0)])
_, out = run_live(recs)
s = snapshots(out)
same("auto on a live source: 60 s sliding, every 10 s",
     [(x["window"], x["packets"], tns(x["window_end"]) // NS - T) for x in s[:-1]],
     [("60s", min(10 * k, 60), 10 * k) for k in range(1, 10)])
# (a live source's final snapshot ends when its input did: just after 99 s)
end = tns(s[-1]["window_end"]) - T * NS
same("auto on a live source: the final 60 s, when the input ended",
     (s[-1]["window"], s[-1].get("final"), end >= 99 * NS, s[-1]["packets"]),
     ("60s", True, True, sum(1 for i in range(100) if end - 60 * NS <= i * NS <= end)))
_, out = run(recs, settings="[aggregate]\nWindow = 60s\n")
same("Every = auto on a file with a sliding window: every 10 s",
     len(snapshots(out)), 10)

# --every with the whole stream: cumulative, start to each boundary, so that
# a long file shows its progress.
_, out = run(recs, "--every", "30s")
s = snapshots(out)
same("--every: cumulative snapshots",
     [(tns(x["window_start"]) // NS - T, tns(x["window_end"]) // NS - T, x["packets"],
       x["bytes"], x.get("final", False)) for x in s],
     [(0, 30, 30, sum(range(100, 130)), False), (0, 60, 60, sum(range(100, 160)), False),
      (0, 90, 90, sum(range(100, 190)), False), (0, 99, 100, sum(range(100, 200)), True)])
check_bandwidth("--every 30s at 60 s", s[1],
                [((T + i) * NS, 100 + i) for i in range(60)] + [((T + 60) * NS, 0)])

# A packet older than the first, later in the stream (captures merged out
# of order): counted, at its own time; the window starts there.
recs = [pkt(T + 100 + i, "10.0.0.1", "192.0.2.1", length=100 + i) for i in range(50)]
recs += [pkt(T + 20, "10.0.0.1", "192.0.2.1", length=7)]
recs += [pkt(T + 150 + i, "10.0.0.1", "192.0.2.1", length=1000 + i) for i in range(5)]
_, out = run(recs)
s = snapshots(out)
same("step back before the first packet: one snapshot of all, from there",
     [(x["packets"], tns(x["window_start"]) // NS - T, tns(x["window_end"]) // NS - T,
       x.get("out_of_order"), x.get("epoch")) for x in s], [(56, 20, 154, 1, None)])
tl = [((T + 100 + i) * NS, 100 + i) for i in range(50)] + [((T + 20) * NS, 7)] + \
     [((T + 150 + i) * NS, 1000 + i) for i in range(5)]
bw = s[0]["bandwidth"]
same("step back before the first: bandwidth from at most one fine bucket before it",
     0 <= (T + 20) * NS - tns(bw["start"]) < bw["bucket_ns"], True)
same("step back before the first: bytes per bucket",
     bw["bytes"], [sum(n for t, n in tl if tns(bw["start"]) + i * bw["bucket_ns"] <= t <
                       tns(bw["start"]) + (i + 1) * bw["bucket_ns"]) for i in range(25)])

# Years apart (ndpi-zoom spans 3 years): buckets of weeks, still exact.
tl = [(T * NS, 100), ((T + 86400 * 400) * NS + 123, 200), ((T + 86400 * 1200) * NS + 7, 300)]
recs = [pkt(0, "10.0.0.1", "192.0.2.1", length=n) for _, n in tl]
for r, (t, _) in zip(recs, tl):
    r["timestamp"] = msgpack.Timestamp(t // NS, t % NS)
_, out = run(recs)
check_bandwidth("1200 days", snapshots(out)[0], tl)

# More addresses than the host table holds: those without an entry are
# still counted under their own country and side; the snapshot says how
# many endpoints had no entry.  Counted here per packet.
rng = random.Random(9)
cc = ["DE", "FR", "JP", "BR"]
recs, want = [], {}
for i in range(600):
    a = f"{20 + i % 200}.1.{i % 7}.9"
    c = cc[i % 200 % 4]
    local = i % 3 == 0
    src, dst = ("192.168.0.1", a) if local else (a, f"{30 + i % 50}.2.0.1")
    kw = {"dst_country": c} if local else {"src_country": c, "dst_country": cc[(i % 50) % 4]}
    recs.append(pkt(T + i, src, dst, length=100 + i, **kw))
    keys = {c} if local else {c, cc[(i % 50) % 4]}
    for k in keys:
        w = want.setdefault(k, [0, 0])
        w[0] += 1
        w[1] += 100 + i
_, out = run(recs, "-l", "192.168.0.0/16", settings="[aggregate]\nHostTableSize = 16\n")
s = snapshots(out)[-1]
same("host table full: countries counted per packet",
     {c["country"]: [c["packets"], c["bytes"]] for c in s["countries"]}, want)
same("host table full: at most 16 distinct hosts", sum(c["hosts"] for c in s["countries"]) <= 16,
     True)
same("host table full: the endpoints without an entry, counted",
     s.get("hosts_overflow", 0) > 0 and s.get("hosts_overflow") <= 2 * 600, True)

# Memory: the tables bound it, not the length of the stream.  Small tables
# fill within the first 100,000 packets; ten times as many cost no more.
ini = os.path.join(TMP, "small.ini")
with open(ini, "w") as f:
    f.write("[aggregate]\nHostTableSize = 1024\nScanTableSize = 1024\nDomainCacheSize = 1024\n")


def peak_rss(n):
    # (run by a shell: a process's peak RSS includes its parent's at exec)
    p = subprocess.run(f"set -o pipefail; '{BIN}/tsa-gen' --packets {n} --seed 3 -o - | "
                       f"'{BIN}/tsa-capture' -q -r - | "
                       f"'{BIN}/tsa-aggregate' --settings '{ini}' -v >/dev/null",
                       shell=True, executable="/bin/bash", capture_output=True, check=True)
    return int(p.stderr.decode().split("peak RSS ")[1].split()[0])


small, large = peak_rss(100000), peak_rss(1000000)
print(f"peak RSS: {small} KiB for 100,000 packets, {large} KiB for 1,000,000")
same("memory: ten times the packets, at most 1 MiB more", large - small <= 1024, True)
done()
