#!/usr/bin/python3
"""Live capture on lo of fragments we send ourselves with raw sockets
(IP_HDRINCL, IPV6_HDRINCL): the kernel passes them on as they are.  Our
traffic is told apart from anyone else's on lo by a random 127/8 source
address (IPv4) and a random fragment identification (IPv6).  The records
must describe exactly what was sent: one per fragment, each datagram's
transport fields on the fragment that completes it, and the final stats
record's reassembly counts."""
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import time


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
from pktlib import *  # noqa: E402,F403

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
IPV6_HDRINCL = 36
rnd = random.Random()
SRC = bytes([127, rnd.randrange(1, 255), rnd.randrange(1, 255), rnd.randrange(2, 255)])
DST = bytes([127, 0, 0, 1])
LO6 = socket.inet_pton(socket.AF_INET6, "::1")
ID6 = rnd.randrange(1 << 31, 1 << 32)
src_text = socket.inet_ntoa(SRC)

out_path = os.path.join(TMP, "live-frags.tsa")
with open(out_path, "wb") as out:
    cap = subprocess.Popen(
        [os.path.join(BIN, "tsa-capture"), "-i", "lo", "host", src_text, "or",
         "(ip6 and ip6[6] == 44 and ip6[44:4] == %d)" % ID6],
        stdout=out, stderr=subprocess.PIPE)
    for _ in range(100):
        if os.path.getsize(out_path) > 0 or cap.poll() is not None:
            break
        time.sleep(0.05)
    check(os.path.getsize(out_path) > 0, "capture started")

    raw4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    raw6.setsockopt(socket.IPPROTO_IPV6, IPV6_HDRINCL, 1)
    sent4 = []

    def send4(ip):
        raw4.sendto(ip, (socket.inet_ntoa(DST), 0))
        sent4.append(ip)

    # 1. A SYN scan of 20 closed ports, every SYN in two fragments: 8 bytes
    # of TCP (ports, sequence number), then the rest.
    base = rnd.randrange(20000, 60000)
    for i in range(20):
        seg = tcp_csum4(SRC, DST, tcp(41000 + i, base + i, 2,
                                      opts=b"\x02\x04\x05\xb4\x01\x01\x04\x02"))
        ident = 0x7000 + i
        send4(ipv4(6, seg[:8], frag=0x2000, ident=ident, src=SRC, dst=DST))
        send4(ipv4(6, seg[8:], frag=1, ident=ident, src=SRC, dst=DST))
    # 2. A DNS query in three fragments, sent last first.
    q = udp(42000, 53, dns_query("live-fragments.example", qid=0x4242))
    parts = [ipv4(17, q[o:o + 16], frag=(o // 8) | (0x2000 if o + 16 < len(q) else 0),
                  ident=0x7100, src=SRC, dst=DST) for o in range(0, len(q), 16)]
    for p in reversed(parts):
        send4(p)
    # 3. IPv6: a UDP datagram in two fragments.
    d6 = udp(42001, 9, b"sixfrag" * 8)
    f6 = [ipv6(44, frag6(17, 0, True, ID6) + d6[:32], src=LO6, dst=LO6),
          ipv6(44, frag6(17, 32, False, ID6) + d6[32:], src=LO6, dst=LO6)]
    for p in f6:
        raw6.sendto(p, ("::1", 0))
    time.sleep(1.5)             # output is flushed at least once a second
    cap.send_signal(signal.SIGTERM)
    rc = cap.wait(10)
    err = cap.stderr.read().decode()

recs = tsatest.records(open(out_path, "rb").read())
pkts = [r for r in recs if "type" not in r]
stats = [r for r in recs if r.get("type") == "stats"][-1]
check(rc == 0, "SIGTERM ends the capture with status 0 (stderr %r)" % err)
mine = [r for r in pkts if r["src_addr"] == SRC]
frags = [r for r in mine if "fragment" in r]
check(len(frags) == len(sent4), "one record per IPv4 fragment sent: %d of %d" %
      (len(frags), len(sent4)))
syns = [r for r in frags if r.get("tcp_op") == "SYN"]
check(sorted((r["src_port"], r["dst_port"]) for r in syns) ==
      [(41000 + i, base + i) for i in range(20)] and
      all(r["reassembled"] == 2 and r["fragment"] == "later" for r in syns),
      "the 20 SYNs: flags and ports on the record of their second fragment")
check(all("src_port" not in r for r in frags if r["fragment"] == "first" and
          r["protocol"] == "tcp"), "the tiny first fragments: IP fields only")
dns = [r for r in frags if r.get("application_type") == "dns"]
check(len(dns) == 1 and dns[0]["dns_query_names"] == ["live-fragments.example"] and
      dns[0]["fragment"] == "first" and dns[0]["reassembled"] == len(parts),
      "the DNS query, its last fragment sent first: on the first fragment, "
      "which completed it")
unreach = [r for r in pkts if r["dst_addr"] == SRC and r.get("icmp_type") == 3]
check(len(unreach) == 1, "the kernel reassembled the query too: port unreachable")
# The kernel answers each reassembled SYN with a RST from the closed port.
rsts = [r for r in pkts if r["dst_addr"] == SRC and r.get("tcp_flags", 0) & 4]
check(len(rsts) == 20, "the kernel reassembled them too: %d RSTs back" % len(rsts))
six = [r for r in pkts if r["ip_version"] == 6]
check(len(six) == 2 and six[1].get("dst_port") == 9 and six[1]["reassembled"] == 2 and
      "src_port" not in six[0], "IPv6: two fragments, the second completes the datagram")
check(stats.get("final") and stats["frag_reassembled"] == 22 and
      stats["frag_timed_out"] == 0 and stats["frag_dropped"] == 0 and
      stats["decoded"] == len(pkts), "final stats: %r" %
      {k: v for k, v in stats.items() if k.startswith("frag") or k == "decoded"})
finish()
