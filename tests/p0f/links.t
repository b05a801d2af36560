#!/usr/bin/python3
# The frames p0f 3.09b reads, by link type and by IP length: one Linux SYN
# in a capture of each link type tsa-capture decodes (and in its usual
# encapsulations), and SYNs whose IP total length is more than the frame
# holds, each read by p0f and by tsa-capture | tsa-p0f --compat.  tsa-p0f
# --compat must fingerprint exactly the SYNs p0f fingerprints, with the
# same raw signature, except where the records cannot tell (VLAN tags),
# which is asserted as such.  Without --compat every SYN tsa-capture
# decodes is fingerprinted.
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

if not have_p0f():
    skip("p0f is not installed")

CLI, SRV = [10, 0, 0, 1], [192, 0, 2, 1]
C6 = bytes.fromhex("20010db8000000000000000000000001")
S6 = bytes.fromhex("20010db8000000000000000000000002")
SYN4 = ipv4(CLI, SRV, tcp_hdr(40000, 80, 2, 29200, linux_opts()))
SYN6 = ipv6(C6, S6, tcp_hdr(40000, 80, 2, 28800, linux_opts(mss=1440)))
MACS = bytes.fromhex("001122334455" "66778899aabb")


def eth(ip, tags=b""):
    return MACS + tags + (b"\x86\xdd" if ip[0] >> 4 == 6 else b"\x08\x00") + ip


def longer(ip, extra):
    """ip with its total length (IPv4) or payload length (IPv6) claiming
    extra bytes more than it has."""
    b = bytearray(ip)
    at = 2 if ip[0] >> 4 == 4 else 4
    b[at:at + 2] = struct.pack("!H", struct.unpack("!H", ip[at:at + 2])[0]
                               + extra)
    return bytes(b)


SLL = struct.pack("!HHH8sH", 0, 1, 6, MACS[:8], 0x0800)
SLL2 = struct.pack("!HHIHBB8s", 0x0800, 0, 3, 1, 0, 6, MACS[:8])
RADIOTAP = struct.pack("<BBHI", 0, 0, 8, 0)
WLAN = bytes.fromhex("0801" "0000") + MACS + MACS[:6] + b"\0\0"
# A QoS data frame: two bytes more of 802.11 header.
WLAN_QOS = bytes.fromhex("8801" "0000") + MACS + MACS[:6] + b"\0\0\0\0"
LLC = bytes.fromhex("aaaa03000000") + b"\x08\x00"
# (name, link type, frame, p0f fingerprints it, tsa-p0f --compat does)
cases = [
    ("Ethernet", 1, eth(SYN4), True, True),
    ("Ethernet, IPv6", 1, eth(SYN6), True, True),
    ("Ethernet, 802.1Q tag", 1, eth(SYN4, b"\x81\x00\x00\x0b"), False, True),
    ("Ethernet, IP length beyond the frame", 1, eth(longer(SYN4, 60)),
     False, False),
    ("Ethernet, IPv6 length beyond the frame", 1, eth(longer(SYN6, 8)),
     False, False),
    ("Ethernet, IP length within the padding", 1,
     eth(SYN4) + b"\0" * 6, True, True),
    ("Linux cooked", 113, SLL + SYN4, True, True),
    ("Linux cooked v2", 276, SLL2 + SYN4, True, True),
    ("Linux cooked v2, IP length beyond", 276, SLL2 + longer(SYN4, 1),
     False, False),
    ("BSD null", 0, struct.pack("<I", 2) + SYN4, True, True),
    ("OpenBSD loopback", 108, struct.pack("!I", 2) + SYN4, False, False),
    ("raw IP", 101, SYN4, True, True),
    ("raw IPv4", 228, SYN4, True, True),
    ("802.11 data", 105, WLAN + LLC + SYN4, True, True),
    ("802.11 QoS data", 105, WLAN_QOS + LLC + SYN4, False, True),
    ("802.11 with radiotap", 127, RADIOTAP + WLAN + LLC + SYN4, False, False),
]
# Where p0f reads no IP header but tsa-p0f --compat cannot know it: the
# records do not say how long a frame's link-layer header was (p0f reads
# every Ethernet frame from byte 14, every 802.11 frame from byte 32).
CANNOT_TELL = {"Ethernet, 802.1Q tag", "802.11 QoS data"}

for name, link, frame, want_p0f, want_tsa in cases:
    pcap = os.path.join(TMP, "link.pcap")
    write_pcap(pcap, [(1700000000.0, frame)], link=link)
    p0f = [o for o in run_p0f(pcap) if o["mod"] == "syn"]
    cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", pcap],
                         capture_output=True)
    check(cap.returncode == 0, "%s: tsa-capture exit %d: %s"
          % (name, cap.returncode, cap.stderr.decode().strip()))
    _, _, compat, _ = run(["--compat"], cap.stdout)
    compat = [r for r in compat if "p0f_raw_sig" in r]
    _, _, plain, _ = run([], cap.stdout)
    plain = [r for r in plain if "p0f_raw_sig" in r]
    print("%-40s p0f %d, tsa-p0f --compat %d, tsa-p0f %d"
          % (name, len(p0f), len(compat), len(plain)))
    check(len(p0f) == want_p0f, "%s: p0f fingerprints %d SYNs" %
          (name, len(p0f)))
    check(len(compat) == want_tsa, "%s: tsa-p0f --compat fingerprints %d"
          % (name, len(compat)))
    check((want_p0f == want_tsa) != (name in CANNOT_TELL),
          "%s: expectations" % name)
    if p0f and compat:
        check(compat[0]["p0f_raw_sig"] == p0f[0]["raw_sig"],
              "%s: raw signature %s, p0f %s"
              % (name, compat[0]["p0f_raw_sig"], p0f[0]["raw_sig"]))
    check(len(plain) == 1, "%s: tsa-p0f fingerprints %d" % (name, len(plain)))
done()
