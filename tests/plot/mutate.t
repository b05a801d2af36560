#!/usr/bin/python3
# Hostile snapshots: values swapped for other types, lists for maps, huge
# and negative numbers, deep nesting; then bytes flipped at random.  Every
# run must end with status 0 or 1 and at most one-line messages - never a
# crash, a sanitizer report or a hang.  The seed is fixed: failures repeat.
import os
import random
import subprocess
import sys

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
rng = random.Random(20261126)
fails = 0

ODD = [None, True, -1, 2 ** 64 - 1, -2 ** 63, 1.5e308, float("nan"),
       float("-inf"), "", "x" * 3000, "\x00\n'\"<>&", b"\x01\x02",
       b"\xff" * 16, [], {}, [[[[[]]]]], {"a": {"b": {"c": []}}},
       msgpack.Timestamp(2 ** 33, 999999999), msgpack.Timestamp(0, 0),
       msgpack.ExtType(5, b"zz")]


def mutate(v, depth=0):
    if rng.random() < 0.15:
        return rng.choice(ODD)
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if rng.random() < 0.05:
                continue
            out[k] = mutate(x, depth + 1)
        if rng.random() < 0.1:
            out[rng.choice(list(v) or ["k"])] = rng.choice(ODD)
        return out
    if isinstance(v, list):
        out = [mutate(x, depth + 1) for x in v]
        if rng.random() < 0.1:
            out = out * rng.randint(2, 20)
        return out
    return v


def run(data, what):
    global fails
    r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only",
                        "-o", os.path.join(TMP, "out")], input=data,
                       capture_output=True, timeout=300)
    err = r.stderr.decode("utf-8", "replace")
    lines = [l for l in err.splitlines() if not l.startswith("Try ")]
    ok = r.returncode in (0, 1) and all(l.startswith("tsa-plot: ")
                                        for l in lines)
    if not ok:
        fails += 1
        print("FAIL  %s: status %d\n%s" % (what, r.returncode, err[-3000:]))
    return ok


head = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []})
base = snapshot.snapshot(0)
# Structural mutations: well-formed msgpack, so one stream holds them all.


def mutated():
    m = mutate(base)
    return dict(m if isinstance(m, dict) else {}, type="snapshot",
                final=True)


recs = [msgpack.packb(mutated()) for _ in range(150)]
if run(head + b"".join(recs), "150 mutated snapshots in one stream"):
    print("ok    150 mutated snapshots")
# Whatever the values, the scripts must be ones gnuplot runs: draw a few
# mutated snapshots for real.
for i in range(6):
    data = head + msgpack.packb(mutated())
    r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--size", "640x360",
                        "-o", os.path.join(TMP, "drawn")], input=data,
                       capture_output=True, timeout=300)
    ok = r.returncode == 0
    fails += not ok
    print("%s  mutated snapshot %d drawn by gnuplot (status %d) %s" % (
        "ok  " if ok else "FAIL", i, r.returncode,
        r.stderr.decode("utf-8", "replace")[-2000:]))
# Byte flips: each stream stops at its first malformed record.
good = msgpack.packb(base)
n = 0
for i in range(40):
    b = bytearray(good)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    n += run(head + bytes(b) + good, "byte flips, seed round %d" % i)
print("ok    %d of 40 byte-flipped streams handled" % n)
sys.exit(1 if fails else 0)
