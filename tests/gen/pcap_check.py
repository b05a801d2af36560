#!/usr/bin/python3
"""Independent check of a tsa-gen capture, written from the RFCs rather
than from the generator: pcap framing, non-decreasing timestamps, IPv4
total length and header checksum, IPv6 payload length, UDP length, the
TCP/UDP/ICMP/ICMPv6 checksums, and TCP sequence/acknowledgement numbers
of every connection whose SYN is in the capture.  Prints a summary line
"packets=N tcp_checked=N" and exits 1 on the first few problems."""
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def main(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit("bad magic %x" % magic)
    nano = magic == 0xA1B23C4D
    if struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("link type is not Ethernet")
    off, n, last, errors = 24, 0, -1, []
    flows = {}          # (src, sport, dst, dport) -> next seq, None if unknown
    tcp_checked = 0

    def err(msg):
        errors.append("packet %d: %s" % (n, msg))

    while off < len(data):
        sec, frac, caplen, wirelen = struct.unpack("<IIII", data[off:off + 16])
        off += 16
        frame = data[off:off + caplen]
        off += caplen
        n += 1
        t = sec * 10**9 + (frac if nano else frac * 1000)
        if t < last:
            err("timestamp goes backwards")
        last = t
        if caplen != wirelen or len(frame) != caplen:
            err("caplen %d, len %d" % (caplen, wirelen))
            continue
        etype = struct.unpack("!H", frame[12:14])[0]
        ip = frame[14:]
        if etype == 0x0800:
            if ip[0] != 0x45:
                err("IPv4 version/IHL %02x" % ip[0])
                continue
            if struct.unpack("!H", ip[2:4])[0] != len(ip):
                err("IPv4 total length")
            if csum(ip[:20]) != 0xFFFF:
                err("IPv4 header checksum")
            proto, src, dst, l4 = ip[9], ip[12:16], ip[16:20], ip[20:]
        elif etype == 0x86DD:
            if ip[0] >> 4 != 6:
                err("IPv6 version")
            if struct.unpack("!H", ip[4:6])[0] != len(ip) - 40:
                err("IPv6 payload length")
            proto, src, dst, l4 = ip[6], ip[8:24], ip[24:40], ip[40:]
        else:
            err("ethertype %04x" % etype)
            continue
        pseudo = src + dst + struct.pack("!HH", proto, len(l4))
        if proto == 1:
            ok = csum(l4) == 0xFFFF
        else:
            ok = csum(pseudo + l4) == 0xFFFF
        if not ok:
            err("protocol %d checksum" % proto)
        if proto == 17 and struct.unpack("!H", l4[4:6])[0] != len(l4):
            err("UDP length")
        if proto != 6:
            continue

        sport, dport, seq, ack, hl, flags = struct.unpack("!HHIIBB", l4[:14])
        pay = len(l4) - (hl >> 4) * 4
        key = (src, sport, dst, dport)
        back = (dst, dport, src, sport)
        syn, fin, rst, has_ack = flags & 2, flags & 1, flags & 4, flags & 16
        if syn and not has_ack:
            flows[key] = (seq + 1) & 0xFFFFFFFF
            flows[back] = None
            continue
        if key not in flows:
            continue            # no SYN seen (backscatter, mid-capture)
        tcp_checked += 1
        expect = flows[key]
        if syn:                 # SYN+ACK: the server's ISN
            flows[key] = (seq + 1) & 0xFFFFFFFF
        elif expect is not None:
            if seq != expect:
                err("seq %d, expected %d" % (seq, expect))
            flows[key] = (seq + pay + (1 if fin else 0)) & 0xFFFFFFFF
        if has_ack and flows.get(back) is not None and ack != flows[back]:
            err("ack %d, peer's next seq %d" % (ack, flows[back]))
        if rst:
            flows.pop(key, None)
            flows.pop(back, None)
        if len(errors) > 10:
            break

    for e in errors[:10]:
        print(e, file=sys.stderr)
    print("packets=%d tcp_checked=%d" % (n, tcp_checked))
    sys.exit(1 if errors else 0)


main(sys.argv[1])
