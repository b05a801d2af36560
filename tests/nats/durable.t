#!/usr/bin/python3
# A collector restarted with the same --durable name resumes where it
# stopped: stopped by SIGINT (Ctrl-C) at a third of a run, by SIGTERM (a
# service manager) at two thirds, and a third run to the end; the three
# outputs together hold every record once, in order.  A stopped
# subscriber ends its stream with an end record that says interrupted
# (complete: the stream is whole up to there) and exits 0; a resumed one
# starts in the middle of the run and still lists the sensor's header.
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
srv = Server().start()
url = srv.url
a = packets(30000, "site1")
data = stream("site1", a)


def records_in(path):
    try:
        return len(read_out(path)[1])
    except Exception:      # a stream still being written
        return 0


pp = pub(url, "tsa.site1")
fd = feed(pp, data, chunk=8192, pause=0.002, gate=0)
outs = []
for i, (sig, frac) in enumerate(((signal.SIGINT, 0.33), (signal.SIGTERM, 0.66))):
    sp, out = sub(url, ["tsa.site1"], "--durable", "coll", "--since", "all",
                  name="sub%d" % i)
    outs.append(out)
    reach(fd, int(len(data) * frac))
    while records_in(out) == 0:
        time.sleep(0.05)
    sp.send_signal(sig)
    same("subscriber %d stopped by %s: exit status" % (i, signal.Signals(sig).name),
         wait(sp, 10, "sub"), 0)
    hdr, recs, end = read_out(out)
    same("... its end record", end, {"type": "end", "complete": True, "interrupted": True})
    same("... its header lists the sensor", [r["sensor"] for r in sensors_of(hdr, recs)],
         ["site1"])
    check(sensors_of(hdr, recs)[0].get("header", {}).get("source") == "site1.pcap",
          "... with the sensor's header")
sp, out = sub(url, ["tsa.site1"], "--durable", "coll", "--ends", "1", name="sub2")
reach(fd, len(data))
outs.append(out)
same("pub exit status", wait(pp, 60, "pub"), 0)
same("last subscriber's exit status", wait(sp, 60, "sub"), 0)
same("last end record", read_out(out)[2], {"type": "end", "complete": True})
parts = [by_sensor(read_out(o)[1]).get("site1", []) for o in outs]
print("records per run: %s" % [len(p) for p in parts])
check(all(parts), "each of the three runs wrote records")
same("three runs of the collector: every record once, in order", sum(parts, []), a)
srv.stop()
finish()
