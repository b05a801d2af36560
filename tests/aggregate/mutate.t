#!/usr/bin/python3
"""Damaged input never crashes tsa-aggregate (plain, --merge) or tsa-print's
tables: random byte flips in a real packet stream and in its snapshot
stream end with status 0 or 1 and a one-line message, never a signal.
Run under make asan, this also checks every read for bounds."""
import os, random, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

PCAPS = os.environ["PCAPS"]
tsatest.need_pcaps()
rng = random.Random(7)
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r",
                      os.path.join(PCAPS, "ppp-example.pcap")],
                     capture_output=True, check=True).stdout[:200000]
# the header stays intact: damage goes into the records
u = msgpack.Unpacker(raw=False)
u.feed(cap)
u.unpack()
head_len = u.tell()
snaps = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "-e", "1s", "-w", "3s"],
                       input=cap, capture_output=True).stdout


def flip(data, start, n):
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(start, len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


def check(what, cmd, data):
    p = subprocess.run(cmd, input=data, capture_output=True)
    if p.returncode not in (0, 1):
        print(f"FAIL {what}: status {p.returncode}: {p.stderr.decode(errors='replace')[-2000:]}")
        return 1
    return 0


agg = [os.path.join(BIN, "tsa-aggregate"), "-e", "1s", "-w", "3s"]
bad = 0
for i in range(25):
    bad += check(f"packets, round {i}", agg, flip(cap, head_len, 1 + i))
    bad += check(f"packets --pass, round {i}", agg + ["--pass", "-w", "50"], flip(cap, head_len, 3))
sh = len(msgpack.packb(read(snaps)[0]))
mpath = os.path.join(TMP, "good.snap")
with open(mpath, "wb") as f:
    f.write(snaps)
for i in range(25):
    damaged = flip(snaps, sh, 1 + i % 8)
    bad += check(f"tables, round {i}", [os.path.join(BIN, "tsa-print")], damaged)
    bad += check(f"merge, round {i}", [os.path.join(BIN, "tsa-aggregate"), "--merge", "-",
                                       mpath], damaged)
same("no crash on damaged input", bad, 0)
done()
