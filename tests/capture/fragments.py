#!/usr/bin/python3
"""Fragment reassembly, from captures built here.

A SYN scan sent as tiny first fragments (8 bytes of TCP: the ports and the
sequence number, no flags) is the attack of issue 16.12: without
reassembly its records have no flags and tsa-aggregate raises nothing;
with it, the record of each fragment that completes a datagram carries the
flags and ports, and the scan alert is raised.  Then: fragments out of
order, overlapping ones (the first copy wins, the conflict is counted),
IPv6 with a destination options header in the fragmentable part, a DNS
response over fragments, the datagram and memory limits, the timeout in
stream time, fragments cut by the snapshot length, and the settings' range
checks.  Each capture is also compared with tshark, both ways."""
import os
import struct
import subprocess
import sys


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
import tshark_agree as ta  # noqa: E402
from pktlib import *  # noqa: E402,F403

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
SCANNER, TARGET = bytes([203, 0, 113, 66]), bytes([198, 51, 100, 10])


def ini(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def capture(path, settings=None, extra=()):
    """(status, stderr, packet records, final stats) of tsa-capture."""
    argv = [os.path.join(BIN, "tsa-capture")]
    if settings:
        argv += ["--settings", settings]
    p = subprocess.run(argv + list(extra) + ["-r", path], capture_output=True)
    recs = tsatest.records(p.stdout)
    return (p.returncode, p.stderr.decode(), [r for r in recs if "type" not in r],
            [r for r in recs if r.get("type") == "stats"][-1])


def agree(path):
    """No unknown difference with tshark, either way, and the tools exit 0."""
    for mode in ta.MODES:
        rc, err, _, recs = ta.capture(path, mode)
        trc, terr, frames = ta.tshark_run(path, mode)
        diffs = []
        npk, nf, nok = ta.compare_file(path, recs, frames, diffs)
        bad = [d for d in diffs if not d[2]]
        for f, num, _, d in bad:
            print("    DIFFERENCE #%d %s: tshark %r, tsa-capture %r" % (num, *d))
        check(not bad and npk == len(frames) and rc == trc == 0,
              "%s, %s: all %d packets agree with tshark (%d fields, %d "
              "reassembly counts)" % (os.path.basename(path), mode, npk, nf,
                                      sum(1 for r in recs if "reassembled" in r)))


def tiny_syn(sport, dport, ident, src=SCANNER, dst=TARGET, ttl=50):
    """A SYN with MSS, window scale and SACK-permitted options, as two IPv4
    fragments: 8 bytes of TCP, then the rest."""
    seg = tcp(sport, dport, 2, opts=b"\x02\x04\x05\xb4\x03\x03\x07\x04\x02\0\0",
              seq=ident * 7919)
    return (ipv4(6, seg[:8], frag=0x2000, ident=ident, src=src, dst=dst, ttl=ttl),
            ipv4(6, seg[8:], frag=1, ident=ident, src=src, dst=dst, ttl=ttl))


# ---- 1. The scan: 150 ports of one target, every SYN in tiny fragments.
PORTS = list(range(1000, 1150))
frames = []
for i, port in enumerate(PORTS):
    frames += [eth(0x0800, f) for f in tiny_syn(40000 + i, port, 0x1000 + i)]
scan = pcap(os.path.join(TMP, "frag-scan.pcap"), 1, frames,
            times=[1700000000 + 0.01 * i for i in range(len(frames))])
rc, err, recs, stats = capture(scan)
firsts, lasts = recs[0::2], recs[1::2]
check(rc == 0 and err == "" and len(recs) == 300, "one record per fragment: %d" % len(recs))
check(all(r["fragment"] == "first" and "src_port" not in r and "tcp_flags" not in r
          and "reassembled" not in r for r in firsts),
      "a held first fragment: its IP fields only")
check([(r.get("src_port"), r.get("dst_port"), r.get("tcp_flags"), r.get("tcp_op"),
        r.get("reassembled"), r["fragment"], r["protocol"]) for r in lasts] ==
      [(40000 + i, p, 2, "SYN", 2, "later", "tcp") for i, p in enumerate(PORTS)],
      "the completing fragment: ports, flags SYN, reassembled from 2")
check(all("tcp_headers" not in r for r in recs),
      "no tcp_headers: no frame holds the SYN's headers as on the wire")
check(stats.get("frag_reassembled") == 150 and stats["frag_timed_out"] == 0 and
      stats["frag_dropped"] == 0 and stats["frag_overlaps"] == 0 and
      stats["decoded"] == 300 and stats["malformed"] == 0, "stats %r" % stats)
agree(scan)


def scan_alerts(settings=None):
    """The alert records of tsa-capture | tsa-aggregate, statuses checked."""
    argv = [os.path.join(BIN, "tsa-capture"), "-q", "-r", scan]
    if settings:
        argv[1:1] = ["--settings", settings]
    c = subprocess.Popen(argv, stdout=subprocess.PIPE)
    a = subprocess.run([os.path.join(BIN, "tsa-aggregate")], stdin=c.stdout,
                       capture_output=True)
    c.stdout.close()
    crc = c.wait()
    check(crc == 0 and a.returncode == 0, "tsa-capture | tsa-aggregate: "
          "statuses %d, %d %s" % (crc, a.returncode, a.stderr.decode().strip()))
    out = tsatest.records(a.stdout)
    return ([r for r in out if r.get("type") == "alert"],
            [r for r in out if r.get("type") == "snapshot"])


alerts, snaps = scan_alerts()
scans = [a for a in alerts if a["alert"] == "scan"]
check(len(scans) == 1 and scans[0]["host_addr"] == SCANNER and
      scans[0]["counts"] == {"targets": 101, "answered": 0, "syn": 101},
      "tsa-aggregate raises the scan alert at the 101st target: %r" %
      [(a["alert"], a.get("counts")) for a in alerts])
final = [a for a in snaps[-1]["alerts"] if a["alert"] == "scan"] if snaps else []
check(len(final) == 1 and final[0]["counts"] == {"targets": 150, "answered": 0, "syn": 150},
      "the final snapshot holds it with all 150 targets: %r" % final)
off = ini("off.ini", "[capture]\nReassemblyDatagrams = 0\n")
rc, err, recs, stats = capture(scan, off)
check(all(r.get("src_port") and "tcp_flags" not in r for r in recs[0::2]) and
      all("src_port" not in r for r in recs[1::2]) and stats["frag_reassembled"] == 0,
      "ReassemblyDatagrams = 0: first fragments carry ports but no flags, as before")
alerts, _ = scan_alerts(off)
check(alerts == [], "and then no alert: the attack of issue 16.12")

# ---- 2. Order, overlaps, IPv6, DNS.
syn_a = tiny_syn(50000, 22, 0x2001)
syn_b = tiny_syn(50001, 23, 0x2002)
forged = tiny_syn(50001, 25, 0x2002)[0]           # same datagram, other port
resp = (struct.pack("!HHHHHH", 0x77, 0x8180, 1, 1, 0, 0) + dns_name("frag.example") +
        b"\0\x01\0\x01" + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) +
        bytes([192, 0, 2, 99]))
dns = udp(53, 40100, resp)
dns_frags = [ipv4(17, dns[o:o + 16], frag=(o // 8) | (0x2000 if o + 16 < len(dns) else 0),
                  ident=0x3003, src=bytes([8, 8, 8, 8])) for o in range(0, len(dns), 16)]
v6 = ext(17, 0) + udp(40200, 53, dns_query("six.example"))
v6_frags = [ipv6(44, frag6(60, 0, True, 0xabcdef) + v6[:16]),
            ipv6(44, frag6(60, 16, False, 0xabcdef) + v6[16:])]
frames = ([syn_a[1], syn_a[0]] +                  # the last fragment first
          [syn_b[0], forged, syn_b[1]] +          # a conflicting copy of the first
          dns_frags[::-1] +                       # every fragment reversed
          [syn_a[0]])                             # a late duplicate: a new datagram
order = pcap(os.path.join(TMP, "frag-order.pcap"), 1,
             [eth(0x0800, f) for f in frames] + [eth(0x86dd, f) for f in v6_frags])
rc, err, recs, stats = capture(order)
n_dns = len(dns_frags)
check(recs[0]["fragment"] == "later" and "src_port" not in recs[0] and
      recs[1]["fragment"] == "first" and recs[1]["tcp_op"] == "SYN" and
      recs[1]["dst_port"] == 22 and recs[1]["reassembled"] == 2,
      "last fragment first: the first one completes the datagram and carries it")
check(recs[4]["dst_port"] == 23 and recs[4]["tcp_op"] == "SYN" and
      "src_port" not in recs[3],
      "overlap: the first copy wins (port 23, not the forged 25)")
d = recs[5 + n_dns - 1]
check(d["dns_query_names"] == ["frag.example"] and d["dns_resp_ips"] == [bytes([192, 0, 2, 99])]
      and d["reassembled"] == n_dns and d["fragment"] == "first" and
      all("application_type" not in r for r in recs[5:5 + n_dns - 1]),
      "a DNS response in %d fragments, reversed: decoded once, on the last to arrive" % n_dns)
v = recs[-1]
check(v["ip_version"] == 6 and v["protocol"] == "udp" and v["dst_port"] == 53 and
      v["dns_query_names"] == ["six.example"] and v["reassembled"] == 2 and
      recs[-2]["protocol"] == 60 and "src_port" not in recs[-2],
      "IPv6, destination options in the fragmentable part: %r" % v)
check(stats["frag_reassembled"] == 4 and stats["frag_overlaps"] == 1 and
      stats["frag_timed_out"] == 1 and stats["frag_dropped"] == 0,
      "stats: 4 reassembled, 1 conflicting overlap, the duplicate timed out at "
      "the end: %r" % {k: v for k, v in stats.items() if k.startswith("frag")})
check(err == "tsa-capture: %s: fragments: 4 datagrams reassembled, 1 timed out "
      "or incomplete, 0 fragments not held (over the [capture] Reassembly "
      "limits, or impossible), 1 overlapping held data with other bytes\n" % order,
      "the stderr summary: %r" % err)
agree(order)

# ---- 3. Limits: 4 datagrams held at most, new ones refused.
syns = [tiny_syn(51000 + i, 80, 0x4000 + i) for i in range(6)]
limits = pcap(os.path.join(TMP, "frag-limits.pcap"), 1,
              [eth(0x0800, s[0]) for s in syns] + [eth(0x0800, s[1]) for s in syns])
four = ini("four.ini", "[capture]\nReassemblyDatagrams = 4\n")
rc, err, recs, stats = capture(limits, four)
check(all("src_port" not in r for r in recs[:4]) and
      [(r.get("src_port"), "tcp_flags" in r) for r in recs[4:6]] ==
      [(51004, False), (51005, False)],
      "a first fragment refused (table full) is decoded on its own: ports, no flags")
check([r.get("tcp_op") for r in recs[6:]] == ["SYN"] * 4 + [None, None],
      "the four held datagrams complete")
check(stats["frag_reassembled"] == 4 and stats["frag_dropped"] == 2 and
      stats["frag_timed_out"] == 2,
      "stats: 4 reassembled, 2 first fragments refused, the 2 orphan ends timed "
      "out: %r" % {k: v for k, v in stats.items() if k.startswith("frag")})

# Memory: a 65000-byte datagram does not fit in 64 KiB with the bookkeeping.
payload = udp(40300, 9, bytes(range(256)) * 253 + b"x" * 224)
big = [ipv4(17, payload[o:o + 1480], frag=(o // 8) | (0x2000 if o + 1480 < len(payload) else 0),
            ident=0x5005) for o in range(0, len(payload), 1480)]
mem = pcap(os.path.join(TMP, "frag-memory.pcap"), 1, [eth(0x0800, f) for f in big],
           times=[1700000000 + 0.001 * i for i in range(len(big))])
rc, err, recs, stats = capture(mem)
check(stats["frag_reassembled"] == 1 and recs[-1]["reassembled"] == len(big) and
      recs[-1]["dst_port"] == 9, "a 65000-byte datagram in %d fragments, reassembled"
      % len(big))
small = ini("small.ini", "[capture]\nReassemblyMemory = 65536\n")
rc, err, recs, stats = capture(mem, small)
check(stats["frag_reassembled"] == 0 and stats["frag_dropped"] > 0 and
      stats["frag_timed_out"] == 1 and all("reassembled" not in r for r in recs),
      "with ReassemblyMemory = 65536 it is not: %d fragments refused, the datagram "
      "given up" % stats["frag_dropped"])

# ---- 4. Timeout in stream time: 31 s between the fragments of a datagram.
slow = pcap(os.path.join(TMP, "frag-timeout.pcap"), 1,
            [eth(0x0800, f) for f in tiny_syn(52000, 443, 0x6006) + tiny_syn(52001, 443, 0x6007)],
            times=[1700000000, 1700000031, 1700000040, 1700000069.5])
rc, err, recs, stats = capture(slow)
check("tcp_flags" not in recs[1] and recs[3].get("tcp_op") == "SYN" and
      stats["frag_timed_out"] == 2 and stats["frag_reassembled"] == 1,
      "31 s apart (timeout 30 s): timed out; 29.5 s apart: reassembled: %r" %
      {k: v for k, v in stats.items() if k.startswith("frag")})
sixty = ini("sixty.ini", "[capture]\nReassemblyTimeout = 60\n")
rc, err, recs, stats = capture(slow, sixty)
check(stats["frag_reassembled"] == 2, "ReassemblyTimeout = 60: both reassembled")

# ---- 5. Fragments cut by the snapshot length cannot be reassembled: the
# big datagram's, captured with a snapshot length of 200 bytes, and the
# small IPv6 datagram's, which are whole.
cut = pcap(os.path.join(TMP, "frag-cut.pcap"), 1,
           [eth(0x0800, f) for f in big] + [eth(0x86dd, f) for f in v6_frags],
           snaplen=200)
rc, err, recs, stats = capture(cut)
check(recs[0].get("truncated") and recs[0].get("dst_port") == 9 and
      "reassembled" not in recs[0] and stats["frag_reassembled"] == 1 and
      recs[-1].get("reassembled") == 2 and stats["frag_dropped"] == len(big),
      "snapshot length 54: a cut first fragment is decoded on its own; only "
      "the IPv6 datagram, captured whole, is reassembled: %r" %
      {k: v for k, v in stats.items() if k.startswith("frag")})
agree(cut)

# ---- 6. Settings out of range.
for key, val, rng in (("ReassemblyDatagrams", "2000000", "0 to 1048576"),
                      ("ReassemblyMemory", "1000", "65536 to 1073741824"),
                      ("ReassemblyTimeout", "0", "1 to 3600")):
    bad = ini("bad.ini", "[capture]\n%s = %s\n" % (key, val))
    p = subprocess.run([os.path.join(BIN, "tsa-capture"), "--settings", bad, "-r", scan],
                       capture_output=True, text=True)
    check(p.returncode == 2 and p.stdout == "" and
          p.stderr == 'tsa-capture: %s:2: [capture] %s: "%s" is out of range '
          '(from %s)\n' % (os.path.realpath(bad), key, val, rng),
          "%s = %s refused: %r" % (key, val, p.stderr))
finish()
