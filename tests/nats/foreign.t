#!/usr/bin/python3
# Someone else publishes on the subjects (plain text, a bare msgpack map, a
# message with a Tsa-Type this version does not know): the subscriber
# skips each, says so once per subject, counts them at the end, and loses
# nothing of the sensors' records around them.
import os
import sys
import time

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
srv = Server().start()
url = srv.url
a = packets(5000, "site1")
data = stream("site1", a)

sp, out = sub(url, ["tsa.>"], "--since", "all", "--ends", "1")
time.sleep(0.3)    # the stream exists
raw_publish(url, "tsa.site1", b"hello from someone else")
raw_publish(url, "tsa.other", msgpack.packb({"type": "stats", "received": 1}))
pp = pub(url, "tsa.site1")
# The gate holds the second half back until the foreign message is stored,
# so that it comes before the publisher's end whatever the machine's load.
fd = feed(pp, data, chunk=8192, pause=0.002, gate=len(data) // 2)
while fd["sent"] < len(data) // 2:
    time.sleep(0.01)
raw_publish(url, "tsa.site1", msgpack.packb({"n": 1}), {"Tsa-Type": "snapshot-v9"})
fd["gate"] = len(data)
same("pub exit status", wait(pp, 30, "pub"), 0)
same("sub exit status", wait(sp, 30, "sub"), 0)
hdr, recs, end = read_out(out)
same("the sensor's records, all, in order, once", by_sensor(recs).get("site1"), a)
same("nothing else was written", sorted(by_sensor(recs)), ["site1"])
same("end record: complete", end, {"type": "end", "complete": True})
err = err_text(out).splitlines()
said = [l for l in err if "not from tsa-nats pub" in l]
same("one line per subject with foreign messages",
     sorted(l.split(":")[1].strip() for l in said), ["tsa.other", "tsa.site1"])
check(any("no Tsa-Type header" in l for l in said), "the line says why: %s" % said[:1])
check(any(l.endswith("3 messages that were not TSA messages skipped") for l in err),
      "the count at the end")
srv.stop()
finish()
