#!/usr/bin/python3
"""The traffic mix, read back with tshark and mmdblookup: DNS answers with
A, AAAA and CNAME records (compressed), NXDOMAIN; names under multi-label
public suffixes; HTTP requests and responses; TLS ClientHellos whose SNI and
destination address were answered by an earlier DNS lookup (so addresses
map to names); a share of IPv6; ICMP, ICMPv6, NTP and QUIC; remote
addresses in at least 30 countries."""
import collections
import ipaddress
import os
import subprocess
import sys

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
DB = os.path.join(os.environ["TSA_TOP"], "data", "dbip-country.mmdb")
PCAP = os.path.join(TMP, "c.pcap")


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import done, fail  # noqa: E402


FIELDS = ("frame.number", "eth.type", "ip.src", "ip.dst", "ipv6.src",
          "ipv6.dst", "dns.flags.response", "dns.qry.name", "dns.a",
          "dns.aaaa", "dns.cname", "dns.flags.rcode", "udp.payload",
          "tls.handshake.type", "tls.handshake.extensions_server_name",
          "http.host", "http.request.method", "http.response.code",
          "http.server",
          "icmp.type", "icmpv6.type", "ntp.flags.mode",
          "quic.long.packet_type")

subprocess.run([os.path.join(BIN, "tsa-gen"), "-n", "40000", "-s", "5",
                "-o", PCAP], check=True)
# One pass of tshark over the file; each packet a dict of field strings.
cmd = ["tshark", "-r", PCAP, "-T", "fields", "-E", "separator=\t",
       "-E", "occurrence=a", "-E", "aggregator=,"]
for f in FIELDS:
    cmd += ["-e", f]
out = subprocess.run(cmd, capture_output=True, text=True, check=True)
PACKETS = [dict(zip(FIELDS, line.split("\t")))
           for line in out.stdout.splitlines()]


def tshark(filt, *fields):
    """Rows of the given fields of the packets where field filt is set
    (and, for dns.flags.response, 1)."""
    return [[p[f] for f in fields] for p in PACKETS
            if p[filt] not in ("", "0")]

# DNS: the record types and rcodes.
dns = tshark("dns.flags.response", "frame.number", "dns.qry.name",
             "dns.a", "dns.aaaa", "dns.cname", "dns.flags.rcode", "udp.payload")
if len(dns) < 1000:
    fail("only %d DNS responses" % len(dns))
for i, what in ((2, "A"), (3, "AAAA"), (4, "CNAME")):
    n = sum(1 for r in dns if r[i])
    print("DNS responses with %s: %d" % (what, n))
    if n < 50:
        fail("only %d DNS responses with %s records" % (n, what))
nx = sum(1 for r in dns if r[5] == "3")
print("NXDOMAIN:", nx)
if nx < 50:
    fail("only %d NXDOMAIN answers" % nx)
# Compression: the first answer's owner name points at the question
# (0xc00c), right after the 12-byte header and the question.
compressed = 0
for r in dns:
    p = bytes.fromhex(r[6])
    if int.from_bytes(p[6:8], "big") == 0:
        continue
    i = 12
    while p[i]:
        i += 1 + p[i]
    if p[i + 5:i + 7] == b"\xc0\x0c":
        compressed += 1
    else:
        fail("DNS answer in frame %s does not point at the question" % r[0])
print("compressed answers:", compressed)

names = set(r[1] for r in dns)
suffixes = [s for s in ("co.uk", "com.au", "co.jp", "com.br", "co.za",
                        "com.cn", "co.in", "com.tr") if
            any(n.endswith("." + s) for n in names)]
print("multi-label suffixes:", suffixes)
if len(suffixes) < 5:
    fail("names under only %s" % suffixes)

# TLS: SNI present; for connections out of the LAN, the destination was
# in a DNS answer for that very name before the ClientHello.
answered = collections.defaultdict(set)
events = []
for r in dns:
    for a in (r[2].split(",") if r[2] else []) + \
            (r[3].split(",") if r[3] else []):
        events.append((int(r[0]), "dns", r[1], a))
hellos = tshark("tls.handshake.extensions_server_name", "frame.number", "ip.dst",
                "ipv6.dst", "tls.handshake.extensions_server_name")
http = tshark("http.request.method", "frame.number", "ip.dst", "ipv6.dst",
              "http.host", "http.request.method")
for kind, rows in (("tls", hellos), ("http", http)):
    for r in rows:
        events.append((int(r[0]), kind, r[3], r[1] or r[2]))
events.sort()
checked = {"tls": [0, 0], "http": [0, 0]}
for _, kind, name, addr in events:
    if kind == "dns":
        answered[addr].add(name)
        continue
    if not name:
        fail("a %s request without a name" % kind)
    if ipaddress.ip_address(addr).is_private:
        continue                # inbound, to our servers
    checked[kind][0] += 1
    checked[kind][1] += name.split(":")[0] in answered[addr]
print("outbound connections with a matching earlier lookup:", checked)
for kind, (n, ok) in checked.items():
    if n < 200 or ok != n:
        fail("%s: %d of %d destinations were looked up first" % (kind, ok, n))
ports = [r[3] for r in http if r[3].endswith(":8080")]
print("HTTP requests to port 8080:", len(ports))
if not ports:
    fail("no Host with port 8080")
methods = collections.Counter(r[4] for r in http)
print("HTTP methods:", dict(methods))
if not all(methods[m] for m in ("GET", "POST", "HEAD")):
    fail("HTTP methods %s" % dict(methods))
responses = tshark("http.response.code", "ip.src", "ipv6.src", "http.server")
if len(responses) < 0.9 * len(http):
    fail("%d HTTP responses to %d requests" % (len(responses), len(http)))
# A server names the same software in every response.
software = collections.defaultdict(set)
for r in responses:
    software[r[0] or r[1]].add(r[2])
mixed = {a: v for a, v in software.items() if len(v) != 1}
if mixed:
    fail("servers naming more than one build: %s" % list(mixed.items())[:3])

# Protocol mix and the IPv6 share.
rows = tshark("frame.number", "eth.type", "icmp.type", "icmpv6.type", "ntp.flags.mode",
              "quic.long.packet_type")
total = len(rows)
v6 = sum(1 for r in rows if r[0] == "0x86dd")
print("IPv6: %d of %d" % (v6, total))
if not 0.08 * total < v6 < 0.3 * total:
    fail("IPv6 share %d of %d" % (v6, total))
for col, val, what in ((1, "8", "ICMP echo request"), (1, "0", "ICMP echo reply"),
                       (1, "3", "ICMP unreachable"), (2, "128", "ICMPv6 echo"),
                       (2, "129", "ICMPv6 echo reply"), (2, "1", "ICMPv6 unreachable"),
                       (3, "3", "NTP client"), (3, "4", "NTP server"),
                       (4, "0", "QUIC Initial")):
    n = sum(1 for r in rows if val in r[col].split(","))
    print("%s: %d" % (what, n))
    if n == 0:
        fail("no %s" % what)

# Countries of remote addresses, as DB-IP places them.
addrs = set()
for r in tshark("frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst"):
    for a in r:
        for x in a.split(","):
            if x and ipaddress.ip_address(x).is_global:
                addrs.add(x)
sample = sorted(addrs)[::max(1, len(addrs) // 300)]
countries = collections.Counter()
for a in sample:
    out = subprocess.run(["mmdblookup", "--file", DB, "--ip", a,
                          "country_code"], capture_output=True, text=True)
    cc = out.stdout.split('"')[1] if '"' in out.stdout else None
    countries[cc] += 1
print("%d addresses, %d countries: %s" % (len(sample), len(countries),
                                          dict(countries.most_common(8))))
if len(countries) < 30:
    fail("only %d countries" % len(countries))
done()
