#!/usr/bin/python3
"""tsa-print's columns (-f, --delimiter, --no-title, --csv, --tsv), --header
and --last, against text computed here from the stream itself: each value's
text from its msgpack type (ipaddress for addresses, the timestamp
extension decoded by hand), CSV from Python's csv module, widths and
escapes counted here.  A real capture's records and crafted ones (commas,
quotes, line breaks, tabs, backslashes, missing keys, UTF-8)."""
import csv
import datetime
import io
import ipaddress
import json
import os
import struct
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import PCAPS, TMP, check, done, need, pack, run, same  # noqa: E402

PCAP = need(os.path.join(PCAPS, "strato-test-cc-capture-2.pcap"), "a capture with DNS answers")


def with_time(rec, key, sec, nsec):
    """rec packed with a timestamp 96 (docs/stream.md: times) under key,
    built byte by byte; rec gets the value as msgpack would decode it."""
    raw = b"".join(msgpack.packb(k) + msgpack.packb(v) for k, v in rec.items())
    raw = bytes([0x80 | (len(rec) + 1)]) + raw + msgpack.packb(key) + \
        b"\xc7\x0c\xff" + struct.pack(">IQ", nsec, sec)
    rec[key] = msgpack.Timestamp(sec, nsec)
    return raw


def scalar(key, v, screen):
    """The text of one value as a column shows it (screen: control bytes as ?)."""
    if v is None:
        return "null"
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)          # only values whose repr is %g's here
    if isinstance(v, str):
        return "".join("?" if screen and (ord(c) < 0x20 or c == "\x7f") else c for c in v)
    if isinstance(v, bytes):
        if key.endswith(("addr", "addrs", "ips")) and len(v) in (4, 16):
            return str(ipaddress.ip_address(v))
        return v.hex()
    if isinstance(v, msgpack.Timestamp):
        sec, nsec = v.seconds, v.nanoseconds
        t = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=sec)
        return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % nsec
    raise ValueError("no text for %r" % (v,))


def cell(key, rec, screen):
    if key not in rec:
        return ""
    v = rec[key]
    if isinstance(v, list):
        return ",".join(scalar(key, e, screen) for e in v)
    return scalar(key, v, screen)


def rows(fields, recs, screen=False):
    return [[cell(f, r, screen) for f in fields] for r in recs if any(f in r for f in fields)]


def aligned(fields, recs, delim="|", title=True):
    """rwcut's form: widths from the title and the first 256 rows."""
    body = rows(fields, recs, screen=True)
    width = [max([len(f)] + [len(r[i]) for r in body[:256]]) for i, f in enumerate(fields)]
    lines = ([fields] if title else []) + body
    return "".join("".join(c.ljust(w) + delim for c, w in zip(r, width)) + "\n" for r in lines)


def as_csv(fields, recs, title=True):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")     # quotes only where needed
    if title:
        w.writerow(fields)
    w.writerows(rows(fields, recs))
    return out.getvalue()


def as_tsv(fields, recs, title=True):
    def esc(s):
        return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    lines = ([fields] if title else []) + rows(fields, recs)
    return "".join("\t".join(esc(c) for c in r) + "\n" for r in lines)


def unpack(data):
    """Every map, timestamps as msgpack.Timestamp (formatted here)."""
    return list(msgpack.Unpacker(io.BytesIO(data), raw=False, strict_map_key=False,
                                 timestamp=0))


def printed(args, data):
    p = run(["tsa-print"] + args, data)
    same("tsa-print %s: stderr" % " ".join(args), p.stderr, b"")
    return p.stdout.decode()


# --- A real capture: addresses, ports, arrays of names and of addresses.
cap = run(["tsa-capture", "-q", "-r", PCAP]).stdout
objs = unpack(cap)
header, recs = objs[0], [r for r in objs[1:] if r.get("type") != "end"]
F = ["timestamp", "src_addr", "dst_port", "dns_query_names", "dns_resp_ips"]
answered = [r for r in recs if r.get("dns_resp_ips")]
check(len(recs) >= 1000 and len(answered) >= 20,
      "%d records, %d with DNS answers" % (len(recs), len(answered)))
check(any(len(r["dns_resp_ips"]) > 1 for r in answered), "an answer of several addresses")
arg = ",".join(F)
same("-f: aligned columns", printed(["-f", arg], cap), aligned(F, recs))
same("-f --no-title", printed(["-f", arg, "--no-title"], cap), aligned(F, recs, title=False))
same("-f --delimiter ';'", printed(["-f", arg, "--delimiter", ";"], cap),
     aligned(F, recs, delim=";"))
same("--csv", printed(["--csv", "-f", arg], cap), as_csv(F, recs))
same("--csv --no-title", printed(["--csv", "-f", arg, "--no-title"], cap),
     as_csv(F, recs, title=False))
same("--tsv", printed(["--tsv", "-f", arg], cap), as_tsv(F, recs))
back = list(csv.reader(io.StringIO(printed(["--csv", "-f", arg], cap), newline="")))
same("--csv read back by csv.reader", back, [F] + rows(F, recs))
out = os.path.join(TMP, "out.csv")
run(["tsa-print", "--csv", "-f", arg, "-o", out], cap)
same("-o FILE holds what stdout would", open(out, newline="").read(), as_csv(F, recs))

# --- Crafted values: what CSV must quote and TSV escape, missing keys,
# records with none of the fields (skipped), UTF-8, more rows than are
# sized (the 300th value is longer than the widths: not re-padded).
odd = [
    {"type": "x", "name": 'say "hi", then go', "n": 1},
    {"type": "x", "name": "two\nlines", "n": -2},
    {"type": "x", "name": "tab\there \\ back", "flag": True},
    {"type": "x", "name": "cr\r", "n": 3, "src_addr": b"\x0a\x00\x00\x01"},
    {"type": "x", "name": "Zürich ünïcode", "n": 0, "blob": b"\x01\xab"},
    {"type": "x", "other": 1},
    {"type": "x", "name": "", "n": None, "f": 0.25},
    {"type": "x", "name": ["a", "b,c"], "dst_addrs": [b"\x00" * 15 + b"\x01", b"\x7f\x00\x00\x01"]},
] + [{"type": "y", "n": i} for i in range(300)] + [{"type": "y", "name": "w" * 40}]
timed = {"type": "x", "n": 7}
raw = with_time(timed, "t", 1700000000, 5)
odd.insert(3, timed)
data = pack({"tsa": 1, "kind": "packets", "tools": []},
            [raw if r is timed else r for r in odd])
G = ["name", "n", "flag", "src_addr", "dst_addrs", "blob", "f", "t"]
arg = ",".join(G)
same("crafted: --csv", printed(["--csv", "-f", arg], data), as_csv(G, odd))
same("crafted: --tsv", printed(["--tsv", "-f", arg], data), as_tsv(G, odd))
same("crafted: -f", printed(["-f", arg], data), aligned(G, odd))
tsv = printed(["--tsv", "-f", arg], data)
same("crafted: --tsv one line per record and the title",
     tsv.count("\n"), len(rows(G, odd)) + 1)
# Widths from exactly the first 256 rows: the 256th row widens its column,
# the 257th is wider still and does not.
sized = [{"v": "a"}] * 255 + [{"v": "b" * 4}, {"v": "c" * 8}, {"other": 1}]
same("-f: widths from the first 256 rows, no more",
     printed(["-f", "v"], pack({"tsa": 1, "kind": "packets", "tools": []}, sized)),
     aligned(["v"], sized))
check(aligned(["v"], sized).startswith("v   |\n"), "(the oracle pads to 4)")
same("-f n,n fills both columns", printed(["--csv", "-f", "n,n", "--no-title"], data),
     as_csv(["n", "n"], odd, title=False))
same("--csv with no matching record: the header row alone",
     printed(["--csv", "-f", "absent"], data), "absent\r\n")
same("-f with no matching record: the title alone",
     printed(["-f", "absent"], data), "absent|\n")

# --- --header: the header map as a JSON line before the records.
lines = printed(["--header"], data).splitlines()
same("--header: first line", json.loads(lines[0]), {"tsa": 1, "kind": "packets", "tools": [],
                                                    "end_record": True})
same("--header: then every record", len(lines), 1 + len(odd))

# --- --last: the last snapshot, the others and other records not shown.
snaps = [{"type": "snapshot", "seq": i, "packets": 10 * i, "countries": []} for i in range(4)]
mixed = [snaps[0], {"type": "alert", "alert": "scan"}, snaps[1], snaps[2],
         {"type": "stats", "received": 1}, snaps[3], {"type": "alert", "alert": "x"}]
sdata = pack({"tsa": 1, "kind": "snapshots", "tools": []}, mixed)
lines = printed(["--last", "--json"], sdata).splitlines()
same("--last --json: one line, the last snapshot", [json.loads(x) for x in lines], [snaps[3]])
lines = printed(["--last", "--json", "-", os.path.join(TMP, "s.tsa")],
                open(os.path.join(TMP, "s.tsa"), "wb").write(sdata) and sdata).splitlines()
same("--last over two streams: one snapshot each", [json.loads(x)["seq"] for x in lines], [3, 3])
same("--last -f", printed(["--last", "--csv", "-f", "seq,packets"], sdata), "seq,packets\r\n3,30\r\n")
# On a stream without snapshots it says so, and fails.
p = run(["tsa-print", "--last"], cap, rc=1)
err = p.stderr.decode()
same("--last on packets: nothing on stdout", p.stdout, b"")
check(err.count("\n") == 1 and "no snapshot" in err and err.startswith("tsa-print: stdin: "),
      "--last on packets: one line naming the stream: %r" % err)

# --- Forms that do not go together: one line, exit 2, nothing printed.
for args in (["--tables", "--json"], ["--csv", "--tsv", "-f", "a"], ["--csv"], ["--tsv"],
             ["-f", "a", "--json"], ["-f", "a", "--tables"], ["--csv", "-f", "a", "--header"],
             ["--delimiter", ","], ["--csv", "-f", "a", "--delimiter", ","],
             ["--no-title"], ["-f", "a", "--delimiter", "ab"], ["-f", "a", "--delimiter", ""],
             ["--bogus"], ["-f"], ["-o"]):
    p = run(["tsa-print"] + args, data, rc=2)
    err = p.stderr.decode()
    check(p.stdout == b"" and err.count("\n") == 1 and err.startswith("tsa-print: "),
          "%s: refused in one line: %r" % (" ".join(args), err))
done()
