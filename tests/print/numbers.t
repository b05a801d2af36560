#!/usr/bin/python3
# Every number in a snapshot comes from the wire (issue 16, item 9): an
# infinite bandwidth made tsa-print read out of bounds (NaN cast to int).
# Infinities, NaN, negative and huge values, strings where numbers go,
# nested values in the bucket list and an array header that claims more
# elements than there are bytes: each table line is asserted.  Snapshots
# are read with lib/snapshot's decoder, as tsa-plot reads them: a rate
# that is not a finite number is not kept (a bucket's reads as 0, the
# average shows as "?"), a count that is not an unsigned integer reads as
# 0, and the shares of a zero total stay blank.
import os
import struct
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402

BIN = os.environ["TSA_BIN"]
PRINT = os.path.join(BIN, "tsa-print")
HEAD = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []})
INF, NAN = float("inf"), float("nan")


def show(*recs, raw=b""):
    r = subprocess.run([PRINT], input=HEAD + b"".join(
        msgpack.packb(x) for x in recs) + raw, capture_output=True,
        timeout=60)
    return r.returncode, r.stdout.decode("utf-8", "replace"), \
        r.stderr.decode("utf-8", "replace")


def snap(**kw):
    s = {"type": "snapshot", "window_start": msgpack.Timestamp(1764144000),
         "window_end": msgpack.Timestamp(1764144060), "window": "60s",
         "packets": 100, "bytes": 64000}
    s.update(kw)
    return s


def lines(out, start):
    """The output's lines from the first that starts with start."""
    ls = out.splitlines()
    for i, l in enumerate(ls):
        if l.startswith(start):
            return ls[i:]
    return []


# The reported crash: an infinite rate in a small snapshot.
crash = snap(bandwidth={"bucket_ns": 2400000000, "bps": [INF, 1000.0],
                        "avg_bps": INF})
check(len(msgpack.packb(crash)) < 160, "a small record (%d bytes)"
      % len(msgpack.packb(crash)))
rc, out, err = show(crash)
check(rc == 0 and err == "", "infinite rate: exit 0, nothing said (%d, %r)"
      % (rc, err))
check(lines(out, "Bandwidth")[:2] == [
    "Bandwidth: average ?, peak 1.00 kbit/s at +2.400s; 2 buckets of 2.400s",
    "  [ @]"], "infinite rate: 0 for it, the peak of the rest: %s"
    % lines(out, "Bandwidth")[:2])

# Every kind of bad rate in one bucket list.
rc, out, err = show(snap(bandwidth={
    "bucket_ns": 1000000000, "avg_bps": -5.0,
    "bps": [NAN, -INF, -1.0, 0.0, 250.0, 1000.0, "x", [1, 2], {"a": 1},
            None, 10 ** 19]}))
check(rc == 0 and err == "", "NaN, -inf, negative, strings, nested: exit 0")
check(lines(out, "Bandwidth")[:2] == [
    "Bandwidth: average ?, peak 10.00 Ebit/s at +10.000s; 11 buckets of "
    "1.000s", "  [    ..    @]"], "each bad bucket is 0, nested values "
    "count as one bucket: %s" % lines(out, "Bandwidth")[:2])

# Huge but finite values: printed, not overflowed.
rc, out, err = show(snap(bytes=2 ** 64 - 1, bandwidth={
    "bucket_ns": 2 ** 64 - 1, "avg_bps": 1.5e308, "bps": [1e300, 1e308]}))
check(rc == 0 and "100 packets, 18446744073709551615 bytes (18.45 EB)"
      in out, "the largest byte count, exactly: %s" % lines(out, "100 ")[:1])
check(lines(out, "Bandwidth")[:2] == [
    "Bandwidth: average 1.5e+308 bit/s, peak 1e+308 bit/s at "
    "+1.84e+10s; 2 buckets of 1.84e+10s", "  [.@]"],
    "rates past the prefixes in exponent form: %s"
    % lines(out, "Bandwidth")[:2])

# Totals that are not counts: 0, and the shares stay blank.
rc, out, err = show(snap(packets=NAN, bytes=-3, countries=[
    {"country": "DE", "packets": 5, "bytes": 7, "hosts": 1},
    {"country": "US", "packets": INF, "bytes": -1.0, "hosts": "many"}]))
check(rc == 0 and "\n0 packets, 0 bytes (0 B)\n" in out, "unusable totals: %s"
      % lines(out, "0 ")[:1])
check(lines(out, "Countries")[:4] == [
    "Countries (2)", "country|packets|%packets|bytes|%bytes|hosts",
    "DE     |      5|        |    7|      |    1",
    "US     |      0|        |    0|      |    0"],
    "rows keep their cells, no share of an unusable total: %s"
    % lines(out, "Countries")[:4])

# An array header claiming four billion rows in a few bytes: the rows that
# are there, no huge allocation, no read past the record.
rec = bytearray(msgpack.packb(snap()))
rec[0] += 1
rec += msgpack.packb("domains") + b"\xdd" + struct.pack(">I", 2 ** 32 - 1)
rec += msgpack.packb({"domain": "example.com", "packets": 3})
rc, out, err = show(raw=bytes(rec))
check(rc == 1 and err.startswith("tsa-print: ") and err.count("\n") == 1,
      "a lying array length: one line, exit 1: %r" % err)
check("Domains (4294967295)" not in out, "no table claims the lie")
done()
