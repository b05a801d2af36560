#!/usr/bin/python3
# Latency (issue 15): records written one at a time, with pauses, by a
# producer that keeps the pipe open, must come out of every stage, and of a
# chain of all of them, within 1 s: a stage writes what it holds before it
# waits for input.  (It takes a few milliseconds; 1 s leaves room for a
# loaded machine and the sanitizers.)
import os
import select
import subprocess
import sys
import threading
import time

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
from tsatest import check, done  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
tsatest.need_pcaps()
T = lambda name: os.path.join(BIN, name)  # noqa: E731
N, PAUSE, LIMIT = 6, 0.4, 1.0


cap = subprocess.run([T("tsa-capture"), "-q", "-r",
                      os.path.join(PCAPS, "zeek-wikipedia.pcap")],
                     capture_output=True, check=True).stdout
header, raws, end = tsatest.read(cap, raw=True)
pkts = [r for r in raws if b"\xa4type" not in r[:8]][:N]
head = tsatest.pack(header, [], end=False)

CHAINS = {
    "tsa-geo": [[T("tsa-geo")]],
    "tsa-p0f": [[T("tsa-p0f")]],
    "tsa-filter": [[T("tsa-filter"), "has timestamp"]],
    "tsa-aggregate --pass": [[T("tsa-aggregate"), "--pass"]],
    "tsa-print": [[T("tsa-print"), "--json"]],
    "all of them": [[T("tsa-geo")], [T("tsa-p0f")], [T("tsa-filter"), "has timestamp"],
                    [T("tsa-aggregate"), "--pass", "-w", "60s"], [T("tsa-print"), "--json"]],
}

for name, chain in CHAINS.items():
    procs, stdin = [], subprocess.PIPE
    for i, argv in enumerate(chain):
        p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        procs.append(p)
        if i:
            procs[i - 1].stdout.close()
        stdin = p.stdout
    first, last = procs[0], procs[-1]
    text = chain[-1][0].endswith("tsa-print")
    sent, arrived = [], []

    def produce():
        first.stdin.write(head)
        first.stdin.flush()
        for r in pkts:
            time.sleep(PAUSE)
            sent.append(time.monotonic())
            first.stdin.write(r)
            first.stdin.flush()
        time.sleep(PAUSE)
        first.stdin.close()     # no end record: the writer "died"

    th = threading.Thread(target=produce)
    th.start()
    fd = last.stdout.fileno()
    deadline = time.monotonic() + N * PAUSE + 10
    unp = msgpack.Unpacker(raw=False, strict_map_key=False)
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.05)
        if not r:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        now = time.monotonic()
        if text:
            n = sum(1 for line in chunk.split(b"\n") if b'"timestamp"' in line)
        else:
            unp.feed(chunk)
            n = sum(1 for o in unp if "timestamp" in o)
        arrived += [now] * n
    th.join()
    statuses = [p.wait() for p in procs]
    for p in procs:
        p.stderr.close()
    late = [a - s for s, a in zip(sent, arrived)]
    check(len(arrived) >= N and all(d < LIMIT for d in late),
          "%s: %d of %d records arrived, the slowest %.3f s after it was sent"
          % (name, len(arrived), N, max(late) if late else -1))
    # The producer closed without an end record: each stage says so.
    check(all(s == 1 for s in statuses),
          "%s: a stream without its end record ends every stage with 1: %r"
          % (name, statuses))
done()
