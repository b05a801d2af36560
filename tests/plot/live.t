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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


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
stop_feeding = threading.Event()


def viewer():
    while not stop_feeding.is_set():
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
stop_feeding.set()
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

# A service manager's stop (SIGTERM to every process: tsa-plot and the
# gnuplots drawing) mid-render: tsa-plot reads on to the end of its input,
# the figures being drawn are finished, the final snapshot drawn, exit 0.
import signal


def children(pid):
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        return [int(x) for x in f.read().split()]


def mid_render(out):
    """tsa-plot drawing five snapshots; returns once gnuplot runs."""
    p = subprocess.Popen([os.path.join(BIN, "tsa-plot"), "-o", out],
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdin.write(msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []}))
    p.stdin.write(b"".join(msgpack.packb(snapshot.snapshot(k))
                           for k in range(5)))
    p.stdin.flush()
    for _ in range(3000):
        if children(p.pid):
            break
        time.sleep(0.002)
    return p


stop = os.path.join(TMP, "stop")
p = mid_render(stop)
drawing = children(p.pid)
for pid in [p.pid] + drawing:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
time.sleep(0.5)
# (No gnuplot caught drawing would test nothing of the figures: a failure.)
check(p.poll() is None and len(drawing) > 0, "one SIGTERM: tsa-plot reads "
      "on (%d gnuplots were drawing)" % len(drawing))
p.stdin.write(msgpack.packb(snapshot.snapshot(5, final=True)))
p.stdin.close()
rc = p.wait(timeout=300)
err = p.stderr.read().decode()
check(rc == 0 and err == "", "then the end of its input: exit 0, no figure "
      "lost: %r" % err)
page = open(os.path.join(stop, "index.html"), encoding="utf-8").read()
check('http-equiv="refresh"' not in page and "08:00:50 - 08:01:50" in page,
      "the final snapshot's page, without the reload")
check(not [n for n in os.listdir(stop) if n.startswith(".")],
      "no temporary files left")

# A terminal's Ctrl-C: SIGINT to the foreground process group.  gnuplot
# catches SIGINT itself and would give up its figure: it runs in a group
# of its own, so tsa-plot reads on and every figure is drawn.
ctrlc = os.path.join(TMP, "ctrlc")
p = subprocess.Popen([os.path.join(BIN, "tsa-plot"), "-o", ctrlc],
                     stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                     start_new_session=True)
p.stdin.write(msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []}))
p.stdin.write(b"".join(msgpack.packb(snapshot.snapshot(k)) for k in range(3)))
p.stdin.flush()


def gnuplots(pid):
    """tsa-plot's gnuplots (past exec: a child just forked catches SIGINT
    with tsa-plot's handler) that catch SIGINT by now: gnuplot installs
    its handler when it starts to plot."""
    out = []
    for c in children(pid):
        try:
            with open("/proc/%d/status" % c) as f:
                cgt = f.read().split("SigCgt:")[1].split()[0]
            if "gnuplot" in os.readlink("/proc/%d/exe" % c) and \
                    int(cgt, 16) & 1 << (signal.SIGINT - 1):
                out.append(c)
        except (OSError, IndexError):
            pass
    return out


for _ in range(5000):
    if gnuplots(p.pid):
        break
    time.sleep(0.002)
plotting = gnuplots(p.pid)
drawing = len(plotting)
groups = [os.getpgid(g) for g in plotting]
os.killpg(p.pid, signal.SIGINT)
time.sleep(0.3)
p.stdin.write(msgpack.packb(snapshot.snapshot(3, final=True)))
p.stdin.close()
rc = p.wait(timeout=300)
err = p.stderr.read().decode()
check(groups == plotting, "each gnuplot leads a process group of its own "
      "(%s, tsa-plot's is %d)" % (groups, p.pid))
check(drawing > 0 and rc == 0 and err == "", "Ctrl-C to the process group "
      "while %d gnuplot plotted: exit 0, no figure lost: %r" % (drawing, err))

# A second signal ends tsa-plot at once, by the signal, and leaves no
# temporary file behind (nor a gnuplot running).
stop2 = os.path.join(TMP, "stop2")
p = mid_render(stop2)
drawing = children(p.pid)
p.send_signal(signal.SIGTERM)
time.sleep(0.1)
p.send_signal(signal.SIGTERM)
rc = p.wait(timeout=60)
check(rc == -signal.SIGTERM, "a second SIGTERM ends it (status %d)" % rc)
left = [n for n in os.listdir(stop2) if n.startswith(".")]
check(not left, "no temporary files left: %s" % left)
alive = [pid for pid in drawing if os.path.exists("/proc/%d" % pid) and
         open("/proc/%d/stat" % pid).read().split()[2] != "Z"]
check(not alive, "no gnuplot left running: %s" % alive)
done()
