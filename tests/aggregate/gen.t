#!/usr/bin/python3
"""Alerts on tsa-gen's traffic: with 20% attacks, each of the four alerts
fires, and each alert record's counts are what tshark counts for its host
in its window; with no attacks, no alert at all."""
import decimal, os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *


def gen(attacks):
    path = os.path.join(TMP, f"gen{attacks}.pcap")
    subprocess.run([os.path.join(BIN, "tsa-gen"), "-n", "100000", "--attacks", str(attacks),
                    "-o", path], check=True)
    cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", path],
                         capture_output=True, check=True).stdout
    return path, run(None, data=cap)[1]


def packets(pcap):
    out = subprocess.run(
        ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "occurrence=f",
         "-e", "frame.time_epoch", "-e", "ip.proto", "-e", "ipv6.nxt", "-e", "ip.src",
         "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "tcp.flags.syn",
         "-e", "tcp.flags.ack", "-e", "tcp.dstport", "-e", "dns.flags.response"],
        capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        t, p4, p6, s4, d4, s6, d6, syn, ack, dport, resp = (line.split("\t") + [""] * 11)[:11]
        src, dst = (s4, d4) if s4 else (s6, d6)
        if src:
            yield (decimal.Decimal(t), src, dst, (p4 or p6) == "6", syn == "1", ack == "1",
                   dport, resp)


def counts(pkts, host, start, end):
    syn = synack = ack = synack_in = dnsq = dnsr = 0
    targets = set()
    for t, src, dst, tcp, s, a, dport, resp in pkts:
        if not start <= t <= end:
            continue
        if src == host:
            if tcp and s and not a:
                syn += 1
                targets.add((dst, dport))
            elif tcp and s:
                synack += 1
            elif tcp and a:
                ack += 1
            dnsq += resp == "0"
        if dst == host:
            synack_in += tcp and s and a
            dnsr += resp == "1"
    answered = min(synack_in, len(targets))
    return {"syn_flood": {"syn": syn, "ack": ack},
            "synack_flood": {"synack": synack, "ack": ack},
            "dns_reflection": {"dns_responses": dnsr, "dns_queries": dnsq},
            "scan": {"targets": len(targets), "answered": answered, "syn": syn}}


def when(ts):
    return decimal.Decimal(ts.seconds) + decimal.Decimal(ts.nanoseconds) / 10**9


path, out = gen(20)
recs = alerts(out)
same("attacks: every kind of alert", sorted({a["alert"] for a in recs}),
     ["dns_reflection", "scan", "syn_flood", "synack_flood"])
same("attacks: one record per alert and host",
     len({(a["alert"], a["host_addr"]) for a in recs}), len(recs))
pkts = list(packets(path))
for a in recs:
    host = str(ipaddress.ip_address(a["host_addr"]))
    want = counts(pkts, host, when(a["window_start"]), when(a["window_end"]))[a["alert"]]
    same(f"attacks: {a['alert']} {host} counts as tshark's", a["counts"], want)

path, out = gen(0)
same("no attacks: no alert", (alerts(out), sum(len(s["alerts"]) for s in snapshots(out))),
     ([], 0))
done()
