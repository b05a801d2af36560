"""Helpers for the tsa-p0f tests: build packets and streams, run tsa-p0f
and p0f, collect failures."""
import functools
import os
import struct
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
TSA_P0F = os.path.join(BIN, "tsa-p0f")
# The verdicts are the harness's (tests/tsatest.py); only failures are
# printed, as a p0f test makes thousands of checks.
from tsatest import done, skip  # noqa: E402,F401
check = functools.partial(tsatest.check, quiet=True)


def stream(recs, header=None):
    h = header or {"tsa": 1, "kind": "packets", "tools": [["test"]]}
    return tsatest.pack(h, recs, end=bool(h.get(tsatest.END_KEY)))


def run(args, data, check_rc=True, hosts=False):
    """Run tsa-p0f; returns (rc, header, records, stderr).  The records are
    as tsatest.host_view shows them (each packet with its endpoints' host
    facts as src_... and dst_... keys), or as written if hosts."""
    p = subprocess.run([TSA_P0F] + args, input=data, capture_output=True)
    if check_rc and p.returncode != 0:
        print(p.stderr.decode())
        raise SystemExit("tsa-p0f failed: %d" % p.returncode)
    out = tsatest.maps(p.stdout)
    recs = out[1:] if hosts else tsatest.host_view(out[1:])
    return p.returncode, out[0] if out else None, recs, p.stderr.decode()


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def tcp_hdr(sport, dport, flags, win, opts=b"", seq=1000, ack=0, urg=0):
    opts += b"\0" * (-len(opts) % 4)
    doff = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4, flags,
                       win, 0, urg) + opts


def ipv4(src, dst, payload, ttl=64, df=True, ident=1234, tos=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), ident,
                      0x4000 if df else 0, ttl, 6, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, payload, hlim=64, flow=0):
    return struct.pack("!IHBB16s16s", 6 << 28 | flow, len(payload), 6, hlim,
                       bytes(src), bytes(dst)) + payload


def linux_opts(mss=1460, ws=7, ts1=12345678):
    """mss,sok,ts,nop,ws as Linux sends them."""
    return (struct.pack("!BBH", 2, 4, mss) + b"\x04\x02" +
            struct.pack("!BBII", 8, 10, ts1, 0) + b"\x01" +
            struct.pack("!BBB", 3, 3, ws))


def write_pcap(path, packets, link=101):
    """packets: (seconds, raw IP bytes)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, link))
        for t, data in packets:
            sec, usec = int(t), int(round((t - int(t)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)))
            f.write(data)


def run_p0f(pcap):
    """p0f's log lines for a capture, as dicts."""
    log = os.path.join(TMP, "p0f-%d.log" % os.getpid())
    if os.path.exists(log):
        os.unlink(log)
    subprocess.run(["p0f", "-r", pcap, "-o", log], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    obs = []
    with open(log, encoding="latin-1") as f:
        for line in f:
            d = {}
            body = line.rstrip("\n").split("] ", 1)[1]
            for part in body.split("|"):
                k, _, v = part.partition("=")
                d.setdefault(k, v)
            if "|raw_sig=" in body:
                d["raw_sig"] = body.split("|raw_sig=", 1)[1]
            obs.append(d)
    return obs


def have_p0f():
    return subprocess.run(["sh", "-c", "command -v p0f"],
                          capture_output=True).returncode == 0

