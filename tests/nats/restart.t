#!/usr/bin/python3
# kill -9 of nats-server (file storage) in the middle of a run, and a
# restart on the same port and store half a second later: the publisher
# resends what was not acknowledged, the server drops what it already
# had, the subscriber (its consumer durable, kept in the store) carries
# on; every record arrives once, in order.  Twice in the same run.  The
# server is stopped (SIGSTOP) for a moment before each kill, so that
# messages are in flight when it dies: some read and stored without their
# acknowledgement going out, some lost.
import os
import sys
import signal
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
srv = Server().start()
url = srv.url
a = packets(60000, "site1")
data = stream("site1", a)

sp, out = sub(url, ["tsa.site1"], "--durable", "coll", "--since", "all", "--ends", "1")
pp = pub(url, "tsa.site1")
# The gate keeps part of the input back at each kill, so that the server
# dies while the publisher still reads however loaded the machine is.
fd = feed(pp, data, chunk=16384, pause=0.008, gate=int(len(data) * 0.45))
mark = 0
for i in range(2):
    while fd["sent"] < mark + len(data) * 0.3 and not fd["done"]:
        time.sleep(0.01)
    check(not fd["done"], "the server dies while the publisher reads")
    srv.proc.send_signal(signal.SIGSTOP)
    time.sleep(0.3)
    srv.kill9()
    time.sleep(0.5)
    srv.start()
    mark = fd["sent"]
    fd["gate"] = int(len(data) * 0.9) if i == 0 else len(data)
same("pub exit status", wait(pp, 60, "pub"), 0)
same("sub exit status", wait(sp, 60, "sub"), 0)
hdr, recs, end = read_out(out)
same("records after two kill -9 of the server: all, in order, once",
     by_sensor(recs).get("site1"), a)
same("end record", end, {"type": "end", "complete": True})
same("one sensor_end, complete", [e["complete"] for e in ends_of(recs)], [True])
perr = open(os.path.join(TMP, "pub-tsa.site1.err")).read()
check(perr.count("reconnected") >= 2, "pub said it reconnected")
print("pub said:\n" + perr)
check("reconnected" in err_text(out), "sub said it reconnected")
srv.stop()
finish()
