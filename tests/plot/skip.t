#!/usr/bin/python3
# A live pipeline that sends snapshots faster than tsa-plot draws: a
# snapshot whose successor is already waiting is not drawn, the newest is
# as soon as the input goes quiet, every one goes into the history, and
# the page and -v say how many were not drawn.  From a file, every
# snapshot is drawn.
import os
import subprocess
import sys
import time

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402
N = 20


def points(out):
    with open(os.path.join(out, "history.tsv")) as f:
        return [l for l in f if not l.startswith("#")]


head = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []})
burst = b"".join(msgpack.packb(snapshot.snapshot(k)) for k in range(N))
out = os.path.join(TMP, "live")
p = subprocess.Popen([os.path.join(BIN, "tsa-plot"), "--script-only", "-v",
                      "--refresh", "5", "-o", out], stdin=subprocess.PIPE,
                     stderr=subprocess.PIPE)
p.stdin.write(head + burst)
p.stdin.flush()
# Quiet input: the newest of the burst is drawn now, not at the end.
deadline = time.time() + 30
page = os.path.join(out, "index.html")
want = "2025-11-26 08:03:10 - 08:04:10 UTC"   # snapshot N - 1's window
while time.time() < deadline:
    if os.path.exists(page) and want in open(page).read():
        break
    time.sleep(0.2)
text = open(page).read() if os.path.exists(page) else ""
check(want in text, "the newest snapshot of the burst is drawn while the "
      "input is quiet")
check("not drawn (newer ones came first" in text,
      "the page says some were not drawn")
p.stdin.write(msgpack.packb(snapshot.snapshot(N, final=True)))
p.stdin.close()
err = p.stderr.read().decode()
p.wait(timeout=60)
check(p.returncode == 0, "exit 0 (%d)" % p.returncode)
words = err.split()
try:
    read, drawn, skipped = (int(words[words.index(w) - 1]) for w in
                            ("snapshots", "drawn,", "skipped"))
except (ValueError, IndexError):
    read = drawn = skipped = -1
check(read == N + 1 and skipped > 0 and drawn + skipped == read,
      "-v: %d read, %d drawn, %d skipped: %r" % (read, drawn, skipped, err))
check(len(points(out)) == N + 1, "every snapshot in the history (%d)"
      % len(points(out)))

# From a file: each is drawn.
f = os.path.join(TMP, "snaps.tsa")
with open(f, "wb") as fh:
    fh.write(head + burst + msgpack.packb(snapshot.snapshot(N, final=True)))
r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only", "-v",
                    "-o", os.path.join(TMP, "file"), f], capture_output=True,
                   text=True)
check(r.returncode == 0 and "%d snapshots read, %d drawn, 0 skipped"
      % (N + 1, N + 1) in r.stderr, "from a file every snapshot is drawn: %r"
      % r.stderr)
done()
