#!/usr/bin/python3
# Crafted SYNs and SYN+ACKs for every quirk, option oddity and window form
# p0f knows, written to a capture that p0f and tsa-capture | tsa-p0f both
# read: with --compat the raw signature, label and distance must be p0f's
# for each one.  Without --compat only the IPv6 flow label is treated
# differently: a Linux SYN with a flow label is recognised.
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

if not have_p0f():
    skip("p0f is not installed")

C4, S4 = [10, 0, 0, 1], [192, 0, 2, 1]
C6 = bytes.fromhex("20010db8000000000000000000000001")
S6 = bytes.fromhex("20010db8000000000000000000000002")
MSS = struct.pack("!BBH", 2, 4, 1460)
NOP, SOK, WS7 = b"\x01", b"\x04\x02", b"\x03\x03\x07"


def ts(a, b=0):
    return struct.pack("!BBII", 8, 10, a, b)


LINUX = MSS + SOK + ts(1000) + NOP + WS7
# (name, IP version, SYN builder kwargs)
cases = [
    ("linux", 4, {}),
    ("flow label v6", 6, {"flow": 0x12345}),
    ("no flow label v6", 6, {}),
    ("ack+ low byte", 4, {"ack": 2}),
    ("ack+ high byte", 4, {"ack": 0x01000000}),
    ("uptr+", 4, {"urg": 5}),
    ("urgf+", 4, {"flags": 0x22}),
    ("pushf+", 4, {"flags": 0x0a}),
    ("ecn flags", 4, {"flags": 0xc2}),
    ("ecn ip", 4, {"tos": 1}),
    ("id-", 4, {"df": False, "ident": 0}),
    ("no df", 4, {"df": False}),
    ("df id0", 4, {"ident": 0}),
    ("seq-", 4, {"seq": 0}),
    ("ts1-", 4, {"opts": MSS + SOK + ts(0) + NOP + WS7}),
    ("ts2+", 4, {"opts": MSS + SOK + ts(1000, 77) + NOP + WS7}),
    ("eol pad", 4, {"opts": MSS + NOP + NOP + b"\x00\x00\x00\x00"}),
    ("opt+", 4, {"opts": MSS + b"\x00\x00\x05\x00"}),
    ("opt+ last byte", 4, {"opts": MSS + b"\x00\x00\x00\x07"}),
    ("exws", 4, {"opts": MSS + NOP + b"\x03\x03\x0f"}),
    ("bad mss len", 4, {"opts": b"\x02\x05\x05\xb4" + NOP + NOP + NOP + NOP}),
    ("truncated option", 4, {"opts": MSS + b"\x08\x0a\x00\x00"}),
    ("unknown option", 4, {"opts": MSS + b"\x1e\x04\x00\x00"}),
    ("bad unknown len", 4, {"opts": MSS + b"\x1e\x01\x00\x00"}),
    ("sack", 4, {"opts": MSS + b"\x05\x0a" + b"\x00" * 8 + NOP + NOP}),
    ("payload", 4, {"payload": b"hello"}),
    ("ip options", 4, {"ipopts": b"\x01\x01\x01\x00"}),
    ("ttl 128 win", 4, {"ttl": 128, "win": 8192,
                        "opts": MSS + NOP + NOP + SOK}),
    ("ttl far", 4, {"ttl": 20}),
    ("win mtu", 4, {"win": 1500 * 4}),
    ("win 1448", 4, {"win": 1448 * 3, "opts": MSS + SOK + ts(1) + NOP + WS7}),
    ("win mss-12", 4, {"win": 1448 * 5,
                       "opts": struct.pack("!BBH", 2, 4, 1300) + SOK + ts(5) +
                       NOP + WS7}),
    ("no options", 4, {"opts": b"", "win": 512}),
    ("many nops", 4, {"opts": NOP * 28 + MSS}),
    ("mss only", 4, {"opts": struct.pack("!BBH", 2, 4, 1024), "win": 4096}),
    ("v6 linux", 6, {"opts": struct.pack("!BBH", 2, 4, 1440) + SOK + ts(9) +
                     NOP + WS7, "win": 1440 * 20}),
    ("v6 1428 win", 6, {"win": 1428 * 2}),
]


def syn(i, ver, kw, flags=0x02, ack_side=False):
    opts = kw.get("opts", LINUX)
    win = kw.get("win", 1460 * 20 if ver == 4 else 1440 * 20)
    cport, sport = 40000 + i, 80
    t = tcp_hdr(sport if ack_side else cport, cport if ack_side else sport,
                kw.get("flags", flags), win, opts, seq=kw.get("seq", 1000 + i),
                ack=kw.get("ack", 0), urg=kw.get("urg", 0))
    t += kw.get("payload", b"")
    src, dst = (S4, C4) if ack_side else (C4, S4)
    if ver == 6:
        src, dst = (S6, C6) if ack_side else (C6, S6)
        return ipv6(src, dst, t, hlim=kw.get("ttl", 64), flow=kw.get("flow", 0))
    ipopts = kw.get("ipopts", b"")
    p = ipv4(src, dst, t, ttl=kw.get("ttl", 64), df=kw.get("df", True),
             ident=kw.get("ident", 1234), tos=kw.get("tos", 0))
    if ipopts:
        hl = 20 + len(ipopts)
        p = (bytes([0x40 | hl // 4]) + p[1:2] +
             struct.pack("!H", len(p) + len(ipopts)) + p[4:20] + ipopts + p[20:])
    return p


pkts = []
t0 = 1700000000.0
for i, (name, ver, kw) in enumerate(cases):
    pkts.append((t0 + i, syn(i, ver, kw)))
    # and a SYN+ACK with the same oddities, from the server
    sa = dict(kw)
    sa["flags"] = (kw.get("flags", 0x02) | 0x12) & ~0x08 | (kw.get("flags", 0) & 8)
    sa.pop("seq", None)
    sa["ack"] = kw.get("ack", 1001 + i) or 1
    pkts.append((t0 + i + 0.01, syn(i, ver, sa, ack_side=True)))
pcap = os.path.join(TMP, "quirks.pcap")
write_pcap(pcap, pkts)

obs = [o for o in run_p0f(pcap) if o["mod"] in ("syn", "syn+ack")]
check(len(obs) >= len(cases), "p0f reported %d SYNs/SYN+ACKs" % len(obs))


def p0f_run(args):
    cap = subprocess.Popen([os.path.join(BIN, "tsa-capture"), "-r", pcap],
                           stdout=subprocess.PIPE)
    _, _, recs, _ = run(args, cap.stdout.read())
    cap.wait()
    return [r for r in recs if "p0f_raw_sig" in r]


recs = p0f_run(["--compat"])
check(len(recs) == len(obs), "tsa-p0f --compat annotated %d records, p0f %d"
      % (len(recs), len(obs)))
for o, r in zip(obs, recs):
    want = o.get("os", o.get("app"))
    got = r.get("p0f_label", "???")
    name = "%s %s" % (o["mod"], o["cli"])
    check(r["p0f_raw_sig"] == o["raw_sig"],
          "%s: raw_sig %s, p0f %s" % (name, r["p0f_raw_sig"], o["raw_sig"]))
    check(got == want, "%s: label %s, p0f %s" % (name, got, want))
    if not o["dist"].startswith("<="):
        check(str(r["p0f_dist"]) == o["dist"],
              "%s: dist %s, p0f %s" % (name, r["p0f_dist"], o["dist"]))
    print("%-8s %-22s %-40s %s" % (o["mod"], o["cli"], o["raw_sig"], want))

# p0f 3.09b does not recognise the flow-labelled Linux SYN; tsa-p0f does by
# default, and otherwise gives the same answers.
flow_obs = [o for o in obs if o["mod"] == "syn" and
            "flow" in o["raw_sig"].split(":")[6]]
check(len(flow_obs) == 1 and flow_obs[0].get("os") == "???",
      "p0f does not match the SYN with a flow label")
plain = p0f_run([])
check(len(plain) >= len(recs), "default mode annotates every SYN")
by_sig = {}
for r in plain:
    if r["tcp_flags"] == 2:
        by_sig.setdefault(r["p0f_raw_sig"], r)
flow = [r for s, r in by_sig.items() if ":flow" in s or ",flow" in s]
check(len(flow) == 1, "one SYN with a flow label")
if flow:
    check(flow[0].get("p0f_label") == "Linux 3.11 and newer" and
          flow[0]["p0f_match"] == "exact",
          "flow-labelled Linux SYN recognised by default: %s"
          % flow[0].get("p0f_label"))
# An IPv6 SYN with a hop-by-hop options header: p0f skips it (it reads no
# extension headers); tsa-p0f counts the header's 8 bytes as 'olen', as the
# README defines it, and in compat mode skips it too.
tcp = tcp_hdr(41000, 80, 2, 1440 * 20, struct.pack("!BBH", 2, 4, 1440) +
              SOK + ts(9) + NOP + WS7)
hbh = bytes([6, 0, 1, 4, 0, 0, 0, 0])
v6 = struct.pack("!IHBB16s16s", 6 << 28, len(hbh) + len(tcp), 0, 64, C6,
                 S6) + hbh + tcp
rec = {"timestamp": msgpack.Timestamp(1700000100, 0), "src_addr": C6,
       "dst_addr": S6, "src_port": 41000, "dst_port": 80, "tcp_flags": 2,
       "tcp_headers": v6}
_, _, out, _ = run([], stream([rec]))
check(out[0].get("p0f_raw_sig") ==
      "6:64+0:8:1440:mss*20,7:mss,sok,ts,nop,ws::0",
      "extension header: %s" % out[0].get("p0f_raw_sig"))
_, _, out, _ = run(["--compat"], stream([rec]))
check("p0f_raw_sig" not in out[0], "compat: extension header skipped")

# The IP version of a signature: p0f 3.09b uses it only to leave out the
# other version's quirks, so a "4:" signature matches an IPv6 SYN too.
four = os.path.join(TMP, "four.fp")
with open(four, "w") as f:
    f.write("classes = unix\n[tcp:request]\nlabel = s:unix:Four:only\n"
            "sig = 4:64:0:1430:mss*4,6:mss,sok,ts,nop,ws::0\n")
v6pcap = os.path.join(TMP, "v6.pcap")
write_pcap(v6pcap, [(t0, ipv6(C6, S6, tcp_hdr(
    40000, 80, 2, 1430 * 4, struct.pack("!BBH", 2, 4, 1430) + SOK + ts(1) +
    NOP + b"\x03\x03\x06")))])
log = os.path.join(TMP, "four.log")
subprocess.run(["p0f", "-f", four, "-r", v6pcap, "-o", log],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
with open(log) as f:
    want = "os=Four only" in f.read()
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", v6pcap],
                     capture_output=True).stdout
for args in (["--compat"], []):
    _, _, out, _ = run(args + ["-f", four], cap)
    check((out[0].get("p0f_label") == "Four only") == want,
          "IPv4 signature on an IPv6 SYN %s: p0f %s, tsa-p0f %s"
          % (args, want, out[0].get("p0f_label")))

compat_by = {(r["src_port"], r["dst_port"]): r for r in recs}
for r in plain:
    c = compat_by.get((r["src_port"], r["dst_port"]))
    if c and "flow" not in r["p0f_raw_sig"]:
        check(c.get("p0f_label") == r.get("p0f_label"),
              "port %d: default and compat agree" % r["src_port"])
done()
