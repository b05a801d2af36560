#!/usr/bin/python3
# HTTP messages at p0f's limits (config.h: HTTP_MAX_URL, HTTP_MAX_HDRS,
# HTTP_MAX_HDR_NAME, HTTP_MAX_HDR_VAL, HTTP_MAX_SHOW), each on its own
# connection of one capture, read by p0f and by tsa-capture | tsa-p0f
# --compat: the same messages must be fingerprinted, with the same raw
# signature and label, and the ones past a limit by neither.  A raw
# signature of several kilobytes (p0f's text has no bound) is one of them.
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

if not have_p0f():
    skip("p0f is not installed")

CLI, SRV = [10, 0, 0, 1], [192, 0, 2, 1]
MSS = struct.pack("!BBH", 2, 4, 1460)


def hdrs(pairs):
    return "".join("%s: %s\r\n" % kv for kv in pairs)


def get(extra, url="/"):
    return ("GET %s HTTP/1.1\r\nHost: example.com\r\n" % url +
            hdrs(extra) + "\r\n").encode()


long_hdrs = [("X-Long-%02d" % i, chr(97 + i) * 180) for i in range(20)]
# (name, request, response or None, does p0f fingerprint the request?)
cases = [
    ("raw sig of 4 kB", get(long_hdrs),
     ("HTTP/1.1 200 OK\r\nServer: " + "S" * 300 + "\r\n" +
      hdrs(long_hdrs[:15]) + "\r\n").encode(), True),
    ("32 headers", get([("X-H%d" % i, "v") for i in range(31)]), None, True),
    ("33 headers", get([("X-H%d" % i, "v") for i in range(32)]), None, False),
    ("name of 32", get([("X-" + "n" * 30, "v")]), None, True),
    ("name of 33", get([("X-" + "n" * 31, "v")]), None, False),
    # A value and a start line count with their CR: 1024 bytes before the
    # LF are one too many ("GET " and " HTTP/1.1\r" are 14).
    ("value of 1023", get([("X-V", "v" * 1023)]), None, True),
    ("value of 1024", get([("X-V", "v" * 1024)]), None, False),
    ("shown value cut", get([("X-V", "w" * 250 + "]tail")]), None, True),
    ("start line of 1023", get([], "/" + "u" * (1023 - 15)), None, True),
    ("start line of 1024", get([], "/" + "u" * (1024 - 15)), None, False),
]


def seg(src, dst, sp, dp, fl, seq, ack, data=b"", opts=b""):
    return ipv4(src, dst, tcp_hdr(sp, dp, fl, 29200, opts, seq=seq, ack=ack)
                + data)


pkts, t = [], 1700000000.0
for i, (name, req, resp, _) in enumerate(cases):
    cp = 40000 + i
    pkts += [(t, seg(CLI, SRV, cp, 80, 0x02, 1000, 0, opts=MSS)),
             (t + .01, seg(SRV, CLI, 80, cp, 0x12, 5000, 1001, opts=MSS)),
             (t + .02, seg(CLI, SRV, cp, 80, 0x10, 1001, 5001)),
             (t + .03, seg(CLI, SRV, cp, 80, 0x18, 1001, 5001, req))]
    if resp:
        pkts.append((t + .04, seg(SRV, CLI, 80, cp, 0x18, 5001,
                                  1001 + len(req), resp)))
    t += 1
pcap = os.path.join(TMP, "http_limits.pcap")
write_pcap(pcap, pkts)

p0f = {}
for o in run_p0f(pcap):
    if o["mod"].startswith("http "):
        port = int(o["cli"].rsplit("/", 1)[1])
        p0f[(port, o["mod"])] = (o["raw_sig"], o.get("app", o.get("os")))
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", pcap],
                     capture_output=True)
check(cap.returncode == 0, "tsa-capture: exit %d" % cap.returncode)
_, _, recs, _ = run(["--compat"], cap.stdout)
tsa = {}
for r in recs:
    if "p0f_http_raw_sig" in r:
        req = r["dst_port"] == 80
        port = r["src_port"] if req else r["dst_port"]
        kind = "http request" if req else "http response"
        tsa[(port, kind)] = (r["p0f_http_raw_sig"],
                             r.get("p0f_http_label", "???"))


def show(v):
    """A (raw signature, label) pair, short enough to read."""
    if v is None:
        return "nothing"
    sig, label = v
    return "%s, %d bytes %r...%r" % (label, len(sig), sig[:40], sig[-40:])


for i, (name, req, resp, want) in enumerate(cases):
    k = (40000 + i, "http request")
    check((k in p0f) == want, "%s: p0f %s it" %
          (name, "fingerprints" if k in p0f else "does not fingerprint"))
    check(tsa.get(k) == p0f.get(k), "%s: tsa-p0f %s; p0f %s"
          % (name, show(tsa.get(k)), show(p0f.get(k))))
    print("%-20s %s, raw signature of %d bytes" % (
        name, "fingerprinted" if k in tsa else "not fingerprinted",
        len(tsa[k][0]) if k in tsa else 0))
k = (40000, "http response")
check(k in p0f and tsa.get(k) == p0f.get(k),
      "long response: tsa-p0f %s; p0f %s" % (show(tsa.get(k)),
                                              show(p0f.get(k))))
check(len(p0f[(40000, "http request")][0]) > 3000,
      "the long raw signature is %d bytes" % len(p0f[(40000, "http request")][0]))
check(set(tsa) == set(p0f), "the same messages fingerprinted: tsa-p0f only %s,"
      " p0f only %s" % (sorted(set(tsa) - set(p0f)), sorted(set(p0f) - set(tsa))))
done()
