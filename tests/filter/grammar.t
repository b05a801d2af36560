#!/usr/bin/python3
# The expression language on a generated stream: every operator and value
# type, precedence and parentheses, CIDR edges (v4, v6, v4-mapped), absent
# keys, arrays, case-insensitive names.  Each expression is checked against
# the same predicate written out in Python: the passing and failing streams
# must split the records exactly, in order, with stats records in both.
import fnmatch
import os
import random
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import (check_split, finish, fail, in_net, ip, is_num, num,
                       present_not, stream, text, tstamp, value)

rng = random.Random(7)
ADDRS = ["10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0",
         "172.16.0.1", "172.31.255.255", "172.32.0.0", "192.168.1.1",
         "8.8.8.8", "8.8.9.1", "0.0.0.0", "255.255.255.255", "93.184.216.34",
         "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
         "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "fe80::1",
         "febf:ffff::1", "fec0::1", "::1", "::", "::ffff:10.1.2.3",
         "::ffff:11.1.2.3"]
NAMES = ["www.example.com", "WWW.Example.COM", "mail.example.org",
         "example.com", "cdn.example.cn", "a.b.CN", "xn--bcher-kva.example",
         "cn", "foo.cnn.com", "*.weird", "dl.cdn.example.net"]
COUNTRIES = ["CN", "RU", "DE", "US", "MX", "NL", "cn"]


def maybe(p=0.5):
    return rng.random() < p


def record(i):
    r = {}
    if maybe(0.9):
        r["timestamp"] = msgpack.Timestamp(
            1700000000 + rng.randint(-3, 3), rng.choice(
                [0, 5, 499999999, 500000000, 999999999]))
    r["length"] = rng.choice([40, 60, 576, 1499, 1500, 1501, 65535])
    v6 = maybe(0.4)
    r["ip_version"] = 6 if v6 else 4
    for k in ("src_addr", "dst_addr"):
        if maybe(0.95):
            r[k] = ip(rng.choice(ADDRS))
    r["protocol"] = rng.choice(["tcp", "udp", "icmp", 47, 0])
    r["ttl"] = rng.choice([1, 63, 64, 65, 128, 255])
    if r["protocol"] in ("tcp", "udp") and maybe(0.9):
        r["src_port"] = rng.choice([0, 53, 443, 1023, 1024, 50000, 65535])
        r["dst_port"] = rng.choice([53, 80, 443, 8080, 1023, 1024])
    if r["protocol"] == "tcp":
        r["tcp_flags"] = rng.choice([0x02, 0x12, 0x10, 0x18, 0x04])
        r["tcp_op"] = {2: "SYN", 0x12: "SYN-ACK", 0x10: "ACK",
                       0x18: "PSH-ACK", 4: "RST"}[r["tcp_flags"]]
    if maybe(0.3):
        r["dns_query_names"] = rng.sample(NAMES, rng.randint(0, 3))
        if maybe():
            r["dns_resp_ips"] = [ip(rng.choice(ADDRS))
                                 for _ in range(rng.randint(0, 3))]
        if maybe(0.3):
            r["dns_cnames"] = rng.sample(NAMES, rng.randint(1, 2))
    if maybe(0.3):
        r["tls_sni"] = rng.choice(NAMES)
    if maybe(0.2):
        r["http_uri"] = rng.choice(["/index.html", "/Index.html", "/",
                                    "/a b", '/q"x'])
    if maybe(0.1):
        r["truncated"] = True
    if maybe(0.3):
        r["src_country"] = rng.choice(COUNTRIES)
    if maybe(0.3):
        r["src_lat"] = rng.choice([-33.5, 0.0, 10.5, 52.25, -10.5])
    if maybe(0.3):
        r["x_delta"] = rng.choice([-5, -2, -1, 0, 2, 2**63 + 5])
    if maybe(0.3):
        r["user_tag"] = rng.choice([5, "five", "Five", ["x", 5],
                                    ["fi", ["five"]], {"five": 5}, 5.0])
    return r


records = []
for i in range(3000):
    if i % 500 == 250:
        records.append({"type": "stats", "final": False, "decoded": i})
    records.append(record(i))
# The keys of tsa-geo are in the records: the header says it ran.
data, raws = stream(records, {"tsa": 1, "kind": "packets",
                              "tools": [["test"], ["tsa-geo"]]})

G = fnmatch.fnmatchcase
P, T = "protocol", "timestamp"
g = dict.get


def ts(sec, nsec=0):
    return lambda v: tstamp(v) is not None and tstamp(v) >= sec * 10**9 + nsec


cases = [
    # numbers, every operator
    ("protocol == tcp and dst_port == 443",
     lambda r: g(r, P) == "tcp" and g(r, "dst_port") == 443),
    ('protocol == "tcp" and dst_port == 443',
     lambda r: g(r, P) == "tcp" and g(r, "dst_port") == 443),
    ("dst_port != 53", lambda r: present_not(r, "dst_port",
                                             lambda v: v == 53)),
    ("src_port < 1024", lambda r: value(r, "src_port", num(lambda v: v < 1024))),
    ("src_port <= 1023", lambda r: value(r, "src_port",
                                         num(lambda v: v <= 1023))),
    ("src_port > 1023", lambda r: value(r, "src_port", num(lambda v: v > 1023))),
    ("src_port >= 65535", lambda r: value(r, "src_port",
                                          num(lambda v: v >= 65535))),
    ("length in [60, 576, 1500]", lambda r: r["length"] in (60, 576, 1500)),
    ("ttl == 0x40", lambda r: r["ttl"] == 64),
    ("ttl > 6.4e1", lambda r: r["ttl"] > 64),
    ("length < 1500.5", lambda r: r["length"] < 1500.5),
    ("src_lat > -10.5", lambda r: value(r, "src_lat", num(lambda v: v > -10.5))),
    ("src_lat <= -10.5", lambda r: value(r, "src_lat",
                                         num(lambda v: v <= -10.5))),
    ("src_lat == 0", lambda r: value(r, "src_lat", num(lambda v: v == 0))),
    ("x_delta < -1", lambda r: value(r, "x_delta", num(lambda v: v < -1))),
    ("x_delta > 9223372036854775807",
     lambda r: value(r, "x_delta", num(lambda v: v > 2**63 - 1))),
    ("x_delta >= -2 and x_delta <= 0",
     lambda r: value(r, "x_delta", num(lambda v: -2 <= v <= 0))),
    ("protocol == 47", lambda r: g(r, P) == 47),
    ("protocol in [0, icmp]", lambda r: g(r, P) in (0, "icmp")),
    ("protocol != tcp", lambda r: g(r, P) != "tcp"),
    ("protocol > 5", lambda r: is_num(r[P]) and r[P] > 5),
    ("protocol > icmp", lambda r: isinstance(r[P], str) and r[P] > "icmp"),
    # precedence: not > and > or, and the C-style spellings
    ("protocol == udp or protocol == tcp and dst_port == 53",
     lambda r: g(r, P) == "udp" or (g(r, P) == "tcp" and
                                    g(r, "dst_port") == 53)),
    ("(protocol == udp or protocol == tcp) and dst_port == 53",
     lambda r: g(r, P) in ("udp", "tcp") and g(r, "dst_port") == 53),
    ("not protocol == tcp and has dst_port",
     lambda r: g(r, P) != "tcp" and "dst_port" in r),
    ("not (protocol == tcp and has dst_port)",
     lambda r: not (g(r, P) == "tcp" and "dst_port" in r)),
    ("! has dst_port || length > 1000 && ttl <= 64",
     lambda r: "dst_port" not in r or (r["length"] > 1000 and
                                       r["ttl"] <= 64)),
    ("not not has truncated", lambda r: "truncated" in r),
    ("((ttl == 64)) and (not (length == 60 or length == 40))",
     lambda r: r["ttl"] == 64 and r["length"] not in (60, 40)),
    ("ttl == 1 or ttl == 63 or ttl == 255 or length == 60",
     lambda r: r["ttl"] in (1, 63, 255) or r["length"] == 60),
    # absent keys: false, whatever the operator
    ("dst_port == 53 or not has dst_port",
     lambda r: g(r, "dst_port") == 53 or "dst_port" not in r),
    ("not dst_port == 53", lambda r: g(r, "dst_port") != 53),
    ("no_such_key != 1 or no_such_key < 1 or has no_such_key",
     lambda r: False),
    ("not no_such_key == 1", lambda r: True),
    # addresses: CIDR edges, v6, v4-mapped
    ("src_addr in 10.0.0.0/8", lambda r: value(r, "src_addr",
                                               in_net("10.0.0.0/8"))),
    ("src_addr in 172.16.0.0/12", lambda r: value(r, "src_addr",
                                                  in_net("172.16.0.0/12"))),
    ("src_addr in 10.0.0.0/32 or dst_addr == 255.255.255.255",
     lambda r: value(r, "src_addr", in_net("10.0.0.0/32")) or
     value(r, "dst_addr", in_net("255.255.255.255/32"))),
    ("src_addr in 0.0.0.0/0", lambda r: value(r, "src_addr",
                                              in_net("0.0.0.0/0"))),
    ("src_addr in ::/0", lambda r: value(r, "src_addr", in_net("::/0"))),
    ("src_addr in 10.1.2.3/31", lambda r: value(r, "src_addr",
                                                in_net("10.1.2.2/31"))),
    ("dst_addr == 2001:db8::1", lambda r: value(r, "dst_addr",
                                                in_net("2001:db8::1/128"))),
    ('dst_addr in "2001:db8::/32"',
     lambda r: value(r, "dst_addr", in_net("2001:db8::/32"))),
    ("dst_addr in fe80::/10", lambda r: value(r, "dst_addr",
                                              in_net("fe80::/10"))),
    ("dst_addr in ::ffff:0:0/96", lambda r: value(r, "dst_addr",
                                                  in_net("::ffff:0:0/96"))),
    ("src_addr != 10.0.0.0/8",
     lambda r: present_not(r, "src_addr", in_net("10.0.0.0/8"))),
    ("src_addr in [10.0.0.0/8, fe80::/10, 8.8.8.8]",
     lambda r: value(r, "src_addr", lambda v: in_net("10.0.0.0/8")(v) or
                     in_net("fe80::/10")(v) or in_net("8.8.8.8/32")(v))),
    ("not (src_addr in 10.0.0.0/8 or dst_addr in 10.0.0.0/8)",
     lambda r: not (value(r, "src_addr", in_net("10.0.0.0/8")) or
                    value(r, "dst_addr", in_net("10.0.0.0/8")))),
    # arrays: any element
    ("dns_resp_ips in 8.8.8.0/24",
     lambda r: value(r, "dns_resp_ips", in_net("8.8.8.0/24"))),
    ("dns_resp_ips != 8.8.8.0/24",
     lambda r: present_not(r, "dns_resp_ips", in_net("8.8.8.0/24"))),
    ("has dns_resp_ips and not dns_resp_ips in 0.0.0.0/0",
     lambda r: "dns_resp_ips" in r and
     not value(r, "dns_resp_ips", in_net("0.0.0.0/0"))),
    # text, case-insensitive names, globs
    ('dns_query_names ~ "*.cn"',
     lambda r: value(r, "dns_query_names", text(lambda v: G(v, "*.cn"),
                                                True))),
    ("dns_query_names == WWW.EXAMPLE.COM",
     lambda r: value(r, "dns_query_names",
                     text(lambda v: v == "www.example.com", True))),
    ("dns_query_names != www.example.com",
     lambda r: present_not(r, "dns_query_names",
                           text(lambda v: v == "www.example.com", True))),
    ('dns_query_names !~ "*example*"',
     lambda r: present_not(r, "dns_query_names",
                           text(lambda v: G(v, "*example*"), True))),
    ("dns_cnames ~ [*cdn*, cn]",
     lambda r: value(r, "dns_cnames", text(
         lambda v: G(v, "*cdn*") or v == "cn", True))),
    ('tls_sni ~ "*.EXAMPLE.com"',
     lambda r: value(r, "tls_sni", text(lambda v: G(v, "*.example.com"),
                                        True))),
    ('tls_sni ~ "?ww.example.???"',
     lambda r: value(r, "tls_sni", text(lambda v: G(v, "?ww.example.???"),
                                        True))),
    ('tls_sni ~ "[mw]*.example.[!o]*"',
     lambda r: value(r, "tls_sni", text(lambda v: G(v, "[mw]*.example.[!o]*"),
                                        True))),
    (r'tls_sni ~ "\*.weird"', lambda r: g(r, "tls_sni") == "*.weird"),
    ('tls_sni ~ "*"', lambda r: "tls_sni" in r),
    ("tls_sni < m", lambda r: value(r, "tls_sni", text(lambda v: v < "m",
                                                       True))),
    ("tls_sni >= WWW", lambda r: value(r, "tls_sni", text(lambda v: v >= "www",
                                                          True))),
    ('http_uri ~ "/index*"', lambda r: g(r, "http_uri") == "/index.html"),
    ("http_uri == /Index.html", lambda r: g(r, "http_uri") == "/Index.html"),
    ("http_uri == '/a b' or http_uri == \"/q\\\"x\"",
     lambda r: g(r, "http_uri") in ("/a b", '/q"x')),
    # country codes in any case
    ("src_country in [CN, RU]", lambda r: value(r, "src_country", text(
        lambda v: v in ("cn", "ru"), True))),
    ('src_country == "cn"', lambda r: value(r, "src_country", text(
        lambda v: v == "cn", True))),
    ("src_country >= M", lambda r: value(r, "src_country",
                                         text(lambda v: v >= "m", True))),
    ("tcp_op in [SYN, SYN-ACK]", lambda r: g(r, "tcp_op") in ("SYN",
                                                               "SYN-ACK")),
    # booleans
    ("truncated == true", lambda r: g(r, "truncated") is True),
    ("truncated != false", lambda r: g(r, "truncated") is True),
    ("truncated == false", lambda r: False),
    # times: RFC 3339 (offsets, fractions), dates, seconds
    ("timestamp >= 2023-11-14T22:13:20Z", lambda r: value(r, T, ts(1700000000))),
    ("timestamp < 2023-11-14T23:13:21.5+01:00",
     lambda r: value(r, T, lambda v: tstamp(v) < 1700000001500000000)),
    ("timestamp == 2023-11-14T22:13:19.000000005Z",
     lambda r: value(r, T, lambda v: tstamp(v) == 1699999999000000005)),
    ("timestamp > 1700000001", lambda r: value(r, T, lambda v: tstamp(v) >
                                               1700000001 * 10**9)),
    ("timestamp >= 1700000000.5",
     lambda r: value(r, T, lambda v: tstamp(v) >= 1700000000500000000)),
    ("timestamp > 2023-11-14", lambda r: value(r, T, lambda v: tstamp(v) >
                                               1699920000 * 10**9)),
    ("timestamp > 2024-02-29 or timestamp < 2023-11-14T23:13:18.5+01:00",
     lambda r: value(r, T, lambda v: tstamp(v) < 1699999998500000000)),
    ("timestamp >= 2023-11-14T17:13:20-05:00",
     lambda r: value(r, T, lambda v: tstamp(v) >= 1700000000 * 10**9)),
    ('timestamp <= "2023-11-14 22:13:17.999999999Z"',
     lambda r: value(r, T, lambda v: tstamp(v) <= 1699999997999999999)),
    # keys of other stages: whatever type the record holds
    ("user_tag == 5", lambda r: value(r, "user_tag", num(lambda v: v == 5))),
    ("user_tag == five", lambda r: value(r, "user_tag",
                                         text(lambda v: v == "five"))),
    ("user_tag ~ f*", lambda r: value(r, "user_tag",
                                      text(lambda v: G(v, "f*")))),
    ("user_tag != 5", lambda r: present_not(r, "user_tag",
                                            num(lambda v: v == 5))),
    ("has user_tag", lambda r: "user_tag" in r),
]

for expr, pred in cases:
    n = check_split(expr, data, raws, pred, records)
    if n is not None:
        print(f"ok {n:5d} passed: {expr}")

# An expression that never matches, and one that always does, still copy
# the stats records.
n = sum(1 for r in records if "type" in r)
check_split("length < 0", data, raws, lambda r: False, records)
check_split("length >= 0", data, raws, lambda r: True, records)
if n != 6:
    fail(f"{n} stats records in the test stream")
finish()
