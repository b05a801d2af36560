#!/usr/bin/python3
# How streams end.  A publisher whose input was cut short (no end record)
# publishes that verdict, exits 1, and the subscriber's stream ends
# incomplete with the reason (exit 1).  A publisher stopped by a signal
# while reading a file publishes what it read and an end record that says
# interrupted.  --idle ends a subscriber that gets nothing; --until ends
# it at the first message stored at or after a time.
import datetime
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403



def stored(srv):
    """Messages in the stream TSA."""
    return sum(d["state"]["messages"] for a in srv.jsz().get("account_details", [])
               for d in a.get("stream_detail", []) if d["name"] == "TSA")


need_server()
srv = Server().start()
url = srv.url

# Cut short: the header promises an end record that never comes.
a = packets(500, "cut")
sp, out = sub(url, ["tsa.cut"], "--since", "all", "--ends", "1", name="cut")
pp = pub(url, "tsa.cut")
feed(pp, tsatest.pack(dict(header("cut"), end_record=True), a, end=False))
same("pub of a stream cut short: exit status", wait(pp, 20, "pub"), 1)
same("sub: exit status", wait(sp, 20, "sub"), 1)
hdr, recs, end = read_out(out)
same("the records that came, in order", by_sensor(recs).get("cut"), a)
e = ends_of(recs)
same("sensor_end says incomplete", [x["complete"] for x in e], [False])
check("cut short" in e[0].get("reason", ""), "... and why: %r" % e[0].get("reason"))
same("the subscriber's end record is incomplete, with the reason",
     (end["complete"], end.get("reason")), (False, e[0].get("reason")))
check("incomplete stream" in err_text(out), "sub said so on stderr")

# A publisher stopped by SIGINT while reading a file: held back by a
# stopped server and a small buffer, then signalled, then let go.
b = packets(60000, "intr")
path = os.path.join(TMP, "intr-input.tsa")
with open(path, "wb") as f:
    f.write(stream("intr", b))
sp, out = sub(url, ["tsa.intr"], "--since", "all", "--ends", "1", name="intr")
before = stored(srv)
pp = pub(url, "tsa.intr", "--buffer", "1048576", "--batch", "65536", "--compression", "none",
         stdin=open(path, "rb"),
         preexec_fn=lambda: os.nice(10))
while stored(srv) < before + 3:
    time.sleep(0.005)
srv.proc.send_signal(signal.SIGSTOP)
time.sleep(0.5)
pp.send_signal(signal.SIGINT)
time.sleep(0.2)
srv.proc.send_signal(signal.SIGCONT)
same("pub stopped by SIGINT: exit status", wait(pp, 30, "pub"), 0)
same("sub: exit status", wait(sp, 30, "sub"), 0)
hdr, recs, end = read_out(out)
got = by_sensor(recs).get("intr", [])
check(0 < len(got) < len(b), "a part of the file was published (%d of %d records)"
      % (len(got), len(b)))
same("... the records read, in order", got, b[:len(got)])
same("sensor_end says interrupted", [(x["complete"], x.get("interrupted")) for x in ends_of(recs)],
     [(True, True)])
same("the subscriber's end record says so too", end,
     {"type": "end", "complete": True, "interrupted": True})

# --idle: nothing comes.
t0 = time.time()
sp, out = sub(url, ["tsa.nobody"], "--idle", "1", name="idle")
same("sub --idle 1 with nothing: exit status", wait(sp, 10, "sub"), 0)
check(0.9 < time.time() - t0 < 5, "... after about a second (%.1f s)" % (time.time() - t0))
hdr, recs, end = read_out(out)
same("... a stream with no sensor and no record", (hdr.get("sensors"), recs), ([], []))
same("... and its end record", end, {"type": "end", "complete": True})

# --until: what was stored before the time, not what came after.
c1, c2 = packets(200, "until"), packets(300, "until", start=1709300000)
for part in (c1, c2):
    pp = pub(url, "tsa.until")
    feed(pp, stream("until", part))
    same("pub exit status", wait(pp, 20, "pub"), 0)
    if part is c1:
        time.sleep(0.5)
        cut = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        time.sleep(0.5)
sp, out = sub(url, ["tsa.until"], "--since", "all", "--until", cut, name="until")
same("sub --until: exit status", wait(sp, 10, "sub"), 0)
hdr, recs, end = read_out(out)
same("--until %s: the first run only" % cut, by_sensor(recs).get("until"), c1)
same("... and its end", len(ends_of(recs)), 1)
srv.stop()
finish()
