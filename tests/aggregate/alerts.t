#!/usr/bin/python3
"""Alerts on real captures, against counts taken from tshark: the moment an
alert starts (its record's counts), the counts in the final snapshot, one
record per alert, and silence on benign traffic with the default
thresholds.  Each file here fits in the window used, so the oracle counts
from the start of the file."""
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

PCAPS = os.environ["PCAPS"]
tsatest.need_pcaps()


def pipeline(pcap, *args, settings=None):
    cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", os.path.join(PCAPS, pcap)],
                         capture_output=True, check=True).stdout
    return run(None, *args, data=cap, settings=settings)[1]


def packets(pcap):
    out = subprocess.run(
        ["tshark", "-n", "-r", os.path.join(PCAPS, pcap), "-o", "ip.defragment:FALSE",
         "-T", "fields", "-E", "occurrence=f", "-e", "ip.proto", "-e", "ip.src", "-e", "ip.dst",
         "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.dstport",
         "-e", "dns.flags.response"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        proto, src, dst, syn, ack, dport, resp = (line.split("\t") + [""] * 7)[:7]
        if not src:
            continue
        yield src, dst, proto == "6", syn == "1", ack == "1", dport, resp


class Host:
    def __init__(self):
        self.syn = self.synack = self.ack = self.synack_in = self.dnsq = self.dnsr_in = 0
        self.targets = set()


def replay(pcap, cond, counts):
    """Counts per host after each packet; the counts of the first host and
    moment cond holds, and every host's final counts."""
    hosts, first = {}, None
    for src, dst, tcp, syn, ack, dport, resp in packets(pcap):
        s, d = hosts.setdefault(src, Host()), hosts.setdefault(dst, Host())
        if tcp and syn and not ack:
            s.syn += 1
            s.targets.add((dst, dport))
        elif tcp and syn:
            s.synack += 1
            d.synack_in += 1
        elif tcp and ack:
            s.ack += 1
        if resp == "0":
            s.dnsq += 1
        elif resp == "1":
            d.dnsr_in += 1
        if first is None:
            for a, h in ((src, s), (dst, d)):
                if cond(h):
                    first = (a, counts(h))
                    break
    return first, {a: counts(h) for a, h in hosts.items()}


def check(pcap, name, cond, counts, *args, settings=None):
    out = pipeline(pcap, *args, settings=settings)
    first, final = replay(pcap, cond, counts)
    recs = [a for a in alerts(out) if a["alert"] == name]
    same(f"{pcap}: one {name} record", len(recs), 1)
    if not recs or not first:
        return
    host = str(ipaddress.ip_address(recs[0]["host_addr"]))
    same(f"{pcap}: {name} host", host, first[0])
    same(f"{pcap}: {name} counts when raised", recs[0]["counts"], first[1])
    last = snapshots(out)[-1]
    listed = [a for a in last["alerts"] if a["alert"] == name]
    same(f"{pcap}: {name} active in the final snapshot", len(listed), 1)
    if listed:
        same(f"{pcap}: {name} final counts", listed[0]["counts"], final[host])
        same(f"{pcap}: {name} reason names the host", host in listed[0]["reason"], True)


syn_counts = lambda h: {"syn": h.syn, "ack": h.ack}
low = "[security]\nSynFloodThreshold = 100\nDnsReflectionThreshold = 50\n"

# 200 SYNs from one source in 0.2 s: above a threshold of 100.
check("suri-syn-flood.pcap", "syn_flood", lambda h: h.syn > 100 and h.syn > 5 * h.ack,
      syn_counts, settings=low)

# nDPI's SYN scan, 1994 SYNs in 23 s, with the default thresholds: a SYN
# flood source (over 1000 SYNs) and a scan (over 100 targets, answered < 20%).
check("ndpi-synscan.pcap", "syn_flood", lambda h: h.syn > 1000 and h.syn > 5 * h.ack,
      syn_counts)
check("ndpi-synscan.pcap", "scan",
      lambda h: len(h.targets) > 100 and
      len(h.targets) - min(h.synack_in, len(h.targets)) >= 0.8 * len(h.targets),
      lambda h: {"targets": len(h.targets), "answered": min(h.synack_in, len(h.targets)),
                 "syn": h.syn})

# 91 unsolicited DNS responses over 15 minutes: a day's window, threshold 50.
check("ndpi-badpackets.pcap", "dns_reflection",
      lambda h: h.dnsr_in > 50 and h.dnsr_in > 5 * h.dnsq,
      lambda h: {"dns_responses": h.dnsr_in, "dns_queries": h.dnsq},
      "-w", "1d", settings=low)

# The same file under the default threshold of 1000: nothing.
out = pipeline("ndpi-badpackets.pcap", "-w", "1d")
same("ndpi-badpackets.pcap: default thresholds, no alert",
     (alerts(out), sum(len(s["alerts"]) for s in snapshots(out))), ([], 0))

# Benign traffic stays quiet with the defaults, in every snapshot.
for pcap in ("zeek-http-methods.pcap", "ppp-example.pcap", "strato-ssh-bruteforce.pcap"):
    out = pipeline(pcap)
    same(f"{pcap}: no alert", (alerts(out), sum(len(s["alerts"]) for s in snapshots(out))),
         ([], 0))
done()
