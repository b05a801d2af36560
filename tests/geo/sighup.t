#!/usr/bin/python3
# SIGHUP reopens the databases between two records: geoipupdate renames a
# new file over the old one under a long-running live pipeline.  Records
# before the signal get the old answers, those after it the new ones, none
# is lost or reordered, and a bad replacement keeps the database in use.
import os
import select
import shutil
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

A = mkdb("a.mmdb", "GeoLite2-Country", [("81.0.0.0/16", {"country": {"iso_code": "DE"}})])
B = mkdb("b.mmdb", "GeoLite2-Country", [("81.0.0.0/16", {"country": {"iso_code": "FR"}})])
live = os.path.join(TMP, "live.mmdb")


def install(src):
    """Replace the live file the way geoipupdate does: write, then rename."""
    shutil.copy(src, live + ".new")
    os.rename(live + ".new", live)


install(A)
p = subprocess.Popen([GEO, "-d", live], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
unp = msgpack.Unpacker(raw=False)
seq = 0


def send(n):
    global seq
    data = b"".join(msgpack.packb(packet(f"81.0.{(seq + i) % 250}.1", "10.0.0.1",
                                         seq=seq + i)) for i in range(n))
    seq += n
    p.stdin.write(data)
    p.stdin.flush()


def receive(n, timeout=30):
    out, deadline = [], time.time() + timeout
    while len(out) < n:
        for o in unp:
            out.append(o)
        if len(out) >= n:
            break
        r, _, _ = select.select([p.stdout], [], [], max(0, deadline - time.time()))
        if not r:
            raise SystemExit(f"timeout: {len(out)} of {n} records came back")
        chunk = os.read(p.stdout.fileno(), 1 << 16)
        if not chunk:
            raise SystemExit(f"tsa-geo ended early: {p.stderr.read()!r}")
        unp.feed(chunk)
    return out


def stderr_line(timeout=30):
    r, _, _ = select.select([p.stderr], [], [], timeout)
    if not r:
        raise SystemExit("no message on stderr after SIGHUP")
    return p.stderr.readline().decode()


p.stdin.write(msgpack.packb(header()))
send(100)
got = receive(101)
hdr, recs = got[0], got[1:]
check([r["seq"] for r in recs] == list(range(100)), "first batch order")
check(all(r.get("src_country") == "DE" for r in recs), "first batch: DE")

# The new file, then the signal; tsa-geo is idle, waiting for input.
install(B)
p.send_signal(signal.SIGHUP)
line = stderr_line()
check("reopened" in line and live in line, f"reopen message: {line!r}")
send(100)
recs = receive(100)
check([r["seq"] for r in recs] == list(range(100, 200)), "second batch order")
check(all(r.get("src_country") == "FR" for r in recs), "after SIGHUP: FR")

# A broken replacement is reported and the open database kept.
with open(live + ".new", "w") as f:
    f.write("half a download")
os.rename(live + ".new", live)
p.send_signal(signal.SIGHUP)
line = stderr_line()
check("keeping" in line and "not a MaxMind DB" in line, f"bad file: {line!r}")
send(50)
recs = receive(50)
check(all(r.get("src_country") == "FR" for r in recs), "kept database: FR")

# Signals while records stream through: every record comes back once, in
# order, annotated by one database or the other.
install(A)
N = 200000


def hups():
    for i in range(20):
        time.sleep(0.02)
        install(A if i % 2 else B)
        p.send_signal(signal.SIGHUP)


def feed():
    for _ in range(N // 10000):
        send(10000)


t1, t2 = threading.Thread(target=feed), threading.Thread(target=hups)
t1.start()
t2.start()
recs = receive(N, timeout=120)
t1.join()
t2.join()
check([r["seq"] for r in recs] == list(range(250, 250 + N)), "order under SIGHUPs")
check(all(r.get("src_country") in ("DE", "FR") for r in recs), "answers under SIGHUPs")
changes = sum(a["src_country"] != b["src_country"] for a, b in zip(recs, recs[1:]))
check(changes <= 20, f"{changes} changes of answer for 20 reopens")
p.stdin.close()
rest = p.stdout.read()
err = p.stderr.read().decode()
check(p.wait() == 0, f"exit status {p.returncode}: {err}")
check(tsatest.unpack_all(rest) == [tsatest.end_record()],
      "nothing but the end record after the last record: %r" % rest[:100])
check(err.count("reopened") >= 1, f"reopens under load: {err!r}")
print("reopen messages under load:", err.count("reopened"))
done()
