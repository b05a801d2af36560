#!/usr/bin/python3
# A live stream re-renders the set for every snapshot, and a viewer reading
# the pictures meanwhile never sees half of one: every read of world.png
# (and countries.png) while tsa-plot works is a whole PNG, ending in IEND.
import os
import struct
import subprocess
import sys
import threading
import time

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
OUT = os.path.join(TMP, "out")
fails = 0


def check(ok, what):
    global fails
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        fails += 1


def whole_png(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return False
    pos = 8
    while pos + 12 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        pos += 12 + n
        if kind == b"IEND":
            return pos == len(data)
    return False


reads = {"whole": 0, "broken": 0}
versions = set()
done = threading.Event()


def viewer():
    while not done.is_set():
        for name in ("world.png", "countries.png"):
            try:
                with open(os.path.join(OUT, name), "rb") as f:
                    data = f.read()
            except FileNotFoundError:
                continue
            if whole_png(data):
                reads["whole"] += 1
                versions.add(hash(data))
            else:
                reads["broken"] += 1
        time.sleep(0.005)


t = threading.Thread(target=viewer)
t.start()
p = subprocess.Popen([os.path.join(BIN, "tsa-plot"), "--size", "800x450",
                      "-o", OUT], stdin=subprocess.PIPE)
p.stdin.write(msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []}))
for k in range(3):
    s = snapshot.snapshot(k, final=k == 2)
    # Traffic changes between snapshots, so each render differs.
    s["countries"][0]["packets"] = 10 ** (k + 3)
    p.stdin.write(msgpack.packb(s))
    p.stdin.flush()
    time.sleep(0.5)
p.stdin.close()
rc = p.wait(timeout=300)
done.set()
t.join()
check(rc == 0, "tsa-plot exits 0")
check(reads["broken"] == 0 and reads["whole"] > 10,
      "%d reads of whole PNGs, %d of broken ones" % (reads["whole"],
                                                   reads["broken"]))
check(len(versions) >= 4, "the pictures changed while the viewer read "
      "them (%d versions)" % len(versions))
gp = open(os.path.join(OUT, "world.gp"), encoding="utf-8").read()
check("V[" in gp and "= 100000\t# US" in gp, "the last snapshot's values "
      "are drawn (US 100000)")

# Stopped mid-render (SIGTERM, as a service manager would), it leaves no
# temporary file behind and ends by the signal.
import signal
stop = os.path.join(TMP, "stop")
p = subprocess.Popen([os.path.join(BIN, "tsa-plot"), "-o", stop],
                     stdin=subprocess.PIPE)
p.stdin.write(msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []}))
p.stdin.write(b"".join(msgpack.packb(snapshot.snapshot(k)) for k in range(5)))
p.stdin.flush()
seen = False
for _ in range(3000):
    if os.path.isdir(stop) and any(n.startswith(".")
                                   for n in os.listdir(stop)):
        seen = True
        break
    time.sleep(0.002)
p.send_signal(signal.SIGTERM)
rc = p.wait(timeout=60)
time.sleep(0.2)
# Polling may miss the moment on a fast machine: the other checks hold
# either way (five snapshots take seconds to draw, so it was mid-run).
print("note  %s" % ("stopped while temporary files existed" if seen else
                    "no temporary file seen before the signal"))
check(rc == -signal.SIGTERM, "ended by SIGTERM (status %d)" % rc)
left = [n for n in os.listdir(stop) if n.startswith(".")]
check(not left, "no temporary files left: %s" % left)
sys.exit(1 if fails else 0)
