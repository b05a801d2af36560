#!/usr/bin/python3
"""Compare tsa-capture's packet records with tshark 4.0, packet by packet.

For every capture in $PCAPS that libpcap opens, tshark decodes each frame on
its own (no defragmentation, no TCP reassembly, no sequence analysis: the
way a capture tool sees packets) and the fields below are compared for every
frame that tshark does not mark malformed.  Frames are matched by time and
length, in order.  Every difference must fall under one of the KNOWN reasons
below; anything else fails the test.

Usage: tshark_agree.py [PCAP...]   (default: all of $PCAPS)
"""
import concurrent.futures
import io
import ipaddress
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
AGG = "\x1f"

TSHARK_OPTS = [
    "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
    "-o", "tcp.desegment_tcp_streams:FALSE",
    "-o", "tcp.analyze_sequence_numbers:FALSE",
    "-o", "tcp.check_checksum:FALSE", "-o", "udp.check_checksum:FALSE",
    "-o", "ip.check_checksum:FALSE",
]
FIELDS = [
    "frame.time_epoch", "frame.len", "frame.cap_len", "frame.protocols",
    "_ws.malformed",
    "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.flags.mf", "ip.frag_offset",
    "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.fraghdr.offset", "ipv6.fraghdr.nxt",
    "ipv6.fraghdr.more",
    "tcp.srcport", "tcp.dstport", "tcp.flags",
    "udp.srcport", "udp.dstport",
    "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code",
    "dns.flags.response", "dns.flags.rcode", "dns.qry.name",
    "dns.count.answers", "dns.resp.type", "dns.a", "dns.aaaa", "dns.cname",
    "http.request.method", "http.request.uri", "http.host",
    "http.response.code",
    "tls.handshake.extensions_server_name",
]
PROTO_NUM = {"icmp": 1, "tcp": 6, "udp": 17, "icmpv6": 58}


def tshark(path):
    out = subprocess.run(
        ["tshark", "-r", path, "-n"] + TSHARK_OPTS +
        ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=" + AGG] +
        sum((["-e", f] for f in FIELDS), []),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
    frames = []
    for line in out.decode("utf-8", "replace").split("\n"):
        if not line:
            continue
        vals = line.split("\t")
        frames.append({f: (v.split(AGG) if v else [])
                       for f, v in zip(FIELDS, vals)})
    return frames


def capture(path):
    p = subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-r", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    recs = tsatest.maps(p.stdout)
    return p.returncode, p.stderr.decode(), recs[0], [r for r in recs[1:]]


def ip_text(b):
    return str(ipaddress.ip_address(b))


def first(fr, key):
    v = fr[key]
    return v[0] if v else None


def ival(fr, key, base=10):
    v = first(fr, key)
    return int(v, base) if v is not None else None


def answer_addrs(fr):
    """A and AAAA records of the answer section (dns.a/dns.aaaa hold every
    section's; dns.resp.type lists every record's type in order)."""
    n_ans = int(first(fr, "dns.count.answers") or 0)
    a, aaaa, out = list(fr["dns.a"]), list(fr["dns.aaaa"]), []
    for i, t in enumerate(fr["dns.resp.type"]):
        if t == "1" and a:
            v = a.pop(0)
        elif t == "28" and aaaa:
            v = aaaa.pop(0)
        else:
            continue
        if i < n_ans:
            out.append(v)
    return out


def answer_cnames(fr):
    n_ans = int(first(fr, "dns.count.answers") or 0)
    c, out = list(fr["dns.cname"]), []
    for i, t in enumerate(fr["dns.resp.type"]):
        if t == "5" and c:
            v = c.pop(0)
            if i < n_ans:
                out.append(v)
    return out


def expected(fr):
    """What the record should say, from tshark's fields: {key: value}."""
    e = {}
    protos = fr["frame.protocols"][0].split(":") if fr["frame.protocols"] else []
    ipl = next((p for p in protos if p in ("ip", "ipv6")), None)
    if ipl is None:
        return None
    e["length"] = int(fr["frame.len"][0])
    e["truncated"] = int(fr["frame.cap_len"][0]) < e["length"]
    if not (fr["ip.src"] or fr["ipv6.src"]):
        return None     # tshark found no addresses (bogus version, IHL < 5)
    if ipl == "ip":
        e["ip_version"] = 4
        e["src_addr"], e["dst_addr"] = first(fr, "ip.src"), first(fr, "ip.dst")
        e["protocol"] = ival(fr, "ip.proto")
        e["ttl"] = ival(fr, "ip.ttl")
        mf, off = first(fr, "ip.flags.mf"), ival(fr, "ip.frag_offset")
        if off:
            e["fragment"] = "later"
        elif mf in ("1", "True"):
            e["fragment"] = "first"
    else:
        e["ip_version"] = 6
        e["src_addr"], e["dst_addr"] = first(fr, "ipv6.src"), first(fr, "ipv6.dst")
        e["ttl"] = ival(fr, "ipv6.hlim")
        if ival(fr, "ipv6.fraghdr.offset"):
            e["fragment"] = "later"
        elif first(fr, "ipv6.fraghdr.more") in ("1", "True"):
            e["fragment"] = "first"
        # The protocol after the extension headers (and AH).
        i = protos.index("ipv6") + 1
        while i < len(protos) and (protos[i].startswith("ipv6.") or protos[i] == "ah"):
            i += 1
        if i < len(protos) and protos[i] in PROTO_NUM:
            e["protocol"] = PROTO_NUM[protos[i]]
        elif fr["ipv6.fraghdr.nxt"] and ival(fr, "ipv6.fraghdr.offset"):
            e["protocol"] = ival(fr, "ipv6.fraghdr.nxt")   # a later fragment
    after = protos[protos.index(ipl) + 1:]
    if "tcp" in after[:3] or "udp" in after[:3]:
        t = "tcp" if "tcp" in after[:3] else "udp"
        if fr[t + ".srcport"]:
            e["src_port"] = int(first(fr, t + ".srcport"))
            e["dst_port"] = int(first(fr, t + ".dstport"))
        if t == "tcp" and fr["tcp.flags"]:
            e["tcp_flags"] = int(first(fr, "tcp.flags"), 16) & 0xff
    for t in ("icmp", "icmpv6"):
        if t in after[:3] and fr[t + ".type"]:
            e["icmp_type"] = int(first(fr, t + ".type"))
            e["icmp_code"] = int(first(fr, t + ".code"))
    if fr["dns.flags.response"]:
        resp = first(fr, "dns.flags.response") in ("1", "True")
        e["dns_query_resp"] = "response" if resp else "query"
        if resp and fr["dns.flags.rcode"]:
            e["dns_rcode"] = int(first(fr, "dns.flags.rcode"))
        e["dns_query_names"] = ["" if n == "<Root>" else n
                                for n in fr["dns.qry.name"]]
        e["dns_resp_ips"] = answer_addrs(fr)
        e["dns_cnames"] = answer_cnames(fr)
    if fr["http.request.method"]:
        e["http_method"] = first(fr, "http.request.method")
    if fr["http.request.uri"]:
        e["http_uri"] = first(fr, "http.request.uri")
    if fr["http.host"]:
        e["http_host"] = first(fr, "http.host")
    if fr["http.response.code"]:
        e["http_status"] = int(first(fr, "http.response.code"))
    if fr["tls.handshake.extensions_server_name"]:
        e["tls_sni"] = first(fr, "tls.handshake.extensions_server_name")
    return {k: v for k, v in e.items() if v is not None}


def actual(rec):
    a = dict(rec)
    for k in ("src_addr", "dst_addr"):
        if k in a:
            a[k] = ip_text(a[k])
    if isinstance(a.get("protocol"), str):
        a["protocol"] = PROTO_NUM[a["protocol"]]
    a["truncated"] = bool(a.get("truncated"))
    if "dns_query_resp" in a:
        for k in ("dns_query_names", "dns_resp_ips", "dns_cnames"):
            a.setdefault(k, [])
        a["dns_resp_ips"] = [ip_text(x) for x in a["dns_resp_ips"]]
    return a


COMPARED = ["length", "truncated", "ip_version", "src_addr", "dst_addr",
            "protocol", "ttl", "fragment", "src_port", "dst_port", "tcp_flags",
            "icmp_type", "icmp_code", "dns_query_resp", "dns_rcode",
            "dns_query_names", "dns_resp_ips", "dns_cnames", "http_method",
            "http_uri", "http_host", "http_status", "tls_sni"]


# Differences that are understood, each with its reason.  A difference is
# excused only when its rule matches; keep this list small and honest.
DNS_PORTS = (53, 5353, 5355)
QUOTED = ("src_port", "dst_port", "tcp_flags", "dns_query_resp", "dns_rcode",
          "dns_query_names", "dns_resp_ips", "dns_cnames", "http_method",
          "http_uri",
          "http_host", "http_status", "tls_sni")


def tshark_text(s):
    """tsa-capture's escaped text the way tshark 4.0 shows the same bytes:
    U+FFFD for bytes that are not UTF-8, C escapes (octal) for control
    characters, a bare dot for a dot inside a label."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and s[i + 1:i + 4].isdigit():
            c = int(s[i + 1:i + 4])
            out.append("\ufffd" if c >= 128 else
                       {13: "\\r", 10: "\\n", 9: "\\t"}.get(c, "\\%03o" % c))
            i += 4
        elif s[i] == "\\" and i + 1 < len(s):
            out.append(s[i + 1])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def rule_icmp_quote(key, e, a):
    return a.get("protocol") in (1, 58) and key in QUOTED


def rule_dns_port(key, e, a):
    return key.startswith("dns_") and not (
        e.get("src_port") in DNS_PORTS or e.get("dst_port") in DNS_PORTS)


def rule_escape(key, e, a):
    return (key in ("dns_query_names", "dns_cnames") and
            isinstance(a.get(key), list) and
            [tshark_text(n) for n in a[key]] == e.get(key))


def rule_extended_label(key, e, a):
    return key in ("dns_query_names", "dns_cnames") and any(
        "<Unknown extended label>" in n for n in e.get(key) or [])


KNOWN = [
    ("icmp-quote", rule_icmp_quote,
     "tshark also dissects the packet quoted in an ICMP error (its ports, "
     "DNS and HTTP); tsa-capture describes the ICMP message itself"),
    ("dns-other-port", rule_dns_port,
     "tshark dissects DNS on other ports of a conversation it saw on port 53 "
     "(ports garbled by the fuzzer); tsa-capture decodes DNS on 53, 5353 and "
     "5355 only"),
    ("escaped-text", rule_escape,
     "bytes of a name that are not printable: tsa-capture writes \\DDD "
     "(decimal, as DNS master files) and \\. for a dot inside a label; tshark "
     "writes U+FFFD, C escapes, or the bare dot"),
    ("extended-label", rule_extended_label,
     "a label of the reserved extended type: tshark shows a placeholder "
     "text, tsa-capture gives up on the malformed name"),
]


def excuse(key, e, a):
    for name, rule, _ in KNOWN:
        if rule(key, e, a):
            return name
    return None


def ts_text(t):
    return "%d.%09d" % (t.seconds, t.nanoseconds)


def rec_key(r):
    return (ts_text(r["timestamp"]), r["length"])


def compare_file(path, recs, frames, diffs):
    """Returns (packets compared, fields compared, fields agreeing)."""
    pkts = [r for r in recs if "type" not in r]
    npk = nf = nok = 0
    j = 0
    for num, fr in enumerate(frames, 1):
        e = expected(fr)
        key = (fr["frame.time_epoch"][0], int(fr["frame.len"][0]))
        rec = None
        if j < len(pkts) and rec_key(pkts[j]) == key:
            # Frames with equal times and lengths (some test files have all
            # times zero): a frame without IP leaves the record to the next
            # frame when that one has the record's source address.
            nxt = frames[num] if num < len(frames) else None
            if e is not None or nxt is None or not (
                    (nxt["frame.time_epoch"][0], int(nxt["frame.len"][0])) == key
                    and ip_text(pkts[j]["src_addr"]) in
                    nxt["ip.src"][:1] + nxt["ipv6.src"][:1]):
                rec = pkts[j]
                j += 1
        if fr["_ws.malformed"]:
            continue
        if e is None and rec is None:
            continue
        npk += 1
        a = actual(rec) if rec else {}
        if e is None or rec is None:
            nf += 1
            d = ("record", "IP" if e else "no IP", "record" if rec else "none")
            diffs.append((os.path.basename(path), num, None, d))
            continue
        for k in COMPARED:
            if k not in e and k not in a:
                continue
            nf += 1
            if e.get(k) == a.get(k):
                nok += 1
            else:
                diffs.append((os.path.basename(path), num, excuse(k, e, a),
                              (k, e.get(k), a.get(k))))
    if j != len(pkts):
        diffs.append((os.path.basename(path), 0, None,
                      ("records left unmatched", len(pkts) - j, None)))
    return npk, nf, nok


def main():
    paths = sys.argv[1:] or sorted(
        os.path.join(PCAPS, f) for f in os.listdir(PCAPS)
        if f.endswith((".pcap", ".pcapng")))
    tot = [0, 0, 0]
    all_diffs = []
    print("%-34s %7s %7s %7s %7s %7s" % ("file", "packets", "fields", "agree",
                                         "known", "unknown"))
    # tshark is the slow part: two at a time, as the machine has two cores.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        dissected = dict(zip(paths, pool.map(tshark, paths)))
    for path in paths:
        diffs = []
        rc, err, _, recs = capture(path)
        if rc != 0:
            print("%-34s not read by libpcap: %s" % (os.path.basename(path),
                                                     err.strip()))
            continue
        npk, nf, nok = compare_file(path, recs, dissected[path], diffs)
        tot = [tot[0] + npk, tot[1] + nf, tot[2] + nok]
        known = sum(1 for d in diffs if d[2])
        print("%-34s %7d %7d %7d %7d %7d" % (os.path.basename(path), npk, nf,
                                            nok, known, len(diffs) - known))
        all_diffs += diffs
    print("total: %d packets, %d fields compared, %d agree, %d known "
          "differences, %d unknown" % (
              tot[0], tot[1], tot[2], sum(1 for d in all_diffs if d[2]),
              sum(1 for d in all_diffs if not d[2])))
    for name, _, why in KNOWN:
        hits = [d for d in all_diffs if d[2] == name]
        print("known difference %-15s %4d: %s" % (name, len(hits), why))
        for f, num, _, d in hits:
            print("    %s #%d %s: tshark %r, tsa-capture %r" % (f, num, *d))
    bad = [d for d in all_diffs if not d[2]]
    for f, num, _, d in bad:
        print("DIFFERENCE %s #%d %s: tshark %r, tsa-capture %r" % (f, num, *d))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
