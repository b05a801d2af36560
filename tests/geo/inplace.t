#!/usr/bin/python3
# A database rewritten in place under a running tsa-geo (issue 16.7): cp
# over the open file, a truncation to nothing, half a file written back.
# With the file mapped, the next lookup ended tsa-geo with SIGBUS and the
# rest of the stream was lost.  tsa-geo reads its own copy: it keeps going
# with the old answers (checked against mmdblookup on the original) and
# every record of a slow stream arrives, in order.  A file that keeps
# changing while tsa-geo reads it is refused with one line, not half-read.
import ipaddress
import os
import random
import select
import shutil
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

orig = default_db()
other = os.path.join(TOP, "data", "GeoLite2-Country.mmdb")
if not os.path.exists(other):
    print(f"{other} missing: run scripts/setup")
    sys.exit(77)
live = os.path.join(TMP, "live.mmdb")
shutil.copyfile(orig, live)
inode = os.stat(live).st_ino

# Public addresses, each new (the cache must not answer for the database).
rng = random.Random(16)
addrs = []
while len(addrs) < 400:
    a = ipaddress.IPv4Address(rng.getrandbits(32))
    if a.is_global and str(a) not in addrs:
        addrs.append(str(a))
want = [mmdblookup_country(orig, a) for a in addrs]
check(sum(w is not None for w in want) > 300, "most addresses have a country")

p = subprocess.Popen([GEO, "-d", live], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
unp = msgpack.Unpacker(raw=False)
got = []


def send(i, n):
    p.stdin.write(b"".join(msgpack.packb(packet(a, "10.0.0.1", seq=i + k))
                           for k, a in enumerate(addrs[i:i + n])))
    p.stdin.flush()


def receive(n, timeout=30):
    deadline = time.time() + timeout
    while len(got) < n:
        r, _, _ = select.select([p.stdout], [], [], max(0, deadline - time.time()))
        if not r:
            raise SystemExit(f"timeout: {len(got)} of {n} records came back")
        chunk = os.read(p.stdout.fileno(), 1 << 16)
        if not chunk:
            raise SystemExit(f"tsa-geo ended early (status {p.wait()}): "
                             f"{p.stderr.read()!r}")
        unp.feed(chunk)
        got.extend(unp)


p.stdin.write(msgpack.packb(header()))
# 20 batches of 20 records, 50 ms apart; the file is rewritten between them.
for b in range(20):
    send(b * 20, 20)
    receive(1 + (b + 1) * 20)
    if b == 4:      # cp other.mmdb live.mmdb: the same inode, rewritten
        shutil.copyfile(other, live)
        check(os.stat(live).st_ino == inode, "cp rewrote the file in place")
    elif b == 9:    # truncated to nothing
        open(live, "w").close()
    elif b == 14:   # half of the original written back, as a download would
        with open(orig, "rb") as f, open(live, "r+b") as g:
            g.write(f.read()[:os.path.getsize(orig) // 2])
    time.sleep(0.05)
p.stdin.close()
rest = p.stdout.read()
unp.feed(rest)
got.extend(unp)
err = p.stderr.read().decode()
check(p.wait() == 0, f"exit status {p.returncode}: {err!r}")
check(err == "", f"stderr: {err!r}")
recs = [r for r in got[1:] if not tsatest.is_end(r)]
check([r.get("seq") for r in recs] == list(range(400)),
      f"every record, in order: {len(recs)} of 400")
bad = [(a, r.get("src_country"), w) for a, r, w in zip(addrs, recs, want)
       if r.get("src_country") != w]
check(not bad, f"{len(bad)} answers not from the original database: {bad[:5]}")

# SIGHUP on the half-written file: refused with one line, the copy in use
# kept; then the whole file, renamed into place, is taken.
shutil.copyfile(orig, live)
p = subprocess.Popen([GEO, "-d", live], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
unp, got = msgpack.Unpacker(raw=False), []
p.stdin.write(msgpack.packb(header()))
send(0, 10)
receive(11)
with open(orig, "rb") as f, open(live, "wb") as g:
    g.write(f.read()[:os.path.getsize(orig) // 2])
p.send_signal(signal.SIGHUP)
r, _, _ = select.select([p.stderr], [], [], 30)
line = p.stderr.readline().decode() if r else ""
check(line.startswith(f"tsa-geo: {live}: not a MaxMind DB file") and
      "keeping the database already open" in line, f"half a file: {line!r}")
send(10, 10)
receive(21)
shutil.copyfile(other, live + ".new")
os.rename(live + ".new", live)
p.send_signal(signal.SIGHUP)
r, _, _ = select.select([p.stderr], [], [], 30)
line = p.stderr.readline().decode() if r else ""
check("reopened" in line, f"whole file renamed into place: {line!r}")
send(20, 10)
p.stdin.close()
receive(31)
check(p.wait() == 0, f"exit status {p.returncode}")
recs = [r for r in got[1:] if not tsatest.is_end(r)]
check([r.get("src_country") for r in recs[:20]] == want[:20],
      "before the good SIGHUP: the first database's answers")
check([r.get("src_country") for r in recs[20:]] ==
      [mmdblookup_country(other, a) for a in addrs[20:30]],
      "after it: the new database's answers")

# A file that keeps changing while it is read: the City database (60 MB,
# tens of milliseconds to copy) rewritten in place, a byte at a time, for
# longer than tsa-geo tries.  Each start gets either a whole copy (if the
# writer happened to pause) or one line saying why not: never a crash.
city = os.path.join(TOP, "data", "GeoLite2-City.mmdb")
if os.path.exists(city):
    busy = os.path.join(TMP, "busy.mmdb")
    shutil.copyfile(city, busy)
    stop = threading.Event()

    def writer():
        fd = os.open(busy, os.O_RDWR)
        first = os.pread(fd, 1, 0)
        while not stop.is_set():
            os.pwrite(fd, first, 0)     # same byte: only the times change
        os.close(fd)

    t = threading.Thread(target=writer)
    t.start()
    refused = 0
    try:
        for i in range(3):
            q = subprocess.run([GEO, "-d", busy], input=stream(
                [packet("81.2.69.142", "10.0.0.1")]), capture_output=True)
            e = q.stderr.decode()
            if q.returncode == 1:
                refused += 1
                check(e == f"tsa-geo: {busy}: changed while being read, 4 "
                      "times in 1.0 s (is it being written in place? replace "
                      "it by renaming a complete file over it)\n",
                      f"changing file: {e!r}")
            else:
                check(q.returncode == 0 and e == "", f"start {i}: status "
                      f"{q.returncode}, {e!r}")
    finally:
        stop.set()
        t.join()
    check(refused > 0, "a file changing all along was never refused")
    print(f"changing file: refused {refused} of 3 starts")
done()
