#!/usr/bin/python3
"""tsa-capture -r on hostile capture files: garbage, truncated files,
random bytes after a valid pcap header, pcapng blocks with bad lengths, a
huge caplen, real captures with their packet bytes scrambled.

Unusable files: a one-line `tsa-capture: FILE: ...` and a non-zero exit,
with the records of the packets before the damage already written.  Files
whose framing is intact but whose packets are nonsense: status 0, and the
final stats record accounts for every frame (each is a record, non-IP,
or counted malformed or truncated; decoded = packet records written).  Never a crash, a
sanitizer report or a hang.  Seeds are fixed."""
import os
import random
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipelib import TMP, check, finish, tool, run, verdict, records, pcap

PCAP_HDR = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def rec_hdr(caplen, length=None):
    return struct.pack("<IIII", 1709294400, 0, caplen,
                       caplen if length is None else length)


def frame(rnd):
    """An Ethernet + IPv4 + UDP frame with a random payload."""
    payload = bytes(rnd.randrange(256) for _ in range(rnd.randrange(64)))
    udp = struct.pack(">HHHH", 5353, 53, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17,
                     0, bytes([10, 0, 0, 1]), bytes([8, 8, 8, 8]))
    return b"\x00\x01\x02\x03\x04\x05" * 2 + b"\x08\x00" + ip + udp


def block(btype, body, total=None, trailer=None):
    """A pcapng block; total/trailer override the length fields."""
    n = 12 + len(body)
    return (struct.pack("<II", btype, n if total is None else total) + body +
            struct.pack("<I", n if trailer is None else trailer))


SHB = block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1))
IDB = block(1, struct.pack("<HHI", 1, 0, 65535))


def epb(data, total=None, trailer=None, caplen=None):
    pad = b"\0" * (-len(data) % 4)
    body = struct.pack("<IIIII", 0, 0, 0,
                       len(data) if caplen is None else caplen,
                       len(data)) + data + pad
    return block(6, body, total, trailer)


def unusable(rnd):
    f = frame(rnd)
    good = rec_hdr(len(f)) + f
    return [
        ("an empty file", b""),
        ("ten bytes", b"0123456789"),
        ("random bytes", bytes(rnd.randrange(256) for _ in range(65536))),
        ("a text file", b"GET / HTTP/1.1\r\n" * 100),
        ("half a pcap header", PCAP_HDR[:12]),
        ("a huge caplen", PCAP_HDR + good + rec_hdr(0xffffffff) + f),
        ("a caplen over the snaplen", PCAP_HDR + good + rec_hdr(300000) +
         f * 5000),
        ("a packet cut short", PCAP_HDR + good * 3 + (rec_hdr(len(f)) +
                                                     f)[:30]),
        ("a record header cut short", PCAP_HDR + good * 3 + rec_hdr(60)[:9]),
        ("pcapng: section length 0xffffffff",
         block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1),
               total=0xffffffff)),
        ("pcapng: block length 8", SHB + IDB + epb(f) + epb(f, total=8)),
        ("pcapng: block length not a multiple of 4",
         SHB + IDB + epb(f) + epb(f, total=len(epb(f)) + 1)),
        ("pcapng: block length past the end of the file",
         SHB + IDB + epb(f) + epb(f, total=1 << 30)),
        ("pcapng: trailing length differs", SHB + IDB + epb(f) +
         epb(f, trailer=12)),
        ("pcapng: caplen past the block", SHB + IDB + epb(f) +
         epb(f, caplen=0xffff0000)),
        ("pcapng: packet before any interface", SHB + epb(f)),
    ]


def run_capture(path, want, what, frames_before=None):
    rc, out, err, to = run([tool("tsa-capture"), "-q", "-r", path], limit=30)
    bad = verdict("tsa-capture", rc, err, to)
    lines = err.splitlines()
    one_line = (rc not in (0, None) and len(lines) == 1 and
                lines[0].startswith("tsa-capture: "))
    ok = bad is None and (one_line if want == "error" else
                          rc == 0 or one_line)
    check(ok, "%s: exit %s, stderr %r%s" % (what, rc, err[:240],
                                            " (%s)" % bad if bad else ""))
    recs = records(out)
    if frames_before is not None and recs:
        pk = [r for r in recs[1:] if "type" not in r]
        check(len(pk) == frames_before,
              "%s: the %d packets before the damage were written (%d)"
              % (what, frames_before, len(pk)))
    return rc, recs


def scramble(src, rnd, flips):
    """A pcap with its packet bytes (not the framing) overwritten at
    random; returns the bytes and the number of frames."""
    data = bytearray(open(src, "rb").read())
    magic = data[:4]
    assert magic == b"\xd4\xc3\xb2\xa1", "little-endian microsecond pcap"
    p = 24
    spans = []
    while p + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, p + 8)[0]
        spans.append((p + 16, p + 16 + caplen))
        p += 16 + caplen
    for _ in range(flips):
        a, b = rnd.choice(spans)
        if b > a:
            data[rnd.randrange(a, b)] = rnd.randrange(256)
    # And whole frames of noise, and frames cut to a few bytes.
    for a, b in rnd.sample(spans, min(20, len(spans))):
        for i in range(a, b):
            data[i] = rnd.randrange(256)
    return bytes(data), len(spans)


def main():
    rnd = random.Random(2611)
    print("== unusable capture files")
    for what, data in unusable(rnd):
        path = os.path.join(TMP, "bad.pcap")
        with open(path, "wb") as f:
            f.write(data)
        before = None
        if what in ("a huge caplen", "a caplen over the snaplen"):
            before = 1
        elif what.startswith("a packet cut") or what.startswith("a record h"):
            before = 3
        elif what.startswith("pcapng: ") and "before any" not in what \
                and "section" not in what:
            before = 1
        run_capture(path, "error", what, before)

    print("== random bytes after a valid pcap header")
    for seed in range(5):
        r = random.Random(seed)
        path = os.path.join(TMP, "rand%d.pcap" % seed)
        with open(path, "wb") as f:
            f.write(PCAP_HDR + bytes(r.randrange(256) for _ in range(100000)))
        run_capture(path, "any", "pcap header + random bytes, seed %d" % seed)

    print("== pcapng with random block bodies")
    for seed in range(5):
        r = random.Random(100 + seed)
        body = b""
        for _ in range(50):
            n = r.randrange(0, 200) & ~3
            body += block(r.choice([6, 3, 5, 1, 0x0a0d0d0a, 0xdeadbeef]),
                          bytes(r.randrange(256) for _ in range(n)),
                          total=r.choice([None, None, None, r.randrange(1 << 16)]))
        path = os.path.join(TMP, "rand%d.pcapng" % seed)
        with open(path, "wb") as f:
            f.write(SHB + IDB + body)
        run_capture(path, "any", "pcapng with random blocks, seed %d" % seed)

    print("== real captures with scrambled packet bytes")
    for name in ("ppp-example.pcap", "zeek-http-bro.org.pcap",
                 "strato-test-cc-capture-2.pcap"):
        src = pcap(name)
        for seed in range(2):
            data, frames = scramble(src, random.Random(seed), 3000)
            path = os.path.join(TMP, "scrambled.pcap")
            with open(path, "wb") as f:
                f.write(data)
            rc, recs = run_capture(path, "any", "%s scrambled, seed %d"
                                   % (name, seed))
            if rc != 0 or not recs:
                continue
            pk = [r for r in recs[1:] if "type" not in r]
            st = recs[-1]
            check(st.get("type") == "stats" and st.get("final") is True,
                  "%s: a final stats record" % name)
            # Malformed frames are decoded as far as they make sense, so
            # they may have a record too: every frame is a record, non-IP,
            # or counted malformed or truncated.
            dec, nip = st.get("decoded", -1), st.get("non_ip", 0)
            most = dec + nip + st.get("malformed", 0) + st.get("truncated", 0)
            check(dec == len(pk) and dec + nip <= frames <= most,
                  "%s seed %d: decoded %s = %d records; decoded + non_ip "
                  "<= %d frames <= that + malformed + truncated = %d"
                  % (name, seed, dec, len(pk), frames, most))
    finish()


main()
