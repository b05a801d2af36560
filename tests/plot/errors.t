#!/usr/bin/python3
# Bad input, bad options, a missing or broken map file, a failing gnuplot:
# one-line messages naming the file, the documented exit status, and the
# previous pictures left alone.  Mistyped fields in a snapshot leave only
# those fields empty.
import os
import struct
import subprocess
import sys

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
PLOT = os.path.join(BIN, "tsa-plot")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


def run(args, data=None):
    r = subprocess.run([PLOT] + args, input=data, capture_output=True,
                       timeout=120)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def stream(*recs, kind="snapshots"):
    return msgpack.packb({"tsa": 1, "kind": kind, "tools": []}) + b"".join(
        msgpack.packb(r) for r in recs)


def one_line(err):
    return err.count("\n") == 1 and err.startswith("tsa-plot: ")


out = os.path.join(TMP, "out")
good = stream(snapshot.snapshot(0, final=True))

# Not snapshots.
pkts = stream({"timestamp": msgpack.Timestamp(1, 0), "length": 60},
              kind="packets")
rc, err = run(["--script-only", "-o", out], pkts)
check(rc == 1 and one_line(err) and "no snapshot records" in err,
      "a packet stream: exit 1, %r" % err)
rc, err = run(["--script-only", "-o", out], b"hello, world\n" * 10)
check(rc == 1 and err.startswith("tsa-plot: "), "not a stream: exit 1, %r"
      % err)
trunc = os.path.join(TMP, "trunc.tsa")
with open(trunc, "wb") as f:
    f.write(good + msgpack.packb(snapshot.snapshot(1))[:-40])
rc, err = run(["--script-only", "--last", "-o", out, trunc])
check(rc == 1 and trunc in err and "cut short" not in err,
      "a truncated snapshot: exit 1 naming the "
      "file, %r" % err)
check(os.path.exists(os.path.join(out, "index.html")),
      "the whole snapshot before it is still drawn")

# Options.
for args, what in ((["--size", "10x10"], "--size too small"),
                   (["--region", "atlantis"], "unknown region"),
                   (["--metric", "flows"], "unknown metric"),
                   (["--top", "0"], "--top 0"),
                   (["--bogus"], "unknown option"),
                   (["-o"], "-o without a directory")):
    rc, err = run((args + ["-o", out]) if args != ["-o"] else args, good)
    check(rc == 2 and err.startswith("tsa-plot: "), "%s: exit 2, %r"
          % (what, err.splitlines()[0] if err else ""))
# Numbers in settings.ini that would wrap in a narrower type: one line
# naming the file, line, section and key (lib/opts.h), exit 2.
ini = os.path.join(TMP, "wrap.ini")
for key, val, rng in (("Width", 4294969896, "from 480 to 8000"),
                      ("GnuplotTimeout", 4294967297, "from 1 to 86400"),
                      ("Refresh", 0, "from 1 to 86400")):
    with open(ini, "w") as f:
        f.write("[plot]\n%s = %d\n" % (key, val))
    rc, err = run(["--settings", ini, "--script-only", "-o", out], good)
    check(rc == 2 and err == 'tsa-plot: %s:2: [plot] %s: "%d" is out of '
          'range (%s)\n' % (ini, key, val, rng),
          "%s = %d refused: %r" % (key, val, err))
# [plot] Regions is the default; -r on the command line replaces it, and
# two -r add up (lib/opts: tsa_opt_in_settings).
with open(ini, "w") as f:
    f.write("[plot]\nRegions = europe\n")
for args, want in (([], ["europe"]), (["-r", "asia,africa"], ["africa", "asia"]),
                   (["-r", "asia", "-r", "oceania"], ["asia", "oceania"])):
    rdir = os.path.join(TMP, "regions-" + "-".join(want))
    rc, err = run(["--settings", ini, "--script-only", "-o", rdir] + args, good)
    drawn = sorted(f[:-3] for f in os.listdir(rdir) if f[:-3] in
                   ("europe", "asia", "africa", "oceania", "north-america",
                    "south-america"))
    check(rc == 0 and drawn == want, "Regions = europe with %s: %s (want %s) %r"
          % (args, drawn, want, err))
afile = os.path.join(TMP, "afile")
open(afile, "w").close()
rc, err = run(["--script-only", "-o", afile], good)
check(rc == 1 and one_line(err) and "not a directory" in err,
      "output is a file: %r" % err)

# The map data.
rc, err = run(["-D", os.path.join(TMP, "nothere.dat"), "-o", out], good)
check(rc == 1 and one_line(err) and "nothere.dat" in err,
      "missing map data: %r" % err)
bad = os.path.join(TMP, "bad.dat")
with open(bad, "w") as f:
    f.write("# test\ncountry DE 10 51 Germany\nring 3\n1 2\n3 4\n5 x\n")
rc, err = run(["-D", bad, "-o", out], good)
check(rc == 1 and one_line(err) and "bad.dat:6:" in err,
      "broken map data names file and line: %r" % err)
with open(bad, "w") as f:
    f.write("country DE 10 51 Germany\nring 4000000000\n")
rc, err = run(["-D", bad, "-o", out], good)
check(rc == 1 and "bad.dat:2:" in err, "absurd ring size: %r" % err)

# Mistyped and hostile fields: drawn with what is usable.
odd = snapshot.snapshot(0, final=True)
odd.update({
    "countries": [{"country": "DE", "packets": "many"}, 7,
                  {"country": 42, "packets": 5},
                  {"country": "BR", "packets": -3, "bytes": 2 ** 64 - 1},
                  {"country": "XX", "packets": 10},
                  {"country": "--", "packets": 99}],
    "domains": [{"domain": "a\nb'c", "dists": ["x", 3], "os": [1, "L"]},
                "x", {"packets": 5}],
    "hosts": [{"addr": b"\x01\x02\x03", "country": b"DE"}],
    "bandwidth": {"bps": ["a", -1, 3.5], "bytes": [1, "b"],
                  "bucket_ns": "x"},
    "alerts": [{"alert": "scan", "counts": [1, 2]}, {"counts": {"syn": "x"}}],
    "window": 20000,
    "os": {"not": "a list"},
})
big = os.path.join(TMP, "odd.tsa")
with open(big, "wb") as f:
    f.write(stream(odd))
rc, err = run(["-o", out, "--last", big])
check(rc == 0 and err == "", "mistyped fields: exit 0, %r" % err)
html = open(os.path.join(out, "index.html"), encoding="utf-8").read()
check("window 20000 packets" in html, "a count window shows as packets")
check("a?b&#39;c" in html, "control characters and quotes in names")

# An array header claiming four billion elements in a few bytes.
liar = bytearray(msgpack.packb({"type": "snapshot"}))
liar[0] += 1
liar += msgpack.packb("countries") + b"\xdd" + struct.pack(">I", 2 ** 32 - 1)
liar += msgpack.packb({"country": "DE", "packets": 1})
rc, err = run(["--script-only", "-o", out], stream() + bytes(liar))
check(rc == 1 and one_line(err) and "record 1" in err,
      "lying array length: exit 1, %r" % err)


# A failing gnuplot leaves the previous pictures in place.
rc, err = run(["-o", out, "--size", "800x450"], good)
before = open(os.path.join(out, "world.png"), "rb").read()
rc, err = run(["-o", out, "--gnuplot", "/bin/false"], good)
check(rc == 1 and "world.gp: gnuplot failed" in err,
      "failing gnuplot: exit 1, %r" % err.splitlines()[:1])
check(open(os.path.join(out, "world.png"), "rb").read() == before,
      "world.png left as it was")
check(not [n for n in os.listdir(out) if n.startswith(".")],
      "no temporary files left")
rc, err = run(["-o", out, "--gnuplot", os.path.join(TMP, "nogp")], good)
check(rc == 1 and "nogp" in err, "missing gnuplot named: %r"
      % err.splitlines()[:1])
done()
