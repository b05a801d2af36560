#!/usr/bin/python3
# Three nats-server processes clustered on 127.0.0.1 with the users and
# permissions of docs/nats/accounts.conf, the stream made with three
# replicas.  In the middle of a run, kill -9 the stream's leader (a
# new one is elected; the publisher's messages in flight fail and are
# resent), restart it, then kill -9 the server the publisher is connected
# to (it reconnects to another member).  Every record arrives once, in
# order, at a subscriber that knows all three members.
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
servers = cluster(3, ACCOUNTS)
urls = ",".join(s.url for s in servers)


def get(s, path):
    with urllib.request.urlopen("http://127.0.0.1:%d/%s" % (s.mport, path), timeout=2) as r:
        return json.loads(r.read())


def leader():
    """The server that leads the stream TSA, as its peers say."""
    for s in servers:
        if s.proc.poll() is not None:
            continue
        try:
            for a in get(s, "jsz?accounts=true&streams=true").get("account_details", []):
                for d in a.get("stream_detail", []):
                    if d["name"] == "TSA" and d.get("cluster", {}).get("leader"):
                        return next(x for x in servers if x.name == d["cluster"]["leader"])
        except Exception:
            pass
    return None


def publisher_server():
    for s in servers:
        if s.proc.poll() is None and any("tsa-nats pub" in c.get("name", "")
                                         for c in get(s, "connz").get("connections", [])):
            return s
    return None


a = packets(40000, "site1")
data = stream("site1", a)
sp, out = sub(urls, ["tsa.site1"], "--replicas", "3", "--durable", "coll", "--since", "all",
              "--ends", "1", *COLLECTOR)
pp = pub(urls, "tsa.site1", "--replicas", "3", *SENSOR)
L = len(data)
fd = feed(pp, data, chunk=16384, pause=0.005, gate=L // 4)

reach(fd, L // 4)
victim = leader()
check(victim is not None, "the stream has a leader")
info = [d for a in get(victim, "jsz?accounts=true&streams=true&config=true")["account_details"]
        for d in a.get("stream_detail", []) if d["name"] == "TSA"][0]
same("the stream has three replicas", info["config"]["num_replicas"], 3)
victim.kill9()
print("killed the leader, %s, at %d of %d bytes" % (victim.name, fd["sent"], L))
reach(fd, L * 2 // 5)         # published while the cluster elects a leader
time.sleep(1)
victim.start(wait=False)
victim.wait_ready(30)         # healthy: caught up with the stream again
reach(fd, L * 3 // 5)
time.sleep(0.2)
victim = publisher_server()
check(victim is not None, "the publisher is connected to a server")
victim.kill9()
print("killed the publisher's server, %s, at %d of %d bytes" % (victim.name, fd["sent"], L))
reach(fd, L)

same("pub exit status", wait(pp, 90, "pub"), 0)
same("sub exit status", wait(sp, 90, "sub"), 0)
hdr, recs, end = read_out(out)
same("records through a cluster losing two servers in turn: all, in order, once",
     by_sensor(recs).get("site1"), a)
same("end record", end, {"type": "end", "complete": True})
print("pub said:\n" + open(os.path.join(TMP, "pub-tsa.site1.err")).read())
print("sub said:\n" + err_text(out))
for s in servers:
    s.stop()
finish()
