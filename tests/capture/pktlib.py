"""Packets built byte by byte for the capture tests, and pcap files of them.
Addresses are from the documentation ranges; checksums are computed where
tshark would flag them."""
import os
import struct
import sys

A4 = (bytes([192, 0, 2, 1]), bytes([198, 51, 100, 2]))
A6 = (bytes.fromhex("20010db8000000000000000000000001"),
      bytes.fromhex("20010db8000000000000000000000002"))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(proto, payload, opts=b"", ttl=64, frag=0, ident=1, src=A4[0], dst=A4[1],
         total=None):
    """frag: the 16-bit flags and fragment offset field (0x2000 is MF).
    total: the total length field, if not the real one."""
    ihl = (20 + len(opts)) // 4
    if total is None:
        total = 20 + len(opts) + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total,
                    ident, frag, ttl, proto, 0, src, dst) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(nh, payload, hlim=64, src=A6[0], dst=A6[1]):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       src, dst) + payload


def ext(nh, length_units=0, fill=b""):
    """Hop-by-hop / routing / destination options: 8 * (n + 1) bytes."""
    body = fill.ljust(6 + 8 * length_units, b"\0")
    return bytes([nh, length_units]) + body


def frag6(nh, offset, more, ident):
    """An IPv6 fragment header: offset in bytes (a multiple of 8)."""
    return struct.pack("!BBHI", nh, 0, offset | (1 if more else 0), ident)


def tcp(sport, dport, flags, payload=b"", opts=b"", seq=1000):
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0 if flags == 2 else 1,
                       off << 4, flags, 65535, 0, 0) + opts + payload


def tcp_csum4(src, dst, seg):
    """seg (a TCP segment) with its checksum over the IPv4 pseudo-header."""
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(seg))
    seg = seg[:16] + b"\0\0" + seg[18:]
    return seg[:16] + struct.pack("!H", csum(pseudo + seg)) + seg[18:]


def udp(sport, dport, payload, length=None):
    return struct.pack("!HHHH", sport, dport,
                       8 + len(payload) if length is None else length, 0) + payload


def eth(ethertype, payload):
    return b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02" + struct.pack("!H", ethertype) + payload


def dns_name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"


def dns_query(name, qid=0x1234):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + b"\0\x01\0\x01"


def pcap(path, dlt, frames, endian="<", times=None, snaplen=65535):
    """A pcap file; frame i at 1700000000 + i seconds (plus i ms) unless
    times gives each frame's time in seconds (float).  Frames longer than
    snaplen are cut to it, as a capture with that snapshot length would."""
    with open(path, "wb") as f:
        f.write(struct.pack(endian + "IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, dlt))
        for i, fr in enumerate(frames):
            if times is None:
                sec, usec = 1700000000 + i, 1000 * i
            else:
                sec, usec = int(times[i]), int(round((times[i] % 1) * 1e6))
            f.write(struct.pack(endian + "IIII", sec, usec, min(len(fr), snaplen),
                                len(fr)) + fr[:snaplen])
    return path


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# The verdicts are the harness's (tests/tsatest.py).
from tsatest import check, done as finish  # noqa: E402,F401
