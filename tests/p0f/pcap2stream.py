#!/usr/bin/python3
"""Test helper: turn a capture file into a TSA packet stream carrying the
fields tsa-p0f reads (addresses, ports, flags, tcp_headers on SYN and
SYN+ACK, http_headers where a TCP payload starts an HTTP message).

An independent reader for the tests, so that tsa-p0f can be checked
against p0f on the same packets without depending on tsa-capture.  Link
types are read the way p0f reads them (fixed offsets for Ethernet, SLL,
NULL, raw IP; VLAN tags only when p0f would see through them), so both
programs see the same packets.

usage: pcap2stream.py FILE > stream
"""
import struct
import sys

import msgpack

HTTP_START = (b"GET ", b"HEAD ", b"POST ", b"PUT ", b"DELETE ", b"OPTIONS ",
              b"PATCH ", b"TRACE ", b"CONNECT ", b"PROPFIND ", b"HTTP/1.")


def packets(path):
    """(linktype, sec, nsec, caplen, origlen, data) for every packet."""
    with open(path, "rb") as f:
        buf = f.read()
    magic = buf[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1",
                 b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = "<" if magic[0] in (0xd4, 0x4d) else ">"
        nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        link = struct.unpack(e + "I", buf[20:24])[0] & 0xffff
        off = 24
        while off + 16 <= len(buf):
            sec, frac, cap, orig = struct.unpack(e + "IIII", buf[off:off + 16])
            off += 16
            data = buf[off:off + cap]
            off += cap
            yield link, sec, frac if nano else frac * 1000, cap, orig, data
    elif magic == b"\x0a\x0d\x0d\x0a":
        off, e, ifs = 0, "<", []
        while off + 12 <= len(buf):
            btype = struct.unpack(e + "I", buf[off:off + 4])[0]
            if btype == 0x0a0d0d0a:
                e = "<" if buf[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
                ifs = []
            blen = struct.unpack(e + "I", buf[off + 4:off + 8])[0]
            body = buf[off + 8:off + blen - 4]
            if btype == 1:
                ifs.append(struct.unpack(e + "H", body[:2])[0])
            elif btype == 6:
                iid, hi, lo, cap, orig = struct.unpack(e + "IIIII", body[:20])
                ts = (hi << 32) | lo
                yield (ifs[iid] if iid < len(ifs) else 1, ts // 1000000,
                       ts % 1000000 * 1000, cap, orig, body[20:20 + cap])
            off += blen
    else:
        raise SystemExit("%s: not a capture file" % path)


def ip_offset(link, data):
    """Where the IP header starts, as p0f would find it; None if not IP."""
    if link in (101, 12, 14, 228, 229):
        return 0
    if link == 1:
        return 14
    if link == 0:
        return 4
    if link == 113:
        return 16
    if link == 276:
        return 20
    return None


def record(link, sec, nsec, cap, orig, data):
    off = ip_offset(link, data)
    if off is None or len(data) < off + 20:
        return None
    ip = data[off:]
    ver = ip[0] >> 4
    rec = {"timestamp": msgpack.Timestamp(sec, nsec), "length": orig}
    if ver == 4:
        ihl = (ip[0] & 15) * 4
        if ihl < 20 or len(ip) < ihl:
            return None
        proto, total = ip[9], struct.unpack(">H", ip[2:4])[0]
        rec.update(ip_version=4, src_addr=ip[12:16], dst_addr=ip[16:20],
                   ttl=ip[8])
        if struct.unpack(">H", ip[6:8])[0] & 0x1fff:
            rec["protocol"] = proto
            return rec
        hl = ihl
        end = min(len(ip), total)
    elif ver == 6:
        if len(ip) < 40:
            return None
        rec.update(ip_version=6, src_addr=ip[8:24], dst_addr=ip[24:40],
                   ttl=ip[7])
        nh, hl = ip[6], 40
        while nh in (0, 43, 60) and len(ip) >= hl + 8:
            nh, hl = ip[hl], hl + (ip[hl + 1] + 1) * 8
        proto = nh
        end = min(len(ip), 40 + struct.unpack(">H", ip[4:6])[0])
    else:
        return None
    if cap < orig:
        rec["truncated"] = True
    if proto != 6:
        rec["protocol"] = {17: "udp", 1: "icmp", 58: "icmpv6"}.get(proto, proto)
        return rec
    rec["protocol"] = "tcp"
    tcp = ip[hl:]
    if len(tcp) < 20:
        return rec
    sport, dport = struct.unpack(">HH", tcp[:4])
    flags, doff = tcp[13], (tcp[12] >> 4) * 4
    rec.update(src_port=sport, dst_port=dport, tcp_flags=flags)
    if flags & 2 and len(tcp) >= max(doff, 20):
        rec["tcp_headers"] = bytes(ip[:hl + max(doff, 20)])
    payload = ip[hl + doff:end] if doff >= 20 else b""
    if payload.startswith(HTTP_START):
        blank = payload.find(b"\r\n\r\n")
        if blank < 0:
            blank = payload.find(b"\n\n")
            stop = blank + 2 if blank >= 0 else len(payload)
        else:
            stop = blank + 4
        rec["http_headers"] = bytes(payload[:min(stop, 4096)])
    return rec


def main():
    path = sys.argv[1]
    out = sys.stdout.buffer
    first = None
    for pkt in packets(path):
        if first is None:
            first = pkt[0]
            out.write(msgpack.packb({"tsa": 1, "kind": "packets",
                                     "link_type": first, "source": path,
                                     "tools": [["pcap2stream.py", path]]}))
        r = record(*pkt)
        if r:
            out.write(msgpack.packb(r))
    if first is None:
        out.write(msgpack.packb({"tsa": 1, "kind": "packets", "source": path,
                                 "tools": [["pcap2stream.py", path]]}))


if __name__ == "__main__":
    main()
