#!/usr/bin/python3
"""A DNS response whose questions are 6-byte pointers to one 1023-character
name asked, before the caps, for 11 MB of names in a 64 KiB datagram and
42 MB in a 250 KB frame, which tsa-geo then refused, stopping the pipeline
(issue 16.5).  Replayed here between ordinary packets: each record stays
within the caps (128 names, 16384 bytes of names per record) and far below
TSA_MAX_RECORD, the stats record and the stderr summary count the cut records, and tsa-geo passes every record on with its annotations."""
import os
import struct
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
from pktlib import *  # noqa: E402,F403

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
MAX_NAMES, MAX_NAME_BYTES = 128, 16384       # tsa-capture/decode.h
TSA_MAX_RECORD = 16 << 20                    # lib/stream.h

# A name of 16 labels of 63 letters: 1023 characters of text.
LONG = ".".join(chr(ord("a") + i) * 63 for i in range(16))
assert len(LONG) == 1023


def bomb(size):
    """A DNS response of about size bytes: the long name once, then
    questions that point at it."""
    n = (size - 12 - len(dns_name(LONG)) - 4) // 6 + 1
    n = min(n, 65535)
    return (struct.pack("!HHHHHH", 0x4242, 0x8180, n, 0, 0, 0) +
            dns_name(LONG) + b"\0\x01\0\x01" +
            b"\xc0\x0c\0\x01\0\x01" * (n - 1)), n


# 1: the largest UDP payload an IPv4 datagram holds.
msg64, n64 = bomb(65507)
dgram = ipv4(17, udp(53, 40000, msg64), src=bytes([8, 8, 8, 8]))
assert 65500 < len(dgram) <= 65535
# 2: a 250 KB frame, as segmentation offload gives a capture: IPv4 and UDP
# lengths 0 (tsa-capture then decodes what was captured).
msg250, n250 = bomb(250000)
big = ipv4(17, udp(53, 40001, msg250, length=0), src=bytes([8, 8, 4, 4]), total=0)
normal = [eth(0x0800, ipv4(17, udp(40002, 53, dns_query("before.example")),
                           src=bytes([192, 168, 1, 2]), dst=bytes([8, 8, 8, 8]))),
          eth(0x0800, ipv4(6, tcp(40003, 443, 2), src=bytes([192, 168, 1, 2]),
                           dst=bytes([93, 184, 215, 14]))),
          eth(0x0800, ipv4(17, udp(53, 40002, dns_query("after.example")),
                           src=bytes([8, 8, 8, 8]), dst=bytes([192, 168, 1, 2])))]
# 3: the cap on the count of names: 300 questions for a short name;
# 4: the names of one record share it: a question and 300 CNAME targets.
short = (struct.pack("!HHHHHH", 0x4343, 0x8180, 300, 0, 0, 0) +
         dns_name("s.example") + b"\0\x01\0\x01" + b"\xc0\x0c\0\x01\0\x01" * 299)
cnames = (struct.pack("!HHHHHH", 0x4444, 0x8180, 1, 300, 0, 0) +
          dns_name("q.example") + b"\0\x01\0\x01" +
          (b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 60, 2) + b"\xc0\x0c") * 300)
frames = [normal[0], eth(0x0800, dgram), normal[1], eth(0x0800, big), normal[2],
          eth(0x0800, ipv4(17, udp(53, 40004, short), src=bytes([8, 8, 8, 8]))),
          eth(0x0800, ipv4(17, udp(53, 40005, cnames), src=bytes([8, 8, 8, 8])))]
path = pcap(os.path.join(TMP, "dns-bomb.pcap"), 1, frames, snaplen=262144)
print("questions: %d in the 64 KiB datagram, %d in the 250 KB frame; "
      "uncapped, %.1f MB and %.1f MB of names" %
      (n64, n250, n64 * 1024 / 1e6, n250 * 1024 / 1e6))

# tsa-capture alone: record sizes, names, counts, stderr.
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", path],
                     capture_output=True)
check(cap.returncode == 0, "tsa-capture exits 0 (status %d)" % cap.returncode)
raws = tsatest.unpack_all(cap.stdout, raw=True)
recs = [msgpack.unpackb(b, raw=False) for b in raws]
sizes = [len(b) for b in raws]
pkts = [(r, n) for r, n in zip(recs[1:], sizes[1:]) if "type" not in r]
stats = [r for r in recs if r.get("type") == "stats"][-1]
check(recs[-1] == {"type": "end", "complete": True},
      "the stream ends with its end record: %r" % recs[-1])
check(len(pkts) == 7, "seven records, one per frame: %d" % len(pkts))
largest = max(n for _, n in pkts)
# 16 names of 1023 characters fit in 16384 bytes, a 17th does not; the
# rest of the record is a few hundred bytes.
check(largest < MAX_NAME_BYTES + 1024,
      "largest record %d bytes: within the name caps, far below TSA_MAX_RECORD "
      "(%d)" % (largest, TSA_MAX_RECORD))
cut = [r for r, _ in pkts if r.get("src_port") == 53 and r["dst_port"] in (40000, 40001)]
check(len(cut) == 2 and all(r["dns_query_names"] == [LONG] * 16 for r in cut),
      "the two responses keep their first 16 names: %r" %
      [len(r.get("dns_query_names", [])) for r in cut])
by_port = {r["dst_port"]: r for r, _ in pkts}
check(by_port[40004]["dns_query_names"] == ["s.example"] * MAX_NAMES,
      "300 short questions: the first %d kept" % MAX_NAMES)
check(by_port[40005]["dns_query_names"] == ["q.example"] and
      by_port[40005]["dns_cnames"] == ["q.example"] * (MAX_NAMES - 1),
      "a question and 300 CNAME targets: %d names in all" % MAX_NAMES)
check(stats.get("type") == "stats" and stats.get("dns_names_cut") == 4 and
      stats["malformed"] == 0 and stats["decoded"] == 7,
      "stats: dns_names_cut 4, nothing malformed: %r" % stats)
err = cap.stderr.decode()
check(err == "tsa-capture: %s: 4 DNS records kept only their first names "
      "(at most %d names and %d bytes of names per record)\n" %
      (path, MAX_NAMES, MAX_NAME_BYTES), "stderr summary: %r" % err)
q = subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-r", path],
                   capture_output=True)
check(q.returncode == 0 and q.stderr == b"" and
      tsatest.unpack_all(q.stdout)[1:] == recs[1:],
      "-q: the same records, nothing on stderr")

# The pipeline: tsa-capture | tsa-geo, each stage's status checked.
with open(os.path.join(TMP, "cap.err"), "wb") as cerr:
    c = subprocess.Popen([os.path.join(BIN, "tsa-capture"), "-q", "-r", path],
                         stdout=subprocess.PIPE, stderr=cerr)
    g = subprocess.run([os.path.join(BIN, "tsa-geo")], stdin=c.stdout,
                       capture_output=True)
    c.stdout.close()
    crc = c.wait()
check(crc == 0 and g.returncode == 0,
      "tsa-capture | tsa-geo: statuses %d, %d (tsa-geo said %r)" %
      (crc, g.returncode, g.stderr.decode().strip()))
_, out, end = tsatest.read(g.stdout)
gp = [r for r in out if "type" not in r]
check(end == {"type": "end", "complete": True}, "tsa-geo's stream is whole: %r" % end)
check([r["dst_port"] for r in gp] == [53, 40000, 443, 40001, 40002, 40004, 40005],
      "tsa-geo passed all seven records on, in order")
check(all(r.get("src_country") == "US" for r in gp if r["src_addr"][:2] == b"\x08\x08"),
      "tsa-geo annotated the records after the attack (8.8.x.x is US)")
finish()
