#!/usr/bin/python3
# Two sensors publish at once, one under a name of its own and without
# compression; a subscriber
# started with --ends 2 writes each sensor's records exactly, in order,
# each with "sensor"; its header lists both sensors' headers and tool
# histories; each publisher's end becomes a sensor_end record.  A record
# larger than a message (a small --batch) arrives whole, into the file
# that -o names.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
srv = Server().start()
url = srv.url

a = packets(3000, "site1")
b = packets(2000, "lyon")
sp, out = sub(url, ["tsa.>"], "--since", "all", "--ends", "2")
pa = pub(url, "tsa.site1")
pb = pub(url, "tsa.paris.2", "--sensor", "lyon", "--compression", "none")
fa = feed(pa, stream("site1", a), chunk=20000, pause=0.002)
fb = feed(pb, stream("lyon", b), chunk=15000, pause=0.002)
same("pub site1 exit status", wait(pa, 30, "pub site1"), 0)
same("pub lyon exit status", wait(pb, 30, "pub lyon"), 0)
same("sub exit status", wait(sp, 30, "sub"), 0)

hdr, recs, end = read_out(out)
got = by_sensor(recs)
same("site1's records, in order, once", got.get("site1"), a)
same("lyon's records, in order, once", got.get("lyon"), b)
same("sensors", sorted(got), ["lyon", "site1"])
check(all("sensor" in r for r in recs), "every record has sensor")
same("end record", end, {"type": "end", "complete": True})
same("header kind", hdr.get("kind"), "packets")
check(hdr.get("end_record") is True, "header promises the end record")
same("header tools: sub's own", [t[:2] for t in hdr["tools"]],
     [[os.path.join(BIN, "tsa-nats"), "-s"]])
runs = sensors_of(hdr, recs)
same("runs announced", sorted((r["sensor"], r["subject"]) for r in runs),
     [("lyon", "tsa.paris.2"), ("site1", "tsa.site1")])
for r in runs:
    h = r["header"]
    same("%s: its header names it" % r["sensor"], h.get("sensor"), r["sensor"])
    same("%s: its header's source" % r["sensor"], h.get("source"), r["sensor"] + ".pcap")
    same("%s: tool history" % r["sensor"], [t[0] for t in h["tools"]],
         ["tsa-capture", TOOL])
    check("pub" in h["tools"][1], "%s: the history has tsa-nats pub" % r["sensor"])
    check(len(r["run"]) == 16, "%s: a run id" % r["sensor"])
ends = ends_of(recs)
same("sensor_end records", sorted((e["sensor"], e["complete"]) for e in ends),
     [("lyon", True), ("site1", True)])
last = {}
for i, r in enumerate(recs):
    last[r.get("sensor")] = i
check(all(recs.index(e) == last[e["sensor"]] for e in ends),
      "each sensor_end comes after its sensor's records")

# A record larger than a message goes in pieces and comes out whole.
big = {"type": "blob", "data": os.urandom(50000), "n": -1}
c = packets(300, "tiny")
c.insert(100, big)
# (this subscriber writes with -o, its stdout unused)
out = os.path.join(TMP, "sub-tiny.tsa")
sp = spawn([TOOL, "sub", "-s", url, "--since", "all", "--ends", "1", "-o", out,
            "tsa.tiny"], stdout=subprocess.DEVNULL, stderr=open(out + ".err", "w"))
pc = pub(url, "tsa.tiny", "--batch", "4096")
feed(pc, stream("tiny", c))
same("pub --batch 4096 exit status", wait(pc, 30, "pub tiny"), 0)
same("sub exit status", wait(sp, 30, "sub tiny"), 0)
hdr, recs, end = read_out(out)
same("records with one of 50000 bytes, through messages of 4096", by_sensor(recs).get("tiny"), c)
same("end record", end, {"type": "end", "complete": True})
srv.stop()
finish()
