#!/usr/bin/python3
"""Compare tsa-capture's packet records with tshark 4.0, packet by packet.

Two ways of decoding, each against tshark set the same way:

  reassembled  tsa-capture as shipped (IP fragments reassembled) against
               tshark with ip.defragment and ipv6.defragment on: every
               capture of $PCAPS.
  per-frame    tsa-capture with [capture] ReassemblyDatagrams = 0 against
               tshark with both off: every capture that has fragments (the
               others decode the same either way).

Neither reassembles TCP.  tshark dissects each frame and the fields below
are compared for every frame; a frame tshark marks malformed is compared on
the fields tshark did decode.  Frames are matched by time and length, in
order.  Every difference must fall under one of the KNOWN reasons below;
every tool must exit 0 with nothing on stderr unless its file is on
TOOL_ERRORS with the reason; every file and way states the least number of
packets compared (MIN_PACKETS).  Anything else fails the test.

Usage: tshark_agree.py [PCAP...]   (default: all of $PCAPS)
"""
import concurrent.futures
import ipaddress
import os
import re
import subprocess
import sys


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
tsatest.need_pcaps()
AGG = "\x1f"

TMP = os.environ.get("TSA_TMP", "/tmp")
TSHARK_OPTS = [
    "-o", "tcp.desegment_tcp_streams:FALSE",
    "-o", "tcp.analyze_sequence_numbers:FALSE",
    "-o", "tcp.check_checksum:FALSE", "-o", "udp.check_checksum:FALSE",
    "-o", "ip.check_checksum:FALSE",
]
FIELDS = [
    "frame.time_epoch", "frame.len", "frame.cap_len", "frame.protocols",
    "_ws.malformed",
    "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ip.flags.mf", "ip.frag_offset",
    "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.nxt", "ipv6.fraghdr.offset",
    "ipv6.fraghdr.nxt",
    "ipv6.fraghdr.more",
    "tcp.srcport", "tcp.dstport", "tcp.flags",
    "udp.srcport", "udp.dstport",
    "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code",
    "dns.flags.response", "dns.flags.rcode", "dns.qry.name",
    "dns.count.answers", "dns.resp.type", "dns.a", "dns.aaaa", "dns.cname",
    "http.request.method", "http.request.uri", "http.host",
    "http.response.code",
    "tls.handshake.extensions_server_name",
    "ip.fragment.count", "ipv6.fragment.count",
]
PROTO_NUM = {"icmp": 1, "tcp": 6, "udp": 17, "icmpv6": 58}
MODES = ("reassembled", "per-frame")
DEFRAG = {"reassembled": "TRUE", "per-frame": "FALSE"}


def settings(mode):
    """The settings file tsa-capture reads in a mode."""
    if mode == "reassembled":
        return os.environ.get("TSA_SETTINGS", "settings.ini")
    path = os.path.join(TMP, "per-frame.ini")
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write("[capture]\nReassemblyDatagrams = 0\n")
    return path


def tshark_run(path, mode="per-frame"):
    """(exit status, stderr, frames) of tshark on path."""
    p = subprocess.run(
        ["tshark", "-r", path, "-n", "-o", "ip.defragment:" + DEFRAG[mode],
         "-o", "ipv6.defragment:" + DEFRAG[mode]] + TSHARK_OPTS +
        ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=" + AGG] +
        sum((["-e", f] for f in FIELDS), []),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    frames = []
    for line in p.stdout.decode("utf-8", "replace").split("\n"):
        if not line:
            continue
        vals = line.split("\t")
        frames.append({f: (v.split(AGG) if v else [])
                       for f, v in zip(FIELDS, vals)})
    # tshark's warning about running as root is not an error.
    err = "".join(l for l in p.stderr.decode("utf-8", "replace").splitlines(True)
                  if not l.startswith("Running as user "))
    return p.returncode, err, frames


def tshark(path, mode="per-frame"):
    return tshark_run(path, mode)[2]


def capture(path, mode="per-frame"):
    """(exit status, stderr, header, records) of tsa-capture -q -r path."""
    p = subprocess.run([os.path.join(BIN, "tsa-capture"), "--settings",
                        settings(mode), "-q", "-r", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       check=False)
    recs = tsatest.maps(p.stdout)
    return (p.returncode, p.stderr.decode("utf-8", "replace"),
            recs[0] if recs else None, recs[1:])


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


def expected(fr, partial=False):
    """What the record should say, from tshark's fields: {key: value}.
    partial (a frame tshark marks malformed): only what tshark decoded, so
    no empty DNS lists for sections it did not reach."""
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
        elif fr["ipv6.fraghdr.nxt"] and (ival(fr, "ipv6.fraghdr.offset") or
                                         protos[i:i + 1] == ["data"]):
            # a later fragment, or one held for reassembly
            e["protocol"] = ival(fr, "ipv6.fraghdr.nxt")
        elif i == len(protos) and protos[-1] == "ipv6" and fr["ipv6.nxt"]:
            # cut short before the next header: the IPv6 header's own
            e["protocol"] = ival(fr, "ipv6.nxt")
    n = first(fr, "ip.fragment.count") or first(fr, "ipv6.fragment.count")
    if n:
        e["reassembled"] = int(n)
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
        if partial:
            for k in ("dns_query_names", "dns_resp_ips", "dns_cnames"):
                if not e[k]:
                    del e[k]
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
            "protocol", "ttl", "fragment", "reassembled", "src_port",
            "dst_port", "tcp_flags",
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


def rule_placeholder_name(key, e, a):
    return key in ("dns_query_names", "dns_cnames") and any(
        n in ("<Unknown extended label>", "<Name too long>")
        for n in e.get(key) or [])


def rule_ipv4_as_ipv6(key, e, a):
    return key == "record" and e.get("_protos", "").find(":ip:ipv6") >= 0


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
    ("placeholder-name", rule_placeholder_name,
     "a name with a label of the reserved extended type, or longer than "
     "255 bytes: tshark shows a placeholder text, tsa-capture gives up on "
     "the malformed name"),
    ("ipv4-as-ipv6", rule_ipv4_as_ipv6,
     "a frame of EtherType IPv4 whose version is 6 (fuzzed): tshark's IPv4 "
     "dissector hands it to IPv6, tsa-capture counts it malformed and "
     "makes no record"),
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


def compare_file(path, recs, frames, diffs, cut_short=False):
    """Returns (packets compared field by field, fields compared, fields
    agreeing); a packet only one side decoded is a difference.
    cut_short: tsa-capture stopped at an error (listed in TOOL_ERRORS), so
    the frames after its last record are not compared."""
    pkts = [r for r in recs if "type" not in r]
    npk = nf = nok = 0
    j = 0
    for num, fr in enumerate(frames, 1):
        if cut_short and j == len(pkts):
            break
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
        malformed = bool(fr["_ws.malformed"])
        if malformed and e is not None:
            e = expected(fr, partial=True)
        if e is None and rec is None:
            continue
        a = actual(rec) if rec else {}
        if e is None or rec is None:
            nf += 1
            d = ("record", "IP" if e else "no IP", "record" if rec else "none")
            why = excuse("record", {"_protos": ":".join(fr["frame.protocols"])}, {})
            diffs.append((os.path.basename(path), num, why, d))
            continue
        npk += 1        # a packet both decoded: compared field by field
        for k in COMPARED:
            # Where tshark found the packet malformed, what it did not
            # decode is not known.
            if k not in e and (k not in a or malformed):
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


# Files a tool does not read to the end, each with its exit status, a
# pattern its stderr must match, and the reason.  The records written
# before the error are compared all the same.
TOOL_ERRORS = {
    ("tsa-capture", "ppp-many_interfaces-1.pcapng"): (
        1, r"^tsa-capture: .*ppp-many_interfaces-1\.pcapng: an interface has "
        r"a type 0 different from the type of the first interface\n$",
        "its 11 interfaces have different link types (Ethernet, NULL, raw "
        "IP); libpcap 1.10's pcapng reader takes one link type per file and "
        "stops at the first interface block of another, which it meets "
        "before the first packet: tsa-capture writes no record and reports "
        "libpcap's error (tshark reads all 64 packets)"),
}

# The least number of packets compared, per way of decoding and file (what
# was compared when the list was made): a comparison that silently lost
# packets fails.  A capture added to $PCAPS needs its line here.
MIN_PACKETS = {
    "reassembled": {
        "arkime-80211http.pcap": 26,
        "arkime-smb-windows10.pcap": 125,
        "arkime-v6.pcap": 161,
        "dnscap-frags.pcap": 495,
        "dnscap-sll2.pcap": 2,
        "dnscap-vlan11.pcap": 123,
        "gopacket-test_loopback.pcap": 24,
        "joy-firefox58.pcap": 789,
        "ndpi-KakaoTalk_chat.pcap": 347,
        "ndpi-alexa-app.pcapng": 3074,
        "ndpi-badpackets.pcap": 93,
        "ndpi-fuzz-2006-06-26-2594.pcap": 606,
        "ndpi-netflix.pcap": 1793,
        "ndpi-reddit.pcap": 1942,
        "ndpi-synscan.pcap": 2011,
        "ndpi-zoom.pcap": 778,
        "ppp-650HttpResponses.pcap": 682,
        "ppp-example.pcap": 4631,
        "ppp-many_interfaces-1.pcapng": 0,  # refused at its first packet (TOOL_ERRORS)
        "ppp-nanosecs_big_endian.pcap": 10,
        "ppp-raw_ip.pcap": 100,
        "ppp-sll.pcap": 511,
        "strato-ssh-bruteforce.pcap": 1178,
        "strato-test-cc-capture-2.pcap": 1084,
        "suri-decode-sll2-02.pcap": 159,
        "suri-syn-flood.pcap": 200,
        "suri-tls-subjectaltname.pcap": 3090,
        "tcpdump-babel_update_oobr.pcap": 103,
        "tcpdump-dns-badlabel.pcap": 1,
        "tcpdump-tcp-handshake-nano.pcap": 3,
        "zeek-http-bro.org.pcap": 751,
        "zeek-http-methods.pcap": 655,
        "zeek-http-qinq.pcap": 14,
        "zeek-nmap-vsn.pcap": 44,
        "zeek-tcp-truncated-header.pcap": 24,
        "zeek-trunc-hdr.pcap": 0,  # one frame cut to 1 byte: no IP to compare
        "zeek-wikipedia.pcap": 126,
    },
    "per-frame": {
        "dnscap-frags.pcap": 495,
        "ndpi-badpackets.pcap": 93,
        "ndpi-fuzz-2006-06-26-2594.pcap": 606,
        "tcpdump-babel_update_oobr.pcap": 103,
    },
}


def has_fragments(frames):
    return any(first(fr, "ip.flags.mf") in ("1", "True") or
               ival(fr, "ip.frag_offset") or fr["ipv6.fraghdr.nxt"]
               for fr in frames)


def tool_status(tool, path, rc, err, problems):
    """Check a tool's exit status and stderr against TOOL_ERRORS."""
    name = os.path.basename(path)
    want = TOOL_ERRORS.get((tool, name))
    if want is None and (rc != 0 or err):
        problems.append("%s: %s exited %d: %s" % (name, tool, rc, err.strip()[:300]))
    elif want is not None and (rc != want[0] or not re.search(want[1], err)):
        problems.append("%s: %s exited %d (expected %d, listed in TOOL_ERRORS): "
                        "%s" % (name, tool, rc, want[0], err.strip()[:300]))


def run_mode(mode, paths, dissected, all_diffs, problems):
    print("== %s: tsa-capture %s, tshark ip/ipv6.defragment:%s" % (
        mode, "as shipped" if mode == "reassembled" else
        "with [capture] ReassemblyDatagrams = 0", DEFRAG[mode]))
    print("%-34s %7s %7s %7s %7s %7s %7s" % ("file", "packets", "least", "fields",
                                             "agree", "known", "unknown"))
    tot = [0, 0, 0]
    for path in paths:
        name = os.path.basename(path)
        trc, terr, frames = dissected[path]
        tool_status("tshark", path, trc, terr, problems)
        rc, err, _, recs = capture(path, mode)
        tool_status("tsa-capture", path, rc, err, problems)
        diffs = []
        npk, nf, nok = compare_file(path, recs, frames, diffs, cut_short=(
            ("tsa-capture", name) in TOOL_ERRORS))
        least = MIN_PACKETS[mode].get(name)
        if least is None:
            problems.append("%s: no least number of packets stated for %s in "
                            "MIN_PACKETS (%d compared)" % (name, mode, npk))
        elif npk < least:
            problems.append("%s: %d packets compared (%s), fewer than the "
                            "least stated, %d" % (name, npk, mode, least))
        tot = [tot[0] + npk, tot[1] + nf, tot[2] + nok]
        known = sum(1 for d in diffs if d[2])
        print("%-34s %7d %7s %7d %7d %7d %7d" % (
            name, npk, least, nf, nok, known, len(diffs) - known))
        all_diffs += [(mode,) + d for d in diffs]
    print("total: %d packets, %d fields compared, %d agree" % tuple(tot))


def main():
    paths = sys.argv[1:] or sorted(
        os.path.join(PCAPS, f) for f in os.listdir(PCAPS)
        if f.endswith((".pcap", ".pcapng")))
    all_diffs, problems = [], []
    # tshark is the slow part: two at a time, as the machine has two cores.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        whole = dict(zip(paths, pool.map(lambda p: tshark_run(p, "reassembled"),
                                         paths)))
        frag_paths = [p for p in paths if has_fragments(whole[p][2])]
        per_frame = dict(zip(frag_paths, pool.map(tshark_run, frag_paths)))
    run_mode("reassembled", paths, whole, all_diffs, problems)
    run_mode("per-frame", frag_paths, per_frame, all_diffs, problems)
    if not sys.argv[1:]:
        # Every capture with a stated least number was compared, each way.
        for mode, files in MIN_PACKETS.items():
            done = {os.path.basename(p) for p in
                    (paths if mode == "reassembled" else frag_paths)}
            for f in sorted(set(files) - done):
                problems.append("%s: not compared (%s), but listed in "
                                "MIN_PACKETS" % (f, mode))
    for name, _, why in KNOWN:
        hits = [d for d in all_diffs if d[3] == name]
        print("known difference %-15s %4d: %s" % (name, len(hits), why))
        for mode, f, num, _, d in hits:
            print("    %s %s #%d %s: tshark %r, tsa-capture %r" % (mode, f, num, *d))
    for (tool, f), (rc, _, why) in TOOL_ERRORS.items():
        print("listed tool error: %s on %s exits %d: %s" % (tool, f, rc, why))
    bad = [d for d in all_diffs if not d[3]]
    for mode, f, num, _, d in bad:
        print("DIFFERENCE %s %s #%d %s: tshark %r, tsa-capture %r" % (mode, f, num, *d))
    for p in problems:
        print("FAIL: " + p)
    print("%d unknown differences, %d other failures" % (len(bad), len(problems)))
    return 1 if bad or problems else 0


if __name__ == "__main__":
    sys.exit(main())
