#!/usr/bin/python3
"""--merge on large and hostile snapshot streams (issue 16): merging two
50,000-host, 50,000-domain snapshots costs about ten times what two 5,000
ones do (CPU time, best of three, within 15 times: a linear search made it
150 times); a snapshot in the year 3000 with NaN, infinite, negative and
huge numbers merges without a sanitizer report (make asan runs this under
UBSan), its times kept exactly, no float of the input used."""
import math, os, random, resource, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1700000000


def snap(n, seed, t0=T, **kw):
    rng = random.Random(seed)
    hosts = [{"addr": bytes([11 + (i >> 16), (i >> 8) & 255, i & 255, seed]), "country": "DE",
              "packets": rng.randrange(1, 1000), "bytes": rng.randrange(1, 10**6)}
             for i in range(n)]
    doms = [{"domain": f"d{i}-{seed}.example", "packets": 1, "bytes": 10, "hosts": 1,
             "countries": ["DE"], "os": [], "apps": [], "dists": []} for i in range(n)]
    s = {"type": "snapshot", "window_start": msgpack.Timestamp(t0, 0),
         "window_end": msgpack.Timestamp(t0 + 60, 0), "window": "all", "final": True,
         "packets": n, "bytes": 10 * n,
         "countries": [{"country": "DE", "packets": n, "bytes": 10 * n, "hosts": n}],
         "domains": doms, "os": [], "hosts": hosts,
         "bandwidth": {"start": msgpack.Timestamp(t0, 0), "bucket_ns": 2400000000,
                       "bps": [0.0] * 25, "bytes": [0] * 24 + [10 * n], "avg_bps": 0.0},
         "alerts": []}
    s.update(kw)
    return s


def write(name, recs):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(stream(recs, kind="snapshots"))
    return path


def merge(*paths):
    """CPU seconds of the merge (best of three), and its output."""
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge", "--top-hosts",
                            "100000", "--top-domains", "100000"] + list(paths),
                           capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best = t if best is None else min(best, t)
    return best, p


small = [write(f"s{i}.snap", [snap(5000, i)]) for i in (1, 2)]
large = [write(f"l{i}.snap", [snap(50000, i)]) for i in (1, 2)]
ts_, ps = merge(*small)
tl, pl = merge(*large)
print(f"5,000 hosts: {ts_:.3f} s, 50,000 hosts: {tl:.3f} s, ratio {tl / ts_:.1f}")
m = snapshots(read(pl.stdout)[1])
same("50,000: every host and domain of both, counts added",
     [(len(x["hosts"]), len(x["domains"]), x["packets"], x["sensors"]) for x in m],
     [(100000, 100000, 100000, 2)])
same("50,000: ten times the entries, at most 15 times the time", tl <= 15 * ts_, True)

# Hostile values: the year 3000, floats that are not numbers, counts at
# the top of their range.
Y3000 = 32503680000
nan, inf = float("nan"), float("inf")
far = snap(3, 7, t0=Y3000, packets=2**64 - 1, bandwidth={
    "start": msgpack.Timestamp(Y3000, 5), "bucket_ns": 2**64 - 1,
    "bps": [nan, inf, -inf, 1e308], "bytes": [100, 200, 0, 2**64 - 1], "avg_bps": nan})
far["hosts"][0]["packets"] = 2**64 - 1
near = snap(3, 7, bandwidth={"start": msgpack.Timestamp(T, 0), "bucket_ns": 15 * 10**9,
                             "bps": [-1.0, nan, 2.0, inf], "bytes": [1, 2, 3, 4],
                             "avg_bps": -inf})
p = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge", write("far.snap", [far]),
                    write("near.snap", [near])], capture_output=True)
same("year 3000 and NaN: exit 0, nothing on stderr", (p.returncode, p.stderr.decode()), (0, ""))
s = snapshots(read(p.stdout)[1])[0]
same("year 3000: window from the earlier start to the year 3000, exactly",
     (s["window_start"], s["window_end"]),
     (msgpack.Timestamp(T, 0), msgpack.Timestamp(Y3000 + 60, 0)))
same("counts saturate", (s["packets"], s["hosts"][0]["packets"]), (2**64 - 1, 2**64 - 1))
bw = s["bandwidth"]
same("bandwidth: finite, not negative",
     all(math.isfinite(x) and x >= 0 for x in bw["bps"] + [bw["avg_bps"]]), True)
same("bandwidth: no bucket's bytes lost (saturating at the top)",
     sum(bw["bytes"]) >= 2**64 - 1 and min(bw["bytes"]) >= 0, True)

# A key that repeats in a snapshot (found by fuzz/aggregate_merge: the
# second "window" string replaced the first without freeing it, a leak that
# make asan reports): the first is kept, the rest of the record still read.
twice = msgpack.Packer().pack_map_pairs(
    [("window", "60s")] + list(snap(2, 8).items()) + [("window", "1d")])
path = os.path.join(TMP, "twice.snap")
with open(path, "wb") as f:
    f.write(stream([], kind="snapshots") + twice)
p = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge", path, path],
                   capture_output=True)
same("a repeated key: exit 0, nothing on stderr", (p.returncode, p.stderr.decode()), (0, ""))
s = snapshots(read(p.stdout)[1])[0]
same("a repeated key: the first window, both sensors' packets",
     (s["window"], s["packets"], s["sensors"]), ("60s", 4, 2))
done()
