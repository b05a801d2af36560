#!/usr/bin/python3
# The tool around the expression: inputs (stdin, -r, a file argument),
# outputs (-o, --fail), the header, usage errors, damaged input, a snapshots
# stream, keys that are not strings, and readers that go away.
import os
import re
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import (FILTER, PY, TMP, fail, finish, ip, run, split_stream,
                       stream)
from filterlib import tsatest  # noqa: E402

tsatest.need_pcaps()

records = [{"protocol": "tcp", "dst_port": 443, "src_addr": ip("10.0.0.1")},
           {"type": "stats", "final": False},
           {"protocol": "udp", "dst_port": 53, "src_addr": ip("10.0.0.2")},
           {"protocol": "tcp", "dst_port": 80, "src_addr": ip("::1")}]
data, raws = stream(records, {"tsa": 1, "kind": "packets", "link_type": 1,
                              "source": "x.pcap", "extra": [1, {"a": 2}],
                              "tools": [["tsa-capture", "-r", "x.pcap"]]})
path = os.path.join(TMP, "in.tsa")
with open(path, "wb") as f:
    f.write(data)
EXPR = "protocol == tcp"


def expect(cond, what):
    if cond:
        print("ok", what)
    else:
        fail(what)


# stdin, -r and a file argument give the same records
rc0, out0, err0 = run([EXPR], data)
h, got = split_stream(out0)
expect(rc0 == 0 and err0 == "" and got == [raws[0], raws[1], raws[3]],
       "stdin: the tcp records and the stats record, unchanged")
expect({k: v for k, v in h.items() if k != "tools"} ==
       {"tsa": 1, "kind": "packets", "link_type": 1, "source": "x.pcap",
        "extra": [1, {"a": 2}], "end_record": True} and
       list(h) == ["tsa", "kind", "link_type", "source", "extra", "end_record",
                   "tools"],
       "header keys copied in order, the promise of an end record added")
expect(h["tools"] == [["tsa-capture", "-r", "x.pcap"], [FILTER, EXPR]],
       "invocation appended to tools")
for args in (["-r", path, EXPR], [EXPR, path], [EXPR, "-r", path]):
    rc, out, err = run(args, b"")
    expect(rc == 0 and split_stream(out)[1] == got, f"{args}: same records")

# -o and --fail
o, fl = os.path.join(TMP, "pass.tsa"), os.path.join(TMP, "fail.tsa")
rc, out, err = run(["-o", o, "--fail", fl, EXPR, path], b"")
with open(o, "rb") as f:
    po = split_stream(f.read())
with open(fl, "rb") as f:
    pf = split_stream(f.read())
expect(rc == 0 and out == b"" and po[1] == got and
       pf[1] == [raws[1], raws[2]] and pf[0]["tools"][-1][0] == FILTER,
       "-o and --fail split the stream, each with a header")
rc, out, err = run(["--pass", o, "--count", EXPR, path], b"")
expect(rc == 0 and err == "tsa-filter: 3 records read, 2 passed, 1 failed; "
       "1 other record copied\n", "--count line: " + err.strip())

# usage errors: status 2
for args, what in (([], "no filter expression given"),
                   (["-r", path, EXPR, path], "both -r"),
                   ([EXPR, path, path], "more than one input file"),
                   (["--fail", "-", EXPR], "both go to stdout"),
                   (["-o", o, "--fail", o, EXPR], "both go to " + o),
                   (["--bogus", EXPR], "")):
    rc, out, err = run(args, data)
    expect(rc == 2 and what in err and out == b"", f"usage {args}: {err!r}")
rc, out, err = run(["--help"], b"")
expect(rc == 0 and b"Usage: tsa-filter" in out, "--help")
rc, out, err = run(["--settings", os.path.join(TMP, "none.ini"), EXPR], data)
expect(rc == 1 and "none.ini" in err and out == b"", "missing settings file")

# damaged input: a capture file, not a stream; a stream cut short
pcap = os.path.join(os.environ.get("PCAPS", "../shared/pcaps"),
                    "zeek-wikipedia.pcap")
if os.path.exists(pcap):
    rc, out, err = run([EXPR, pcap], b"")
    expect(rc == 1 and err.startswith("tsa-filter: " + pcap + ": ") and
           err.count("\n") == 1, "a pcap: " + err.strip())
cut = data[:len(data) - 3]
rc, out, err = run([EXPR], cut)
expect(rc == 1 and split_stream(out)[1] == [raws[0], raws[1]] and
       err.startswith("tsa-filter: stdin: record 4"),
       "cut short: records before the damage kept, " + err.strip())
rc, out, err = run([EXPR], msgpack.packb({"tsa": 1}) + b"\x93\x01\x02\x03")
expect(rc == 1 and out and "not a map" in err, "a record that is not a map: "
       + err.strip())

# Keys that are not strings (issue 16.13): the other stages pass such a
# record, and so does tsa-filter, deciding on its string keys.  A bin key
# with a field's name is not that field; a map as a key is stepped over
# whole, whatever strings it holds.
odd = [msgpack.packb({1: 2, "protocol": "tcp", "dst_port": 443}),
       msgpack.packb({b"protocol": "tcp", "dst_port": 80}),
       b"\x83\x81\xa8protocol\xa3tcp\x01" + msgpack.packb("protocol") +
       msgpack.packb("udp") + b"\x92\x01\xa3tcp\xc0",
       msgpack.packb({-1: [1, 2], "protocol": "tcp", 2.5: {"a": 1}})]
bad = msgpack.packb({"tsa": 1}) + raws[0] + b"".join(odd) + raws[0]
fl = os.path.join(TMP, "odd-fail.tsa")
rc, out, err = run(["--fail", fl, EXPR], bad)
with open(fl, "rb") as f:
    oddfail = split_stream(f.read())[1]
expect(rc == 0 and err == "" and
       split_stream(out)[1] == [raws[0], odd[0], odd[3], raws[0]] and
       oddfail == [odd[1], odd[2]],
       "records with keys that are not strings pass on their string keys: "
       + err.strip())

# a snapshots stream: nothing to filter, said once
snap, sraws = stream([{"type": "snapshot", "packets": 5}],
                     {"tsa": 1, "kind": "snapshots", "tools": []})
rc, out, err = run([EXPR], snap)
expect(rc == 0 and split_stream(out)[1] == sraws and "snapshots" in err,
       "snapshots stream passes, with a warning")

# a reader that goes away: quiet, status 0
big, _ = stream([records[0]] * 200000)
p = subprocess.run(f"'{FILTER}' '{EXPR}' | head -c 10 >/dev/null; "
                   "echo ${PIPESTATUS[0]}", shell=True, input=big,
                   capture_output=True, executable="/bin/bash")
expect(p.stdout == b"0\n" and p.stderr == b"", "closed pipe: status "
       f"{p.stdout!r}, stderr {p.stderr!r}")

# With --fail, each output ends on its own (issue 16.8): the reader of one
# leaving after a few records cuts neither the other output nor the input.
mixed = [records[0], records[2]] * 60000 + [records[1]]
data, mraws = stream(mixed)
want_pass = [raw for r, raw in zip(mixed, mraws) if r.get("protocol") != "udp"]
want_fail = [raw for r, raw in zip(mixed, mraws) if r.get("protocol") != "tcp"]
src = os.path.join(TMP, "mixed.tsa")
with open(src, "wb") as f:
    f.write(data)
po, fo = os.path.join(TMP, "p.tsa"), os.path.join(TMP, "f.tsa")


def sh(cmd):
    p = subprocess.run(cmd, shell=True, capture_output=True,
                       executable="/bin/bash", timeout=60)
    return p.stdout.decode(), p.stderr.decode()


def records_of(path):
    with open(path, "rb") as f:
        return split_stream(f.read())[1]


out, err = sh(f"'{FILTER}' --count --fail >(head -c 100 >/dev/null) '{EXPR}' "
              f"'{src}' >'{po}'; echo $?")
lines = err.splitlines()
expect(out == "0\n" and records_of(po) == want_pass and len(lines) == 2 and
       re.match(r"tsa-filter: /dev/fd/\d+: its reader went away at input "
                r"record \d+; stdout still gets every record$", lines[0]) and
       lines[1].startswith("tsa-filter: 120000 records read, 60000 passed"),
       f"fail reader gone: pass output complete ({len(records_of(po))} of "
       f"{len(want_pass)} records), status {out.strip()}, {err!r}")

out, err = sh(f"'{FILTER}' --fail '{fo}' '{EXPR}' '{src}' | head -c 100 "
              ">/dev/null; echo ${PIPESTATUS[0]}")
expect(out == "0\n" and records_of(fo) == want_fail and
       re.fullmatch(r"tsa-filter: stdout: its reader went away at input "
                    rf"record \d+; {re.escape(fo)} still gets every "
                    r"record\n", err),
       f"pass reader gone: fail output complete ({len(records_of(fo))} of "
       f"{len(want_fail)} records), status {out.strip()}, {err!r}")

# Both readers gone: tsa-filter stops reading an endless input, quietly
# but for the first reader's line.
endless = (f"'{PY}' -c 'import msgpack,sys; o=sys.stdout.buffer; "
           "o.write(msgpack.packb({\"tsa\":1})); r=b\"\".join(msgpack.packb("
           "{\"protocol\":p,\"n\":\"x\"*50}) for p in (\"tcp\",\"udp\"));"
           "exec(\"while True: o.write(r*1000)\")' 2>/dev/null")
try:
    out, err = sh(f"{endless} | '{FILTER}' --fail >(head -c 100 >/dev/null) "
                  f"'{EXPR}' | head -c 100 >/dev/null; echo ${{PIPESTATUS[1]}}")
    expect(out == "0\n" and len(err.splitlines()) <= 1,
           f"both readers gone: status {out.strip()}, {err!r}")
except subprocess.TimeoutExpired:
    fail("both readers gone: tsa-filter still reading after 60 s")
finish()
