#!/usr/bin/python3
# Real captures through tsa-capture, then tsa-filter with expressions users
# write; the split is checked against the same predicate evaluated in
# Python over the same stream (passed + failed = read, order kept, stats
# records in both outputs).
import datetime
import fnmatch
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import (tsatest, BIN, check_split, fail, finish, in_net, num,
                       present_not, split_stream, text, tstamp, value)

PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
FILES = ["ppp-example", "zeek-wikipedia", "arkime-v6",
         "suri-tls-subjectaltname", "zeek-tcp-truncated-header",
         "dnscap-frags", "zeek-http-methods", "joy-firefox58"]
tsatest.need_pcaps()

G = fnmatch.fnmatchcase
g = dict.get
LOCAL = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",
         "fe80::/10"]


def local(v):
    return any(in_net(n)(v) for n in LOCAL)


def rfc3339(ns):
    t = datetime.datetime.fromtimestamp(ns // 10**9, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{ns % 10**9:09d}Z"


def cases(records):
    pkts = [r for r in records if "type" not in r and "timestamp" in r]
    times = sorted(tstamp(r["timestamp"]) for r in pkts)
    mid = times[len(times) // 2] if times else 0
    return [
        ("protocol == tcp and dst_port == 443",
         lambda r: g(r, "protocol") == "tcp" and g(r, "dst_port") == 443),
        ("protocol == udp and (src_port == 53 or dst_port == 53)",
         lambda r: g(r, "protocol") == "udp" and
         53 in (g(r, "src_port"), g(r, "dst_port"))),
        ("src_addr in 10.0.0.0/8 or dst_addr in 10.0.0.0/8",
         lambda r: value(r, "src_addr", in_net("10.0.0.0/8")) or
         value(r, "dst_addr", in_net("10.0.0.0/8"))),
        ("not (src_addr in [%s] and dst_addr in [%s])" % (
            ", ".join(LOCAL), ", ".join(LOCAL)),
         lambda r: not (value(r, "src_addr", local) and
                        value(r, "dst_addr", local))),
        ("ip_version == 6 and dst_addr in ff00::/8",
         lambda r: g(r, "ip_version") == 6 and
         value(r, "dst_addr", in_net("ff00::/8"))),
        ('dns_query_names ~ "*.com"',
         lambda r: value(r, "dns_query_names",
                         text(lambda v: G(v, "*.com"), True))),
        ("dns_query_resp == response and not dns_resp_ips in 0.0.0.0/0",
         lambda r: g(r, "dns_query_resp") == "response" and
         not value(r, "dns_resp_ips", in_net("0.0.0.0/0"))),
        ("dns_resp_ips in [91.189.0.0/16, 2000::/3]",
         lambda r: value(r, "dns_resp_ips", lambda v: in_net(
             "91.189.0.0/16")(v) or in_net("2000::/3")(v))),
        ("has tls_sni and tls_sni !~ '*.google.*'",
         lambda r: present_not(r, "tls_sni",
                               text(lambda v: G(v, "*.google.*"), True))),
        ("http_method in [GET, POST] or http_status >= 400",
         lambda r: g(r, "http_method") in ("GET", "POST") or
         value(r, "http_status", num(lambda v: v >= 400))),
        ("http_host ~ '*.org' or http_host ~ '*[0-9]'",
         lambda r: value(r, "http_host", text(
             lambda v: G(v, "*.org") or G(v, "*[0-9]"), True))),
        ("tcp_op in [SYN, SYN-ACK] and has tcp_headers and ttl <= 64",
         lambda r: g(r, "tcp_op") in ("SYN", "SYN-ACK") and
         "tcp_headers" in r and g(r, "ttl", 999) <= 64),
        ("length > 1000 and tcp_op == ACK",
         lambda r: g(r, "length") > 1000 and g(r, "tcp_op") == "ACK"),
        ("truncated == true or has fragment",
         lambda r: g(r, "truncated") is True or "fragment" in r),
        ("icmp_type == 8 or protocol == icmpv6",
         lambda r: g(r, "icmp_type") == 8 or g(r, "protocol") == "icmpv6"),
        ("timestamp >= " + rfc3339(mid),
         lambda r: value(r, "timestamp", lambda v: tstamp(v) >= mid)),
        ("timestamp < %d.%09d" % (mid // 10**9, mid % 10**9),
         lambda r: value(r, "timestamp", lambda v: tstamp(v) < mid)),
    ]


# One stream of every capture's records (stats records included), so each
# expression is one run of the tool.
records, raws, header = [], [], None
for name in FILES:
    path = os.path.join(PCAPS, name + ".pcap")
    cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", path],
                         capture_output=True)
    if cap.returncode != 0:
        fail(f"tsa-capture -r {path}: {cap.stderr.decode().strip()}")
        continue
    h, rs = split_stream(cap.stdout)
    header = header or h
    raws += rs
    records += [msgpack.unpackb(r, raw=False) for r in rs]
if sum(1 for r in records if "type" in r) != len(FILES):
    fail("expected one stats record per capture")
data = tsatest.pack(header, raws)

for expr, pred in cases(records):
    n = check_split(expr, data, raws, pred, records)
    if n is not None:
        print(f"ok {n:5d} of {len(records)}: {expr}")
        if n == 0:
            fail(f"{expr!r}: no record passes, a weak test")
finish()
