#!/usr/bin/python3
"""A record that a stage's keys push past the 16 MiB limit (lib/stream.h
TSA_MAX_RECORD) cannot be written: no reader would take it.  It is left
out, and the loss is not silent: a line on stderr, the count at the end,
exit status 1, and an end record that says the stream is not whole, which
the next stage carries on (tsa-aggregate's final snapshot is
"incomplete").  The records around it pass."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests"))
from tsatest import *  # noqa: E402,F403
import msgpack  # noqa: E402

need(os.path.join(os.environ["TSA_TOP"], "data", "dbip-country.mmdb"),
     "the country database: scripts/setup")
MAX = 16 << 20
G = bytes([8, 8, 8, 8])


def rec(i, pad=b""):
    r = {"timestamp": msgpack.Timestamp(1700000000 + i, 0), "length": 60,
         "ip_version": 4, "src_addr": G, "dst_addr": G, "protocol": "udp",
         "n": i}
    if pad:
        r["pad"] = pad
    return r


# The big record exactly 8 bytes under the limit: tsa-geo's country keys
# take it over.
big = rec(1, b"q" * MAX)
for _ in range(2):     # (the pad's length header settles in one step)
    size = len(msgpack.packb(big, use_bin_type=True))
    big["pad"] = b"q" * (len(big["pad"]) - (size - (MAX - 8)))
check(len(msgpack.packb(big, use_bin_type=True)) == MAX - 8,
      "the input record is 8 bytes under the limit")
data = pack({"tsa": 1, "kind": "packets"}, [rec(0), big, rec(2)])
p = run(["tsa-geo"], data, rc=1)
err = p.stderr.decode(errors="replace")
check("larger than %d bytes left out" % MAX in err and
      "1 records larger than" in err, "stderr says so, with the count: %r" % err[-300:])
hdr, recs, end = read(p.stdout)
same("the records around it pass, annotated",
     [(r.get("n"), r.get("dst_country")) for r in recs], [(0, "US"), (2, "US")])
check(end is not None and end.get("complete") is False and
      "left out" in end.get("reason", ""), "the end record: not whole (%r)" % (end,))
p = run(["tsa-aggregate"], p.stdout, rc=1)
snaps = [r for r in read(p.stdout)[1] if r.get("type") == "snapshot"]
check(len(snaps) == 1 and snaps[0].get("incomplete") is True and
      snaps[0].get("packets") == 2,
      "tsa-aggregate's final snapshot: 2 packets, incomplete")
done()
