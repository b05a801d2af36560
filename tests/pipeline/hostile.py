#!/usr/bin/python3
"""Hostile streams for every tool that reads one: tsa-geo, tsa-p0f,
tsa-filter, tsa-aggregate (plain, --pass, --merge), tsa-plot, tsa-print.

Unusable input (garbage, random bytes, no or a bad header, a truncated
record, bytes that are no msgpack, length prefixes that lie, a record over
16 MiB): a one-line message `tsa-X: ...` and a non-zero exit.  Odd records
(every known key with the wrong type, a 10 MB string, 100000 levels of
nesting, unknown record types): status 0, and the stages that pass records
on (tsa-geo, tsa-p0f, tsa-filter, tsa-aggregate --pass) pass each one with
every key that is not theirs unchanged and in order, and go on to annotate
the good record that follows.  Always: no signal, no sanitizer report, no
hang.  Random inputs use fixed seeds, so failures repeat."""
import os
import random
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import msgpack
from pipelib import (TMP, check, finish, tool, run, verdict, records,
                     pcap)
from rawmp import P, rmap, ext, split, pairs

rng = random.Random(1126)

HEADER = {"tsa": 1, "kind": "packets", "link_type": 1, "snaplen": 262144,
          "source": "hostile", "tools": [["tsa-capture", "-r", "hostile"]]}
SNAP_HEADER = dict(HEADER, kind="snapshots")
TS = ext(-1, struct.pack(">I", 1709294400))     # timestamp 32


def good(dst=bytes([8, 8, 8, 8])):
    """A plain packet record to a public address (tsa-geo: US)."""
    return rmap([("timestamp", TS), ("length", P(60)), ("ip_version", P(4)),
                 ("src_addr", P(bytes([10, 0, 0, 1]))), ("dst_addr", P(dst)),
                 ("protocol", P("udp")), ("ttl", P(64)),
                 ("src_port", P(5353)), ("dst_port", P(53)),
                 ("application_type", P("none"))])


def syn_headers(rnd):
    """An IPv4 + TCP header block whose options and lengths are random."""
    ihl = rnd.choice([5, 6, 15])
    ip = bytes([0x40 | ihl, 0]) + struct.pack(">HHHBBH", rnd.randrange(65536),
                                              rnd.randrange(65536), 0x4000,
                                              64, 6, 0)
    ip += bytes([10, 0, 0, 1, 93, 184, 216, 34])
    ip += bytes(rnd.randrange(256) for _ in range(4 * (ihl - 5)))
    off = rnd.choice([5, 8, 15])
    tcp = struct.pack(">HHIIBBHHH", 40000, 80, 1, 0, off << 4, 2, 65535, 0, 0)
    tcp += bytes(rnd.choice([0, 1, 2, 3, 4, 8, 255, rnd.randrange(256)])
                 for _ in range(rnd.randrange(0, 60)))
    return ip + tcp[:rnd.randrange(len(tcp) + 1)]


# Wrong types and values for every key a tool reads.
INVALID_UTF8 = b"\xa3\xff\xfe\xfd"
WRONG = {
    "timestamp": [P("2024-03-01T12:00:00Z"), P(1709294400), P(-1), P(None),
                  ext(-1, b"abc"), ext(-1, b"\xff" * 12), ext(-1, b""),
                  ext(5, b"12345678"), P(1.5)],
    "length": [P("60"), P(-5), P(2 ** 64 - 1), P(1.5), P([60])],
    "ip_version": [P(7), P("4"), P(-4)],
    "src_addr": [P("10.0.0.1"), P(b"\x01\x02\x03"), P(b""), P([1, 2, 3, 4]),
                 P(b"x" * 17), P({"a": 1}), INVALID_UTF8],
    "dst_addr": [P("8.8.8.8"), P(b"\x08\x08\x08"), P(b"y" * 15), P(8)],
    "protocol": [P(["tcp"]), P(300), P(-1), P(""), P(b"tcp")],
    "ttl": [P(1000), P("64"), P(-1)],
    "src_port": [P(70000), P(-1), P("80"), P(2 ** 64 - 1)],
    "dst_port": [P(70000), P("53"), P([53])],
    "tcp_flags": [P(512), P("SA"), P(-2)],
    "tcp_op": [P(5), P(""), P(["SYN"]), INVALID_UTF8],
    "fragment": [P(1), P("middle")],
    "icmp_type": [P("x"), P(-1)],
    "application_type": [P({"a": 1}), P(3)],
    "dns_query_resp": [P(1), P(["query"])],
    "dns_query_names": [P("example.com"), P([1, 2]), b"\x91" + INVALID_UTF8,
                        P([None]), P({"x": "y"}), P(["a" * 70000])],
    "dns_resp_ips": [P({"a": 1}), P(["1.2.3.4"]), P([b"\x01\x02\x03"]),
                     P(5), P([[b"\x01\x02\x03\x04"]]), P([b"\x01" * 16] * 3000)],
    "dns_cnames": [P({"x": 1}), P([3]), P("cname.example")],
    "dns_rcode": [P("NXDOMAIN"), P(-1)],
    "http_req_resp": [P(1)],
    "http_method": [P(b"GET"), P(7)],
    "http_host": [P(5), P(""), P(":" * 300), P("[::1"), P("a" * 100000)],
    "http_uri": [P([]), P(b"/")],
    "http_status": [P("200"), P(-200)],
    "tls_sni": [P(123), P(b"bin.example"), P("." * 500), INVALID_UTF8],
    "truncated": [P("yes"), P(0)],
    "tcp_headers": [P("str"), P(b"\x45"), P(b"\x45" + b"\0" * 19), P(5),
                    P(b"\x4f" + b"\0" * 19), P(b"\x60" + b"\0" * 39),
                    P(b"\xff" * 60)],
    "http_headers": [P(5), P("GET / HTTP/1.1\r\n\r\n"),
                     P(b"GET / HTTP/1.1\r\nHost: x\r\n"),
                     P(b"GET / HTTP/1.1\r\n" + b"A: " + b"b" * 5000 + b"\r\n\r\n"),
                     P(b"HTTP/1.1 200 OK\r\n:\r\n\r\n")],
    "type": [P(5), P("weird"), P(""), P(None)],
    "src_country": [P(5), P("XXX"), P(""), P(b"US")],
    "dst_country": [P([1]), P("u")],
    "src_os": [P(5), P(["Linux"])],
    "src_os_class": [P(1)],
    "src_dist": [P("x"), P(-1), P(2 ** 64 - 1)],
    "src_app": [P({})],
    "p0f_label": [P([])],
    "src_asn": [P("x")],
    "src_scope": [P(7)],
}

GEO_KEYS = {p + k for p in ("src_", "dst_") for k in
            ("country", "continent", "lat", "lon", "city", "asn", "as_org",
             "scope")}
P0F_KEYS = {p + k for p in ("src_", "dst_") for k in ("os", "os_class")} | {
    "p0f_" + k for k in ("raw_sig", "match", "label", "class", "name",
                         "flavor", "dist", "mtu", "link", "uptime_min",
                         "uptime_mod_days", "uptime_hz", "http_raw_sig",
                         "http_match", "http_label", "http_dishonest",
                         "lang")}
OWN = {"tsa-geo": GEO_KEYS, "tsa-p0f": P0F_KEYS}


def odd_records():
    """Each known key with each wrong value in an otherwise good record
    (as a SYN where p0f reads it), all keys wrong at once, and random
    SYN header blocks."""
    recs = []
    base = [("timestamp", TS), ("length", P(60)), ("ip_version", P(4)),
            ("src_addr", P(bytes([10, 0, 0, 1]))),
            ("dst_addr", P(bytes([93, 184, 216, 34]))),
            ("protocol", P("tcp")), ("ttl", P(64)), ("src_port", P(40000)),
            ("dst_port", P(80)), ("tcp_flags", P(2)), ("tcp_op", P("SYN")),
            ("application_type", P("http")), ("http_req_resp", P("request")),
            ("http_method", P("GET")), ("http_host", P("example.com")),
            ("tcp_headers", P(syn_headers(rng)))]
    for key, vals in WRONG.items():
        for v in vals:
            rec = [(k, v if k == key else x) for k, x in base]
            if key not in dict(base):
                rec.append((key, v))
            recs.append(rmap(rec))
    recs.append(rmap([(k, vals[0]) for k, vals in WRONG.items()]))
    for _ in range(200):
        rec = [(k, P(syn_headers(rng)) if k == "tcp_headers" else x)
               for k, x in base]
        recs.append(rmap(rec))
    # Odd but legal shapes: duplicate keys, an empty map.
    recs.append(rmap([("length", P(1)), ("length", P("two"))]))
    recs.append(rmap([]))
    return recs


def big_records():
    """A 10 MB string, 100000 levels of arrays and of maps."""
    return [rmap([("note", P("z" * (10 << 20))), ("length", P(60))]),
            rmap([("x", b"\x91" * 100000 + b"\xc0")]),
            rmap([("x", b"\x81\xa1a" * 100000 + b"\xc0")]),
            rmap([("x", b"\x92" * 100000 + b"\xc0" * 100001)])]


def unusable():
    """(name, bytes) streams that no tool can use."""
    hdr = P(HEADER)
    g = good()
    rnd = random.Random(7)
    out = [
        ("text", b"hello, world\n" * 100),
        ("random bytes", bytes(rnd.randrange(256) for _ in range(65536))),
        ("header not a map", P(1) + g),
        ("no tsa key", P({"kind": "packets"}) + g),
        ("tsa version 2", P(dict(HEADER, tsa=2)) + g),
        ("tsa as a string", P(dict(HEADER, tsa="1")) + g),
        ("truncated header", hdr[:len(hdr) // 2]),
        ("truncated record", hdr + g + g[:len(g) - 3]),
        ("header then 0xc1", hdr + g + b"\xc1" + g),
        ("header then nonsense", hdr + b"\xc1" +
         bytes(rnd.randrange(256) for _ in range(4096))),
        ("map claiming 2^32-1 pairs", hdr + g + b"\xdf\xff\xff\xff\xff" +
         P("timestamp") + TS),
        ("header claiming 2^32-1 pairs", b"\xdf\xff\xff\xff\xff" + P("tsa") +
         P(1)),
        ("array claiming 2^32-1 items", hdr + rmap([("x", b"\xdd\xff\xff\xff\xff")])),
        ("str claiming 4 GB", hdr + rmap([("x", b"\xdb\xff\xff\xff\xff" +
                                          b"a" * 100)])),
        ("bin claiming 4 GB", hdr + rmap([("x", b"\xc6\xff\xff\xff\xff")])),
        ("record over 16 MiB", hdr + rmap([("x", P(b"q" * (17 << 20)))]) + g),
    ]
    return out


def random_msgpack(rnd, n):
    """Random msgpack values, maps or not."""
    def val(d):
        c = rnd.randrange(9 if d < 4 else 5)
        if c == 0:
            return rnd.randrange(-2 ** 63, 2 ** 64)
        if c == 1:
            return "".join(chr(rnd.randrange(32, 0x2000))
                           for _ in range(rnd.randrange(20)))
        if c == 2:
            return bytes(rnd.randrange(256) for _ in range(rnd.randrange(20)))
        if c == 3:
            return rnd.choice([None, True, False, 1.5, -0.0])
        if c == 4:
            return msgpack.Timestamp(rnd.randrange(2 ** 34),
                                     rnd.randrange(10 ** 9))
        if c in (5, 6):
            return {rnd.choice(list(WRONG)): val(d + 1)
                    for _ in range(rnd.randrange(6))}
        return [val(d + 1) for _ in range(rnd.randrange(6))]
    return b"".join(P(val(0)) for _ in range(n))


TIMEOUT = 30


def argv_for(name, path=None, out=None):
    """The command line of each reader; None for stdin."""
    if name == "tsa-filter":
        a = [tool("tsa-filter"), "not has no_such_key"]
    elif name == "tsa-aggregate --pass":
        a = [tool("tsa-aggregate"), "--pass"]
    elif name == "tsa-aggregate --merge":
        a = [tool("tsa-aggregate"), "--merge"]
    elif name == "tsa-plot":
        a = [tool("tsa-plot"), "--script-only", "-o", out]
    elif name == "tsa-print":
        a = [tool("tsa-print"), "--json"]
    else:
        a = [tool(name)]
    if path:
        a.append(path)
    return a


TOOLS = ["tsa-geo", "tsa-p0f", "tsa-filter", "tsa-aggregate",
         "tsa-aggregate --pass", "tsa-aggregate --merge", "tsa-plot",
         "tsa-print"]
PASSERS = ["tsa-geo", "tsa-p0f", "tsa-filter", "tsa-aggregate --pass"]


def invoke(name, data):
    """Run one tool on data: stdin, except --merge which takes files (the
    hostile stream and a good one)."""
    outdir = os.path.join(TMP, "plot")
    if name == "tsa-aggregate --merge":
        path = os.path.join(TMP, "hostile.tsa")
        with open(path, "wb") as f:
            f.write(data)
        return run(argv_for(name, path) + [GOOD_SNAPS], limit=TIMEOUT)
    return run(argv_for(name, out=outdir), data, limit=TIMEOUT)


def judge(name, what, rc, out, err, timed_out, want):
    """want: 'error' (a one-line message and a non-zero exit), 'ok' (status
    0), 'any' (either, but a message is one line)."""
    prog = name.split()[0]
    bad = verdict(prog, rc, err, timed_out)
    lines = err.splitlines()
    one_line = (rc not in (0, None) and len(lines) == 1 and
                lines[0].startswith(prog + ": "))
    if bad:
        good_end = False
    elif want == "error":
        good_end = one_line
    elif want == "ok":
        good_end = rc == 0
    else:
        good_end = rc == 0 or one_line
    check(good_end, "%s, %s: exit %s, stderr %r%s" %
          (name, what, rc, err[:240], " (%s)" % bad if bad else ""))
    return good_end


def passed_unchanged(name, inputs, out):
    """Each input record comes out (snapshots, alerts and tsa-p0f's host
    records aside) with every key that is not the tool's own unchanged and
    in order."""
    own = {P(k) for k in OWN.get(name, ())}
    outs = split(out)[1:]
    outs = [o for o in outs if b"\xa4type\xa8snapshot" not in o[:64]
            and b"\xa4type\xa5alert" not in o[:64]
            and b"\xa4type\xa4host" not in o[:16]]
    if len(outs) != len(inputs):
        return check(False, "%s: %d records in, %d out" %
                     (name, len(inputs), len(outs)))
    bad = 0
    for i, (a, b) in enumerate(zip(inputs, outs)):
        if a == b:
            continue
        ka = [(k, v) for k, v in pairs(a) if k not in own]
        kb = [(k, v) for k, v in pairs(b) if k not in own]
        if ka != kb:
            bad += 1
            if bad <= 3:
                print("      record %d changed: %r -> %r" %
                      (i, a[:120], b[:120]))
    return check(not bad, "%s: all %d odd records passed through unchanged "
                 "(their keys, not the tool's own)" % (name, len(inputs)))


def good_snapshots():
    """A real snapshot stream, for --merge's other input and for mutating."""
    src = pcap("suri-tls-subjectaltname.pcap")
    rc, caps, err, _ = run([tool("tsa-capture"), "-q", "-r", src])
    rc2, snaps, err2, _ = run([tool("tsa-aggregate")], caps, limit=60)
    assert rc == 0 and rc2 == 0, (err, err2)
    path = os.path.join(TMP, "good-snaps.tsa")
    with open(path, "wb") as f:
        f.write(snaps)
    return path, snaps


def odd_snapshots(snaps):
    """Snapshot records with wrong types in every field tools read."""
    recs = records(snaps)
    last = [r for r in recs if r.get("type") == "snapshot"][-1]
    wrong = {
        "window_end": ["x", -1, None], "window_start": [[], 5],
        "window": [{}, -1], "packets": ["x", -1, 2 ** 64 - 1], "bytes": [[]],
        "countries": ["x", [5], [{"country": 5, "packets": "x"}],
                      [{"country": "ZZZ", "packets": -1, "bytes": None}],
                      [{"country": "DE"}] * 5000],
        "domains": [5, [{"domain": 5, "aliases": 5, "countries": "US"}],
                    [{"domain": "a" * 100000, "packets": 1}]],
        "os": [{}, [{"os": [], "class": 5, "hosts": "x"}]],
        "hosts": [[{"addr": "1.2.3.4"}], [{"addr": b"\x01\x02\x03"}], [5]],
        "bandwidth": [{"bps": {"a": 1}}, {"bps": [1.0] * 200000,
                                          "bytes": "x"},
                      {"start": "x", "bucket_ns": 0}, 5],
        "alerts": [[5], [{"host_addr": b"\x01", "alert": 3}], "x"],
        "sensors": ["x"], "final": ["yes"],
    }
    out = []
    for key, vals in wrong.items():
        for v in vals:
            r = dict(last)
            r[key] = v
            r.pop("final", None)
            out.append(P(r))
    return out


def main():
    global GOOD_SNAPS
    GOOD_SNAPS, snaps = good_snapshots()

    print("== unusable streams")
    for what, data in unusable():
        for name in TOOLS:
            judge(name, what, *invoke(name, data), want="error")

    print("== random msgpack after a good header (any end, never a crash)")
    for seed in range(3):
        data = P(HEADER) + random_msgpack(random.Random(seed), 300)
        for name in TOOLS:
            judge(name, "random msgpack seed %d" % seed,
                  *invoke(name, data), want="any")
        raw = bytes(random.Random(seed).randrange(256) for _ in range(20000))
        for name in TOOLS:
            judge(name, "header + random bytes seed %d" % seed,
                  *invoke(name, P(HEADER) + raw), want="any")

    print("== odd packet records")
    odd = odd_records()
    gd = good()
    for group, recs in (("wrong types", odd), ("huge and deep", big_records())):
        inputs = recs + [gd]
        data = P(HEADER) + b"".join(inputs)
        for name in TOOLS:
            if name in ("tsa-aggregate --merge", "tsa-plot"):
                # Packet records are not what these read: any clean end.
                judge(name, group, *invoke(name, data), want="any")
                continue
            rc, out, err, to = invoke(name, data)
            if not judge(name, group, rc, out, err, to, want="ok"):
                continue
            if name in PASSERS:
                passed_unchanged(name, inputs, out)
            if name == "tsa-geo":
                last = records(split(out)[-1])
                check(last and last[0].get("dst_country") == "US",
                      "tsa-geo goes on: the good record after %s gets "
                      "dst_country US (%r)" % (group, last and
                                               last[0].get("dst_country")))
            if name == "tsa-print":
                n = len(out.splitlines())
                check(n == len(inputs), "tsa-print: one line per record "
                      "(%d records, %d lines)" % (len(inputs), n))
            if name == "tsa-aggregate":
                snap = [r for r in records(out)
                        if r.get("type") == "snapshot"]
                check(snap and snap[-1].get("final") is True and
                      snap[-1].get("packets", 0) >= 1,
                      "tsa-aggregate: a final snapshot counts the good "
                      "record (%s)" % (snap and snap[-1].get("packets")))

    # Keys that are not strings break the stream's contract; a tool may
    # refuse the stream (one line) or pass the record on.
    data = (P(HEADER) + rmap([(P(1), P(2)), (P(b"bin"), P(3)),
                              ("length", P(60))]) + gd)
    for name in TOOLS:
        judge(name, "a record with keys that are not strings",
              *invoke(name, data), want="any")

    print("== odd snapshot records")
    recs = odd_snapshots(snaps)
    good_last = split(snaps)[-1]
    data = P(SNAP_HEADER) + b"".join(recs) + good_last
    for name in ("tsa-plot", "tsa-print", "tsa-aggregate --merge",
                 "tsa-aggregate", "tsa-filter", "tsa-geo", "tsa-p0f"):
        rc, out, err, to = invoke(name, data)
        judge(name, "odd snapshots", rc, out, err, to, want="any")
        if name == "tsa-print" and rc == 0:
            check(len(out.splitlines()) == len(recs) + 1,
                  "tsa-print: one line per snapshot")
    finish()


GOOD_SNAPS = None
main()
