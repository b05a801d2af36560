#!/usr/bin/python3
# A snapshot without packets (tsa-aggregate's final one for an empty
# capture, or a quiet live window) is one line saying so, not five empty
# tables (issue 15, item 5); an alert still active is listed.
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402

BIN = os.environ["TSA_BIN"]
HEAD = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []})
T0 = 1764144000


def show(*recs):
    r = subprocess.run([os.path.join(BIN, "tsa-print")], input=HEAD + b"".join(
        msgpack.packb(x) for x in recs), capture_output=True, timeout=60)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


empty = {"type": "snapshot", "window_start": msgpack.Timestamp(T0),
         "window_end": msgpack.Timestamp(T0 + 60), "window": "60s",
         "final": True, "packets": 0, "bytes": 0, "countries": [],
         "domains": [], "hosts": [], "os": [], "alerts": [],
         "bandwidth": {"start": msgpack.Timestamp(T0), "bucket_ns": 2400000000,
                       "bps": [0.0] * 25, "bytes": [0] * 25, "avg_bps": 0.0}}
rc, out, err = show(empty)
want = ("== Snapshot 2025-11-26T08:00:00.000000000Z .. "
        "2025-11-26T08:01:00.000000000Z (window 60s) final ==\n"
        "0 packets, 0 bytes (0 B)\n"
        "The window held no packets.\n\n")
check(rc == 0 and err == "" and out == want, "an empty snapshot: %r" % out)

alert = {"alert": "syn_flood", "host_addr": bytes([203, 0, 113, 9]),
         "country": "ZZ", "reason": "1200 SYN but 3 ACK"}
rc, out, err = show(dict(empty, alerts=[alert]))
check(rc == 0 and out.startswith(want[:-1]) and "\nActive alerts (1)\n" in out
      and "syn_flood|203.0.113.9|ZZ     |1200 SYN but 3 ACK" in out and
      "Countries" not in out and "Bandwidth" not in out,
      "an empty window with an active alert lists it: %r" % out)

# A window with packets but no rows (a partial snapshot) keeps its tables.
rc, out, err = show(dict(empty, packets=5, bytes=300))
check("The window held no packets." not in out and "Countries (0)" in out,
      "a window with packets is not called empty: %r" % out[:200])
done()
