#!/usr/bin/python3
# Hash flooding (issue 16.3): 150,000 IPv6 sources in one /64 chosen so that
# they all collide under the host tables' old, unkeyed address hash made
# tsa-aggregate 190 times and tsa-p0f 25 times slower than 150,000 random
# sources.  Under the keyed hash they are as cheap as random ones: the CPU
# time of each tool on the crafted stream is within 3 times that on the
# random stream of the same size, measured in the same run.
import os
import random
import resource
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
from tsatest import check, done  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
N = 150000
M = (1 << 64) - 1
C1, C2 = 0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9


def unxorshift(x, s):
    """Inverse of x ^= x >> s on 64 bits."""
    y = x
    for _ in range(64 // s + 1):
        y = x ^ (y >> s)
    return y & M


def old_hash(x, y, n):
    """The unkeyed tsa_addr_hash before the fix."""
    x ^= (y * C1) & M
    x ^= x >> 31
    x = (x * C2) & M
    x ^= x >> 29
    return (x & 0xffffffff) ^ n


def colliding(prefix8):
    """Last 8 bytes of N addresses under prefix8 whose old hash has the same
    low 20 bits: the old hash is a bijection of x ^ y*C1, so pick its
    outputs and run it backwards."""
    x0 = struct.unpack("<Q", prefix8)[0]
    inv1, inv2 = pow(C1, -1, 1 << 64), pow(C2, -1, 1 << 64)
    out = []
    for k in range(1, N + 1):
        h = (k << 20) | 0x5a5a5
        x = unxorshift(h, 29)
        x = (x * inv2) & M
        x = unxorshift(x, 31)
        y = ((x ^ x0) * inv1) & M
        out.append(struct.pack("<Q", y))
    return out


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def syn6(src, dst, sport):
    """An Ethernet frame: a SYN with MSS, SACK, timestamps and a window scale."""
    opts = bytes([2, 4, 0x05, 0xa0, 4, 2, 8, 10]) + struct.pack("!II", 1, 0) + \
        bytes([1, 3, 3, 7])
    tcp = struct.pack("!HHIIBBHHH", sport, 80, 1, 0, (20 + len(opts)) // 4 << 4,
                      0x02, 64240, 0, 0) + opts
    pseudo = src + dst + struct.pack("!IxxxB", len(tcp), 6)
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(tcp), 6, 57) + src + dst
    return b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x86\xdd" + ip6 + tcp


def pcap(path, sources):
    dst = bytes.fromhex("20010db8000000000000000000000001")
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, s in enumerate(sources):
            fr = syn6(s, dst, 1024 + i % 60000)
            f.write(struct.pack("<IIII", 1700000000 + i // 10000, i % 10000 * 100,
                                len(fr), len(fr)) + fr)


def cpu(cmd, path):
    """CPU seconds of cmd reading path (best of 3), and its output."""
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(path, "rb") as f:
            p = subprocess.run(cmd, stdin=f, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            raise SystemExit("%s: exit %d: %s" % (cmd, p.returncode, p.stderr.decode()))
        t = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = t if best is None else min(best, t)
    return best, p.stdout


prefix = bytes.fromhex("2001067c12340000")
rng = random.Random(16)
crafted = [prefix + y for y in colliding(prefix)]
randoms = [prefix + rng.getrandbits(64).to_bytes(8, "little") for _ in range(N)]
words = [struct.unpack("<QQ", a) for a in crafted[:1000]]
check(len({old_hash(x, y, 16) & 0xfffff for x, y in words}) == 1 and
      len(set(crafted)) == N,
      "the crafted addresses are distinct and collide under the old hash")

streams = {}
for name, srcs in (("crafted", crafted), ("random", randoms)):
    cap = os.path.join(TMP, name + ".pcap")
    pcap(cap, srcs)
    out = os.path.join(TMP, name + ".tsa")
    with open(out, "wb") as f:
        subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-r", cap],
                       stdout=f, check=True)
    streams[name] = out

settings = os.path.join(TMP, "flood.ini")
with open(settings, "w") as f:
    f.write("[p0f]\nHostCacheSize = 200000\n[aggregate]\nHostTableSize = 262144\n")
for tool in (["tsa-p0f", "--settings", settings],
             ["tsa-aggregate", "--settings", settings, "-w", "1h"]):
    cmd = [os.path.join(BIN, tool[0])] + tool[1:]
    t_c, out_c = cpu(cmd, streams["crafted"])
    t_r, out_r = cpu(cmd, streams["random"])
    ratio = t_c / max(t_r, 0.01)
    check(ratio < 3, "%s: crafted %.2f s, random %.2f s of CPU: %.1f times"
          % (tool[0], t_c, t_r, ratio))
    if tool[0] == "tsa-aggregate":
        snap = [r for r in tsatest.records(out_c) if r.get("type") == "snapshot"][-1]
        c = {e["country"]: e["hosts"] for e in snap["countries"]}
        check(snap["packets"] == N and c == {"unknown": N, "local": 1},
              "tsa-aggregate counted %d packets and hosts %r" % (snap["packets"], c))
done()
