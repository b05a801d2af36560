#!/usr/bin/python3
# p0f's NAT and host-change detection, against p0f itself: one address
# whose SYNs come from different systems (Linux, Windows, another TTL, an
# MSS change, ports going back) must be flagged where p0f logs "host
# change" (src_os_change) and "ip sharing" (src_nat), and a host that
# stays the same must never be.
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

if not have_p0f():
    skip("p0f is not installed")

SRV = [192, 0, 2, 80]
NATTED, STEADY = [198, 51, 100, 7], [198, 51, 100, 8]
MSS = struct.pack("!BBH", 2, 4, 1460)
WIN_OPTS = MSS + b"\x01\x01\x04\x02"      # mss,nop,nop,sok: Windows 7/8


def linux(src, port, ttl=64, mss=1460, ts1=5000):
    return ipv4(src, SRV, tcp_hdr(port, 80, 2, mss * 20,
                                  linux_opts(mss=mss, ts1=ts1)), ttl=ttl)


def windows(src, port, ttl=128):
    return ipv4(src, SRV, tcp_hdr(port, 80, 2, 8192, WIN_OPTS), ttl=ttl)


pkts, t = [], 1700000000.0
for i in range(24):
    # the NATted address: a Linux box and a Windows box, a third system
    # with another TTL and MSS, their ports interleaved
    kind = i % 3
    port = 50000 - i * 100 if kind else 30000 + i
    if kind == 0:
        p = linux(NATTED, port, ts1=5000 + i * 1000)
    elif kind == 1:
        p = windows(NATTED, port)
    else:
        p = linux(NATTED, port, ttl=60, mss=1400, ts1=900000000 + i * 7)
    pkts.append((t, p))
    pkts.append((t + 0.2, linux(STEADY, 40000 + i, ts1=100 + i * 100)))
    t += 1.0
pcap = os.path.join(TMP, "nat.pcap")
write_pcap(pcap, pkts)

obs = run_p0f(pcap)
# p0f's log in order; note the SYN count at the first host change / sharing
syn_i = {}
count = {}
for o in obs:
    cli = o["cli"].split("/")[0]
    if o["mod"] == "syn":
        count[cli] = count.get(cli, 0) + 1
    elif o["mod"] in ("host change", "ip sharing") and o.get("subj") == "cli":
        syn_i.setdefault((cli, o["mod"]), count.get(cli, 0))
print("p0f:", syn_i)
check(("198.51.100.7", "host change") in syn_i,
      "p0f sees a host change (the test's premise)")
check(("198.51.100.7", "ip sharing") in syn_i,
      "p0f sees IP sharing (the test's premise)")

cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", pcap],
                     capture_output=True, check=True).stdout
_, _, recs, _ = run(["--compat"], cap)
mine = {}
count = {}
for r in recs:
    if r.get("tcp_flags") != 2:
        continue
    cli = ".".join(str(b) for b in r["src_addr"])
    count[cli] = count.get(cli, 0) + 1
    if r.get("src_os_change"):
        mine.setdefault((cli, "host change"), count[cli])
    if r.get("src_nat"):
        mine.setdefault((cli, "ip sharing"), count[cli])
print("tsa-p0f:", mine)
for k, v in syn_i.items():
    check(mine.get(k) == v, "%s %s: p0f at SYN %d, tsa-p0f at %s"
          % (k[0], k[1], v, mine.get(k)))
check(not any(k[0] == "198.51.100.8" for k in mine),
      "the steady host is never flagged")
done()
