#!/usr/bin/python3
"""Packets the real captures lack, built here byte by byte: VLAN tags
0x9100/802.1ad, PPPoE, MPLS, 802.3 LLC/SNAP, IPv4 options and fragments,
IPv6 extension headers (hop-by-hop, routing, destination options, AH,
fragments), DNS over TCP, DNS compression loops, HTTP and TLS on unusual
ports, and the link types DLT_LOOP, DLT_IPV6, DLT_NULL (big-endian) and
802.11 without radiotap.  Each file is checked against tshark with the
same comparison as tshark.t, and against values known from construction."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_agree as ta  # noqa: E402
from pktlib import *  # noqa: E402,F403

TMP = os.environ.get("TSA_TMP", "/tmp")

def dns_response(name):
    q = dns_name(name) + b"\0\x01\0\x01"
    cname = dns_name("www.example.net")
    ans = (b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 300, len(cname)) + cname +
           b"\xc0" + bytes([12 + len(q)]) + struct.pack("!HHIH", 1, 1, 300, 4) +
           bytes([203, 0, 113, 9]) +
           b"\xc0" + bytes([12 + len(q)]) + struct.pack("!HHIH", 28, 1, 300, 16) +
           A6[1])
    return struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 3, 0, 0) + q + ans


def records(path):
    rc, err, hdr, recs = ta.capture(path)
    return rc, [r for r in recs if "type" not in r], recs[-1]


def agree(path):
    """The tshark comparison of tshark.t on one file, both ways (fragments
    reassembled or not): no unknown difference, no tool error."""
    for mode in ta.MODES:
        rc, err, hdr, recs = ta.capture(path, mode)
        trc, terr, frames = ta.tshark_run(path, mode)
        diffs = []
        npk, nf, nok = ta.compare_file(path, recs, frames, diffs)
        bad = [d for d in diffs if not d[2]]
        for f, num, _, d in bad:
            print("    DIFFERENCE #%d %s: tshark %r, tsa-capture %r" % (num, *d))
        check(not bad and npk > 0 and rc == trc == 0 and err == terr == "",
              "%s, %s: %d packets, %d fields agree with tshark, %d known "
              "differences; exits %d, %d" % (os.path.basename(path), mode, npk,
                                            nok, len(diffs) - len(bad), rc, trc))


HTTP_REQ = b"GET /x?y=1 HTTP/1.1\r\nHost: example.org\r\nUser-Agent: t\r\n\r\n"
HTTP_RESP = b"HTTP/1.0 404 Not Found\r\nServer: t\r\n\r\nbody"
HELLO_SNI = "sni.example.com"


def client_hello(name):
    sni = name.encode()
    ext_sn = struct.pack("!HHHBH", 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni
    body = (b"\x03\x03" + b"\x11" * 32 + b"\x00" + struct.pack("!H", 2) + b"\x13\x01" +
            b"\x01\x00" + struct.pack("!H", len(ext_sn)) + ext_sn)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


# ---- Ethernet ----
eth_frames = [
    # 0: 0x9100 outer tag, 802.1Q inner tag, DNS query
    eth(0x9100, b"\0\x0a\x81\0" + b"\0\x14\x08\0" +
        ipv4(17, udp(40000, 53, dns_query("tagged.example")))),
    # 1: 802.1ad + 802.1Q, IPv6 with hop-by-hop and destination options, TCP SYN
    eth(0x88a8, b"\0\x0a\x81\0" + b"\0\x14\x86\xdd" +
        ipv6(0, ext(60, 0, b"\x01\x04\0\0\0\0") + ext(6, 1, b"\x01\x0c" + b"\0" * 12) +
             tcp(40001, 443, 2, opts=b"\x02\x04\x05\xb4\x01\x03\x03\x07\x04\x02\0\0"))),
    # 2: IPv6 first fragment (offset 0, M) carrying UDP; 3: a later one
    eth(0x86dd, ipv6(44, bytes([17, 0, 0, 1]) + b"\0\0\0\x07" +
                     udp(40002, 9999, b"a" * 32))),
    eth(0x86dd, ipv6(44, bytes([17, 0, 0x05, 0xa8]) + b"\0\0\0\x07" + b"b" * 40)),
    # 4: IPv6 with AH, then TCP ACK with HTTP on port 8081
    eth(0x86dd, ipv6(51, bytes([6, 4, 0, 0]) + b"\0\0\x01\0" + b"\0\0\0\x01" +
                     b"\x22" * 12 + tcp(40003, 8081, 0x18, HTTP_REQ))),
    # 5: IPv6 routing header, then ICMPv6 echo request
    eth(0x86dd, ipv6(43, ext(58, 2, b"\0\0\0\0\0\0") + bytes([128, 0, 0, 0, 0, 1, 0, 1]))),
    # 6: IPv4 with options (NOP, NOP, NOP, EOL), TCP SYN-ACK
    eth(0x0800, ipv4(6, tcp(80, 40004, 0x12, opts=b"\x02\x04\x05\xb4"),
                     opts=b"\x01\x01\x01\x00")),
    # 7: IPv4 later fragment (offset 185 * 8): no ports
    eth(0x0800, ipv4(17, b"c" * 40, frag=185, ident=7)),
    # 8: IPv4 first fragment with UDP
    eth(0x0800, ipv4(17, udp(40005, 7777, b"d" * 40), frag=0x2000, ident=8)),
    # 9: DNS over TCP, response with CNAME, A and AAAA
    eth(0x0800, ipv4(6, tcp(53, 40006, 0x18,
                            struct.pack("!H", len(dns_response("www.example.com"))) +
                            dns_response("www.example.com")))),
    # 10: PPPoE session, PPP IPv4, UDP DNS response
    (lambda ip: eth(0x8864, b"\x11\0\0\x01" + struct.pack("!H", 2 + len(ip)) +
                    b"\0\x21" + ip))(
        ipv4(17, udp(53, 40007, dns_response("pppoe.example.com")))),
    # 11: MPLS, two labels, then IPv4 ICMP echo reply
    eth(0x8847, b"\0\x01\x00\x40" + b"\0\x02\x01\x40" +
        ipv4(1, bytes([0, 0, 0, 0, 0, 1, 0, 1]))),
    # 12: ARP request: no record
    eth(0x0806, bytes.fromhex("0001080006040001") + b"\x02\0\0\0\0\x01" + A4[0] +
        b"\0" * 6 + A4[1]),
    # 13: 802.3 length, LLC/SNAP with IPv4, TLS ClientHello on port 8443
    (lambda p: b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02" + struct.pack("!H", len(p)) + p)(
        b"\xaa\xaa\x03\0\0\0\x08\0" +
        ipv4(6, tcp(40008, 8443, 0x18, client_hello(HELLO_SNI)))),
    # 14: HTTP response on port 8081
    eth(0x0800, ipv4(6, tcp(8081, 40003, 0x18, HTTP_RESP))),
]
path = pcap(os.path.join(TMP, "crafted-eth.pcap"), 1, eth_frames)
rc, r, stats = records(path)
check(rc == 0 and len(r) == 14 and stats["non_ip"] == 1 and stats["malformed"] == 0,
      "ethernet: 14 records, the ARP frame counted: %r" % stats)
by = dict(enumerate(r[:12]))
check(r[0]["dns_query_names"] == ["tagged.example"], "0x9100 + 802.1Q tags")
check(r[1]["protocol"] == "tcp" and r[1]["dst_port"] == 443 and
      r[1]["tcp_headers"] == eth_frames[1][22:], "IPv6 ext headers: tcp_headers span them")
check(r[2].get("fragment") == "first" and r[2]["dst_port"] == 9999 and
      r[3].get("fragment") == "later" and "src_port" not in r[3] and
      r[3]["protocol"] == "udp", "IPv6 fragments")
check(r[4].get("http_uri") == "/x?y=1" and r[4]["http_host"] == "example.org" and
      r[4]["http_headers"] == HTTP_REQ, "AH, then HTTP on port 8081")
check(r[5]["protocol"] == "icmpv6" and r[5]["icmp_type"] == 128, "routing header, ICMPv6")
check(r[6]["tcp_op"] == "SYN-ACK" and r[6]["tcp_headers"][:24] == eth_frames[6][14:38],
      "IPv4 options in tcp_headers")
check(r[7]["fragment"] == "later" and "src_port" not in r[7] and
      r[8]["fragment"] == "first" and r[8]["dst_port"] == 7777, "IPv4 fragments")
check(r[9]["dns_resp_ips"] == [bytes([203, 0, 113, 9]), A6[1]] and
      r[9]["dns_cnames"] == ["www.example.net"] and
      r[9]["dns_query_names"] == ["www.example.com"], "DNS over TCP")
check(r[10]["dns_query_names"] == ["pppoe.example.com"], "PPPoE")
check(r[11]["protocol"] == "icmp" and r[11]["icmp_type"] == 0, "MPLS")
check(r[12]["tls_sni"] == HELLO_SNI and r[12]["application_type"] == "tls",
      "802.3 LLC/SNAP, TLS SNI on port 8443")
check(r[13]["http_status"] == 404 and r[13]["http_headers"] == HTTP_RESP[:-4],
      "HTTP response on port 8081, header block without the body")
agree(path)

# ---- DNS that must not hang or crash: compression loops ----
loop_self = (struct.pack("!HHHHHH", 1, 0x8180, 1, 1, 0, 0) + b"\xc0\x0c" +
             b"\0\x01\0\x01")
loop_pair = (struct.pack("!HHHHHH", 1, 0x8180, 1, 1, 0, 0) + b"\x01a\xc0\x14" +
             b"\0\x01\0\x01" + b"\x01b\xc0\x0c" + struct.pack("!HHIH", 1, 1, 1, 4) +
             b"\x0a\0\0\x01")
deep = b"".join(b"\x01x" for _ in range(200)) + b"\0"     # 400 bytes of labels
long_name = struct.pack("!HHHHHH", 2, 0x0100, 1, 0, 0, 0) + deep + b"\0\x01\0\x01"
odd_label = (struct.pack("!HHHHHH", 3, 0x0100, 1, 0, 0, 0) + b"\x05a.b\\\x01" +
             b"\x04caf\xe9\x06h\xc3\xa9llo\0" + b"\0\x01\0\x01")
dns_frames = [eth(0x0800, ipv4(17, udp(53, 40010, m)))
              for m in (loop_self, loop_pair, long_name, odd_label)]
# Text that is not UTF-8 in HTTP and TLS too.
dns_frames += [
    eth(0x0800, ipv4(6, tcp(40011, 80, 0x18,
                            b"GET /caf\xe9 HTTP/1.1\r\nHost: h\xc3\xa9.example\r\n\r\n"))),
    eth(0x0800, ipv4(6, tcp(40012, 443, 0x18, client_hello("a\x7fb")))),
]
path = pcap(os.path.join(TMP, "crafted-text.pcap"), 1, dns_frames)
rc, r, stats = records(path)
check(rc == 0 and len(r) == 6 and all(x["dns_query_resp"] == "response" for x in r[:2])
      and "dns_query_names" not in r[0] and "dns_query_names" not in r[1] and
      stats["malformed"] == 2,
      "compression loops: records without names, counted malformed: %r" % stats)
check(r[2]["dns_query_names"] == [".".join(["x"] * 200)], "a 399-character name")
check(r[3]["dns_query_names"] == ["a\\.b\\\\\\001.caf\\233.h\u00e9llo"],
      "label bytes escaped, UTF-8 kept: %r" % r[3].get("dns_query_names"))
check(r[4]["http_uri"] == "/caf\\233" and r[4]["http_host"] == "h\u00e9.example",
      "HTTP text escaped: %r %r" % (r[4].get("http_uri"), r[4].get("http_host")))
check(r[5]["tls_sni"] == "a\\127b", "SNI escaped: %r" % r[5].get("tls_sni"))

# ---- other link types ----
loop = pcap(os.path.join(TMP, "crafted-loop.pcap"), 108, [
    struct.pack("!I", 30) + ipv6(17, udp(5353, 5353, dns_query("host.local"))),
    struct.pack("!I", 2) + ipv4(6, tcp(40020, 80, 0x18, HTTP_REQ))])
raw6 = pcap(os.path.join(TMP, "crafted-ipv6.pcap"), 229, [
    ipv6(6, tcp(40021, 443, 0x18, client_hello("v6.example"))),
    ipv6(58, bytes([1, 4, 0, 0, 0, 0, 0, 0]) + ipv6(17, udp(1, 2, b"")))])
null_be = pcap(os.path.join(TMP, "crafted-null-be.pcap"), 0, [
    struct.pack("!I", 2) + ipv4(17, udp(40030, 53, dns_query("be.example"))),
    struct.pack("!I", 24) + ipv6(6, tcp(40031, 22, 2))], endian=">")
wlan_hdr = lambda fc0, fc1: bytes([fc0, fc1]) + b"\0\0" + b"\x02\0\0\0\0\x01" * 3 + b"\0\0"
wlan = pcap(os.path.join(TMP, "crafted-80211.pcap"), 105, [
    # data, from DS
    wlan_hdr(0x08, 0x02) + b"\xaa\xaa\x03\0\0\0\x08\0" +
    ipv4(17, udp(53, 40040, dns_response("wifi.example"))),
    # QoS data, to DS, with the QoS control field
    wlan_hdr(0x88, 0x01) + b"\0\0" + b"\xaa\xaa\x03\0\0\0\x86\xdd" +
    ipv6(6, tcp(40041, 80, 2)),
    # protected data: skipped
    wlan_hdr(0x08, 0x41) + b"\0" * 40,
    # beacon (management): skipped
    bytes([0x80, 0]) + b"\0" * 40])
for p, n in ((loop, 2), (raw6, 2), (null_be, 2), (wlan, 2)):
    rc, r, stats = records(p)
    check(rc == 0 and len(r) == n, "%s: %d records, stats %r" %
          (os.path.basename(p), len(r), stats))
    agree(p)
rc, r, stats = records(wlan)
check(stats["non_ip"] == 2 and r[0]["dns_cnames"] == ["www.example.net"] and
      r[1]["tcp_op"] == "SYN", "802.11: data and QoS data decoded, protected and "
      "management frames counted as not IP")
rc, r, stats = records(raw6)
check(r[0]["tls_sni"] == "v6.example" and r[1]["icmp_type"] == 1 and
      "src_port" not in r[1], "DLT_IPV6: SNI, ICMPv6 error without the quoted ports")

finish()
