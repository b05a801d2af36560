#!/usr/bin/python3
"""The raw fields for tsa-p0f, checked against tshark's own bytes.

tcp_headers must be exactly the IP header followed by the TCP header (options
included) as tshark delimits them (ip_raw/ipv6_raw + tcp_raw of
tshark -T json -x), on every SYN and SYN+ACK record and no other; http_headers
must be the HTTP message's bytes up to and including the blank line (at most
4096), on records whose TCP payload starts an HTTP message and no other.
"""
import io
import json
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
tsatest.need_pcaps()
FILES = ["zeek-wikipedia.pcap", "zeek-http-methods.pcap", "ndpi-reddit.pcap",
         "ppp-raw_ip.pcap", "arkime-smb-windows10.pcap", "ndpi-netflix.pcap"]
OPTS = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
        "-o", "tcp.desegment_tcp_streams:FALSE",
        "-o", "tcp.analyze_sequence_numbers:FALSE"]


def records(path):
    out = subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-r", path],
                         stdout=subprocess.PIPE, check=True).stdout
    recs = [r for r in tsatest.maps(out)[1:]
            if "type" not in r]
    # Several packets may share a time: key by time, length and ports, and
    # take them in order.
    by_key = {}
    for r in recs:
        by_key.setdefault(key(ts(r), r["length"], r.get("src_port"),
                              r.get("dst_port")), []).append(r)
    return recs, by_key


def ts(r):
    return "%d.%09d" % (r["timestamp"].seconds, r["timestamp"].nanoseconds)


def key(t, length, sport, dport):
    return (t, int(length), sport, dport)


def raw(layer, name):
    v = layer.get(name + "_raw")
    if v is None:
        return None
    if isinstance(v[0], list):      # a field that occurs twice: the first
        v = v[0]
    return bytes.fromhex(v[0])


def main():
    syn = http = fail = 0
    for f in FILES:
        path = os.path.join(PCAPS, f)
        recs, by_key = records(path)
        # Every record: the fields are on the right records only.
        for r in recs:
            t = ts(r)
            is_syn = r.get("protocol") == "tcp" and r.get("tcp_flags", 0) & 2
            if ("tcp_headers" in r) != bool(is_syn) and not r.get("truncated"):
                print("%s %s: tcp_headers on a record with flags %r" %
                      (f, t, r.get("tcp_flags")))
                fail += 1
            if "http_headers" in r and not (r.get("protocol") == "tcp" and
                                            "http_req_resp" in r):
                print("%s %s: http_headers on a record without HTTP" % (f, t))
                fail += 1
        out = subprocess.run(
            ["tshark", "-r", path, "-n"] + OPTS +
            ["-Y", "(tcp.flags.syn == 1 && !icmp && !icmpv6) || http.request || http.response",
             "-T", "json", "-x", "-j", "frame ip ipv6 tcp udp http"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
        for pkt in json.loads(out):
            L = pkt["_source"]["layers"]
            t = L["frame"]["frame.time_epoch"]
            l4 = "tcp" if "tcp" in L else "udp"
            ports = L.get(l4, {})
            k = key(t, L["frame"]["frame.len"],
                    int(ports[l4 + ".srcport"]) if ports else None,
                    int(ports[l4 + ".dstport"]) if ports else None)
            r = by_key[k].pop(0) if by_key.get(k) else None
            if r is None:
                print("%s %s: no record" % (f, t))
                fail += 1
                continue
            if "tcp" in L and int(L["tcp"].get("tcp.flags", "0x0"), 16) & 2:
                ip = raw(L, "ip") if "ip" in L else raw(L, "ipv6")
                want = ip + raw(L, "tcp")
                syn += 1
                if r.get("tcp_headers") != want:
                    print("%s %s: tcp_headers %s, tshark %s" % (
                        f, t, (r.get("tcp_headers") or b"").hex(), want.hex()))
                    fail += 1
            if "http" in L and r.get("protocol") == "tcp":
                body = raw(L, "http")
                end = body.find(b"\r\n\r\n")
                want = body[:end + 4] if end >= 0 else body
                want = want[:4096]
                http += 1
                if r.get("http_headers") != want:
                    print("%s %s: http_headers %r, tshark %r" % (
                        f, t, r.get("http_headers"), want))
                    fail += 1
    print("%d SYN/SYN-ACK tcp_headers and %d http_headers checked, %d wrong" %
          (syn, http, fail))
    return 1 if fail or syn < 100 or http < 100 else 0


if __name__ == "__main__":
    sys.exit(main())
