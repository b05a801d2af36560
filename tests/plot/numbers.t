#!/usr/bin/python3
# Every number in a snapshot comes from the wire (issue 16, item 9): rates
# that are infinite, NaN, negative, tiny or huge, counts at 2^64 - 1, buckets
# of a nanosecond or of 584 years, times far from now.  Each snapshot is
# drawn by gnuplot for real: exit 0, not a word on stderr (gnuplot's
# warnings included), every PNG whole and of its size, and no script holds
# a number gnuplot cannot read.  Before the fix, 5,000 buckets of 2^64 ns
# kept gnuplot busy for minutes.  A gnuplot that hangs anyway is stopped
# after [plot] GnuplotTimeout seconds.
import os
import re
import stat
import subprocess
import sys
import time

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
from pngcheck import png_size
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
PLOT = os.path.join(BIN, "tsa-plot")
HEAD = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []})
INF, NAN, T0 = float("inf"), float("nan"), snapshot.T0
U64 = 2 ** 64 - 1
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


def bw(bps, nbytes=None, bucket=2400000000, start=T0, avg=None):
    b = {"start": msgpack.Timestamp(start), "bucket_ns": bucket, "bps": bps,
         "bytes": nbytes if nbytes is not None else [1000] * len(bps)}
    if avg is not None:
        b["avg_bps"] = avg
    return b


CASES = {
    "infinite and NaN rates": {"bandwidth": bw([INF, NAN, -INF, 5e5], avg=INF)},
    "negative rates": {"bandwidth": bw([-1.0, -5e9, 2e5], avg=-3.0)},
    "huge rates": {"bandwidth": bw([1e308, 1.7e308, 0.0], [U64, 5, 0],
                                   avg=1.7e308)},
    "tiny rates": {"bandwidth": bw([5e-324, 1e-300], [0, 0], avg=5e-324)},
    "all zero": {"bandwidth": bw([0.0] * 25, [0] * 25, avg=0.0)},
    "1 ns buckets": {"bandwidth": bw([1.0] * 1000, bucket=1)},
    "2^64 ns buckets": {"bandwidth": bw([1.0] * 5000, bucket=U64,
                                        start=-2 ** 33)},
    "a start in 2242": {"bandwidth": bw([1.0, 2.0], start=2 ** 33)},
    "window ends before it starts": {
        "window_start": msgpack.Timestamp(T0 + 60),
        "window_end": msgpack.Timestamp(T0),
        "bandwidth": {"bucket_ns": 0, "bps": [1.0, 2.0], "bytes": [1, 2]}},
    "counts of 2^64 - 1": {
        "packets": U64, "bytes": U64,
        "countries": [{"country": "US", "packets": U64, "bytes": U64,
                       "hosts": U64},
                      {"country": "US", "packets": U64, "bytes": U64},
                      {"country": "DE", "packets": 1, "bytes": 1}],
        "domains": [{"domain": "x.example", "packets": U64, "bytes": U64}],
        "os": [{"os": "Linux", "hosts": U64, "packets": U64}]},
    "floats where counts go": {
        "packets": 1.5, "countries": [{"country": "DE", "packets": INF,
                                       "bytes": NAN, "hosts": -1.0}]},
}
SIZES = {"world": (640, 360), "countries": (640, None), "domains": (640, None),
         "os": (640, None), "bandwidth": (640, 270)}
NUMBER = re.compile(r"(?<![\w'])-?(nan|inf)(?![\w'])")
for name, change in CASES.items():
    s = snapshot.snapshot(0, final=True)
    s.update(change)
    out = os.path.join(TMP, re.sub(r"\W+", "-", name))
    start = time.time()
    r = subprocess.run([PLOT, "-o", out, "--size", "640x360"],
                       input=HEAD + msgpack.packb(s), capture_output=True,
                       timeout=600)
    secs = time.time() - start
    err = r.stderr.decode("utf-8", "replace")
    check(r.returncode == 0 and err == "", "%s: exit 0, nothing on stderr "
          "(%.1f s): %r" % (name, secs, err[:300]))
    for fig, (w, h) in SIZES.items():
        got = png_size(os.path.join(out, fig + ".png"))
        check(got[0] == w and (h is None or got[1] == h),
              "%s: %s.png is a %s PNG (%dx%d)" % (name, fig, "%dx%s" % (
                  w, h or "any"), got[0], got[1]))
        with open(os.path.join(out, fig + ".gp"), encoding="utf-8") as f:
            bad = [l for l in f if not l.lstrip().startswith("#") and
                   NUMBER.search(re.sub(r"'[^']*'", "", l))]
        check(not bad, "%s: %s.gp holds no nan or inf: %s" % (name, fig,
                                                             bad[:2]))

# A gnuplot that never finishes: stopped after GnuplotTimeout, the old
# picture kept, one line, and tsa-plot goes on.
slow_dir = os.path.join(TMP, "slowbin")
os.mkdir(slow_dir)
slow = os.path.join(slow_dir, "gnuplot")
with open(slow, "w") as f:
    f.write("#!/bin/sh\nexec sleep 600\n")
os.chmod(slow, 0o755)
ini = os.path.join(TMP, "slow.ini")
with open(ini, "w") as f:
    f.write("[plot]\nGnuplotTimeout = 2\n")
out = os.path.join(TMP, "slow")
os.mkdir(out)
with open(os.path.join(out, "os.png"), "wb") as f:
    f.write(b"the old picture")
start = time.time()
r = subprocess.run([PLOT, "--settings", ini, "--gnuplot", slow, "-o", out],
                   input=HEAD + msgpack.packb(snapshot.snapshot(0, final=True)),
                   capture_output=True, timeout=300)
secs = time.time() - start
err = r.stderr.decode()
lines = err.splitlines()
STOPPED = re.compile(r"tsa-plot: .*/([\w-]+)\.gp: gnuplot still drawing after "
                     r"2 s \(\[plot\] GnuplotTimeout\), stopped; \1\.png left "
                     r"as it was$")
scripts = [n for n in os.listdir(out) if n.endswith(".gp")]
check(r.returncode == 1 and len(lines) == len(scripts) and
      all(STOPPED.match(l) for l in lines),
      "each hung figure stopped, one line each: %r" % err)
check(secs < 20, "%d figures, two at a time, in %.1f s (not 600)"
      % (len(scripts), secs))
check(open(os.path.join(out, "os.png"), "rb").read() == b"the old picture",
      "the old picture is kept")
check(os.path.exists(os.path.join(out, "index.html")), "the page is written")
check(not [n for n in os.listdir(out) if n.startswith(".")],
      "no temporary file left")
done()
