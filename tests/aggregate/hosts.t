#!/usr/bin/python3
# Host records (tsa-p0f): a host's application and distance in snapshots
# are those of its latest host record at its latest packet, as when every
# packet carried src_app and src_dist; a host record that comes after a
# packet does not change what a snapshot written before the next packet
# shows; a forgotten host keeps what it had; host records are consumed as
# packet records are, and --pass forwards them in order.
import ipaddress, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agg import *

T = 1700000000.0
ME, S1, S2 = "192.168.1.10", "1.1.1.1", "2.2.2.2"


def host(a, **facts):
    return {"type": "host", "addr": addr(a), **facts}


def by_addr(s):
    return {str(ipaddress.ip_address(h["addr"])): h for h in s["hosts"]}


recs = [
    pkt(T, ME, S1),
    host(S1, os="Linux 3.11 and newer", os_class="unix", dist=12, app="nginx 1.x",
         app_name="nginx"),
    pkt(T + 1, S1, ME, src_os="Linux 3.11 and newer", src_os_class="unix"),
    host(S2, dist=7),
    pkt(T + 2, ME, S2),
    # S1's new facts come before a packet of 11 s later: the snapshot at
    # T + 10 still shows the old ones.
    host(S1, os="Linux 3.11 and newer", os_class="unix", dist=14, app="Apache 2.x",
         app_name="Apache"),
    pkt(T + 11, S1, ME),
    host(S2),                   # forgotten: it keeps dist 7
    pkt(T + 12, ME, S2),
]
_, out = run(recs, "-w", "1h", "-e", "10s")
s = snapshots(out)
same("two snapshots", len(s), 2)
h = by_addr(s[0])
same("first snapshot: app and dist from the host records",
     (h[S1].get("app"), h[S1].get("dist"), h[S2].get("dist")),
     ("nginx 1.x", 12, 7))
h = by_addr(s[1])
same("final snapshot: S1's newer record, S2's kept",
     (h[S1].get("app"), h[S1].get("dist"), h[S2].get("dist")),
     ("Apache 2.x", 14, 7))
same("host records consumed", [r["type"] for r in out],
     ["snapshot", "snapshot"])

# A host new to a sliding window takes its facts from its latest record.
recs = [host(S1, dist=3, app="IIS 7.x", app_name="IIS"),
        pkt(T, ME, S1), pkt(T + 100, ME, S2), pkt(T + 101, S1, ME)]
_, out = run(recs, "-w", "10s", "-e", "0")
h = by_addr(snapshots(out)[-1])
same("re-entering a sliding window", (h[S1].get("app"), h[S1].get("dist")),
     ("IIS 7.x", 3))

# --pass: every record, host records included, in the order read.
recs = [host(S1, dist=3), pkt(T, ME, S1), {"type": "stats", "time": ts(T)},
        host(S2, dist=5), pkt(T + 1, S2, ME)]
_, out = run(recs, "--pass")
same("--pass keeps host records in order",
     [r.get("type", "packet") for r in out],
     ["host", "packet", "stats", "host", "packet", "snapshot"])
same("--pass: host records unchanged", [r for r in out if r.get("type") == "host"],
     [recs[0], recs[3]])
done()
