#!/usr/bin/python3
"""--live: with no traffic, snapshots still come on time (stream time
advanced by the clock while the input is idle); without it, none before
the next packet."""
import os, select, subprocess, sys, time
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1700000000


def first_snapshot(args, header_extra=None, wait=4.0):
    """Send a header and one packet, keep the pipe open, and return the
    seconds until tsa-aggregate writes a snapshot (None if none came), and
    all its records once the input is closed."""
    p = subprocess.Popen([os.path.join(BIN, "tsa-aggregate"), "-e", "1s", "-w", "5s"] + args,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    header = {"tsa": 1, "kind": "packets", "tools": [["live.t"]]}
    header.update(header_extra or {})
    p.stdin.write(msgpack.packb(header) + msgpack.packb(pkt(T + 0.5, "10.0.0.1", "1.1.1.1")))
    p.stdin.flush()
    start, took, data = time.monotonic(), None, b""
    u = msgpack.Unpacker(raw=False)
    fd = p.stdout.fileno()
    while took is None and time.monotonic() - start < wait:
        ready, _, _ = select.select([fd], [], [], wait - (time.monotonic() - start))
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
        u.feed(chunk)
        for r in u:
            if r.get("type") == "snapshot":
                took = time.monotonic() - start
    p.stdin.close()
    data += p.stdout.read()
    p.wait()
    return took, read(data)[1]


took, out = first_snapshot(["--live"])
same("--live: a snapshot within 4 s of wall time", took is not None, True)
snaps = snapshots(out)
same("--live: the first snapshot at the next boundary, with the packet",
     (snaps[0]["window_end"].seconds - T, snaps[0]["packets"]), (1, 1))
end = lambda s: s["window_end"].seconds + s["window_end"].nanoseconds / 1e9
same("--live: the final snapshot ends when the input did, after the others",
     (snaps[-1].get("final"), end(snaps[-1]) >= max(end(s) for s in snaps),
      [s["packets"] for s in snaps][-1]), (True, True, 1))
took, out = first_snapshot([], {"live": True})
same("header live: true does the same", took is not None, True)
took, out = first_snapshot([], wait=2.5)
same("not live: nothing while idle", took, None)
same("not live: the final snapshot at the end",
     [(s["packets"], s.get("final")) for s in snapshots(out)], [(1, True)])
done()
