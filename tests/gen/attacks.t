#!/usr/bin/python3
"""The attack bursts cross the original app's [security] thresholds (more
than 1000 in a 60 s window and more than 5 times the matching replies;
scans: more than 100 ports, at least 80 percent unanswered), as counted
from tshark's fields - and the same counting over a capture without
attacks finds nothing.  p0f names the scanner's SYNs."""
import collections
import os
import subprocess
import sys

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
WINDOW = 60.0


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import done, fail  # noqa: E402


def packets(path):
    fields = ("frame.time_epoch", "ip.src", "ip.dst", "tcp.flags",
              "tcp.dstport", "dns.flags.response", "frame.len")
    # Only headers and DNS are needed: skip reassembly and TLS/HTTP/QUIC.
    cmd = ["tshark", "-r", path, "-Y", "ip && !icmp", "-T", "fields",
           "-E", "separator=\t", "-o", "tcp.desegment_tcp_streams:FALSE"]
    for p in ("tls", "http", "quic", "ntp"):
        cmd += ["--disable-protocol", p]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines():
        t, src, dst, flags, dport, resp, flen = line.split("\t")
        rows.append((float(t), src, dst, int(flags, 16) if flags else None,
                     dport, resp, int(flen)))
    return rows


def peak(events):
    """Most events of one key within any WINDOW seconds: (count, key, t0)."""
    best = (0, None, 0.0)
    for key, times in events.items():
        lo = 0
        for hi, t in enumerate(times):
            while t - times[lo] > WINDOW:
                lo += 1
            if hi - lo + 1 > best[0]:
                best = (hi - lo + 1, key, times[lo])
    return best


def within(times, t0):
    return sum(1 for t in times if t0 <= t <= t0 + WINDOW)


def detect(rows):
    syn = collections.defaultdict(list)       # (src, dst) -> times
    ack = collections.defaultdict(list)       # (src, dst) -> pure ACKs
    synack = collections.defaultdict(list)    # src -> times
    synack_pair = collections.Counter()       # (src, dst) -> SYN+ACKs
    syn_to = collections.defaultdict(list)    # dst -> SYN times
    dns_resp = collections.defaultdict(list)  # dst -> times
    dns_query = collections.defaultdict(list)  # src -> times
    resp_len = collections.defaultdict(int)
    probes = collections.defaultdict(set)     # (src, dst) -> ports
    for t, src, dst, flags, dport, resp, flen in rows:
        if flags is not None:
            if flags & 0x12 == 0x02:
                syn[(src, dst)].append(t)
                syn_to[dst].append(t)
                probes[(src, dst)].add(dport)
            elif flags & 0x12 == 0x12:
                synack[src].append(t)
                synack_pair[(src, dst)] += 1
            elif flags & 0x17 == 0x10:
                ack[(src, dst)].append(t)
        elif resp == "1":
            dns_resp[dst].append(t)
            resp_len[dst] += flen
        elif resp == "0":
            dns_query[src].append(t)
    found = {}
    n, key, t0 = peak(syn)
    acks = within(ack.get(key, []), t0)
    if n > 1000 and n > 5 * acks:
        found["syn flood"] = (key, n, acks)
    n, key, t0 = peak(synack)
    syns = within(syn_to.get(key, []), t0)
    if n > 1000 and n > 5 * syns:
        found["syn-ack flood"] = (key, n, syns)
    n, key, t0 = peak(dns_resp)
    queries = within(dns_query.get(key, []), t0)
    if n > 1000 and n > 5 * queries:
        found["dns reflection"] = (key, n, queries,
                                   resp_len[key] // len(dns_resp[key]))
    for (src, dst), ports in probes.items():
        if len(ports) <= 100:
            continue
        asked = len(syn[(src, dst)])
        answered = synack_pair[(dst, src)]
        if asked and 1 - answered / asked >= 0.8:
            found["port scan"] = ((src, dst), len(ports), answered)
    return found


gen = os.path.join(BIN, "tsa-gen")
att = os.path.join(TMP, "a.pcap")
subprocess.run([gen, "-n", "100000", "-s", "9", "--attacks", "6", "-o", att],
               check=True)
found = detect(packets(att))
for k, v in sorted(found.items()):
    print(k, v)
for kind in ("syn flood", "syn-ack flood", "dns reflection", "port scan"):
    if kind not in found:
        fail("no %s detected" % kind)
if found["dns reflection"][3] < 1000:
    fail("reflected answers average %d bytes" % found["dns reflection"][3])

clean = os.path.join(TMP, "c.pcap")
subprocess.run([gen, "-n", "100000", "-s", "9", "--attacks", "0", "-o",
                clean], check=True)
found = detect(packets(clean))
if found:
    fail("attacks detected in a capture without any: %s" % found)

# p0f names nmap's SYN probes.
log = os.path.join(TMP, "p0f.log")
subprocess.run(["p0f", "-r", att, "-o", log], capture_output=True)
if "app=NMap SYN scan" not in open(log).read():
    fail("p0f does not name the scan")
done()
