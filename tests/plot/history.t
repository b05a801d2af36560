#!/usr/bin/python3
# The run's history (history.tsv beside the page): a point per snapshot,
# continued by a tsa-plot started again on the same directory, started
# afresh by a stream from an earlier time, bounded, and read safely: a
# line that is not a point is skipped with a warning naming the file and
# line, and a link planted under its name is neither read nor written
# through.
import os
import subprocess
import sys

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
OUT = os.path.join(TMP, "out")
HIST = os.path.join(OUT, "history.tsv")
MAX = 2048  # history.h HISTORY_MAX
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


def stream(count, shift=0):
    """snapshot.py's stream, its times moved by shift seconds."""
    raw = subprocess.run([sys.executable, os.path.join(HERE, "snapshot.py"),
                          "--count", str(count)], capture_output=True,
                         check=True).stdout
    u = msgpack.Unpacker(raw=False)
    u.feed(raw)
    recs = list(u)
    out = msgpack.packb(recs[0])
    for r in recs[1:]:
        for k in ("window_start", "window_end"):
            if k in r:
                r[k] = msgpack.Timestamp(r[k].seconds + shift,
                                         r[k].nanoseconds)
        out += msgpack.packb(r)
    return out


def plot(data):
    return subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only",
                           "-o", OUT, "-"], input=data, capture_output=True)


def points():
    with open(HIST) as f:
        return [tuple(int(x) for x in l.split()) for l in f
                if not l.startswith("#")]


total = sum(c[1] for c in snapshot.COUNTRIES)
countries = len([c for c in snapshot.COUNTRIES if len(c[0]) == 2])
T0 = snapshot.T0

r = plot(stream(3))
check(r.returncode == 0, "tsa-plot exits 0: %s" % r.stderr.decode())
want = [((T0 + 60 + 10 * k) * 10**9, total, sum(c[2] for c in
         snapshot.COUNTRIES), countries, 1) for k in range(3)]
check(points() == want, "a point per snapshot: %s" % points()[:1])
check("trend.gp" in open(os.path.join(OUT, "index.html")).read(),
      "the page links the trend chart")
trend = open(os.path.join(OUT, "trend.gp")).read()
check("%d.000 %d" % (T0 + 80, total) in trend, "trend.gp holds the points")

# Started again on the same directory, a later stream continues it.
r = plot(stream(2, shift=1000))
later = [((T0 + 1060 + 10 * k) * 10**9,) + want[0][1:] for k in range(2)]
check(r.returncode == 0 and points() == want + later,
      "a restarted tsa-plot continues the history (%d points)"
      % len(points()))
# The same stream again ends before the last point: another run.
r = plot(stream(3))
check(points() == want, "a stream from an earlier time starts afresh")

# Lines that are not points are skipped, with one warning naming them.
with open(HIST, "a") as f:
    f.write("garbage\n%d 1 2 3\n" % ((T0 + 2000) * 10**9))
r = plot(stream(1, shift=3000))
err = r.stderr.decode()
check("history.tsv:7: 2 lines not a history point" in err,
      "bad lines named: %r" % err)
check(len(points()) == 4, "the good points kept, the new one added")

# Bounded: a full history thins its older half, keeps the first point.
with open(HIST, "w") as f:
    for i in range(MAX):
        f.write("%d %d 0 0 0\n" % ((T0 + i) * 10**9, i))
r = plot(stream(1, shift=10**6))
p = points()
check(len(p) <= MAX and p[0][1] == 0 and p[-1][0] == (T0 + 10**6 + 60)
      * 10**9 and p[-2][1] == MAX - 1,
      "at most %d points, first and newest kept (%d)" % (MAX, len(p)))

# A link planted as history.tsv: not read, and replaced, not written
# through.
secret = os.path.join(TMP, "secret")
with open(secret, "w") as f:
    f.write("%d 99 99 99 99\n" % ((T0 + 60) * 10**9))
os.unlink(HIST)
os.symlink(secret, HIST)
r = plot(stream(1))
check(r.returncode == 0 and "history.tsv" in r.stderr.decode(),
      "a link is not read: %r" % r.stderr.decode())
check(not os.path.islink(HIST) and open(secret).read().startswith(
      "%d 99" % ((T0 + 60) * 10**9)), "nor written through")
check(points() == want[:1], "the history starts afresh")

done()
