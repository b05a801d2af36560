#!/usr/bin/python3
"""make bench's msgpack-c pass-through stage (tests/lib/msgpack-passthrough.c)
passes an annotated stream, host records and end record included, as
libtsa's tsa-passthrough does: the same records, in order; its invocation
in the header's tools; a stream cut short is an error."""
import os, subprocess, sys
import msgpack

B = os.environ["TSA_BIN"]
pcap = os.path.join(os.environ["PCAPS"], "zeek-http-bro.org.pcap")
if not os.path.exists(pcap):
    print(f"{pcap}: no such file (a shared capture)")
    sys.exit(77)


def records(data):
    u = msgpack.Unpacker(raw=False)
    u.feed(data)
    return list(u)


def run(cmd, data=None):
    return subprocess.run(cmd, shell=True, input=data, capture_output=True)


ann = run(f"{B}/tsa-capture -q -r {pcap} | {B}/tsa-p0f").stdout
lib = records(run(f"{B}/tests/tsa-passthrough", ann).stdout)
mpc = records(run(f"{B}/tests/tsa-msgpack-passthrough", ann).stdout)
fail = 0
if lib[1:] != mpc[1:] or len(mpc) < 500:
    print(f"FAIL: {len(mpc)} records from msgpack-c, {len(lib)} from libtsa")
    fail += 1
if not any(r.get("type") == "host" for r in mpc) or mpc[-1].get("type") != "end":
    print("FAIL: host records or the end record missing")
    fail += 1
tools = [t[0].rsplit("/", 1)[-1] for t in mpc[0]["tools"]]
if tools != ["tsa-capture", "tsa-p0f", "tsa-msgpack-passthrough"]:
    print(f"FAIL: tools {tools}")
    fail += 1
p = run(f"{B}/tests/tsa-msgpack-passthrough", ann[:len(ann) // 2])
if p.returncode != 1 or b"cut short" not in p.stderr:
    print(f"FAIL: cut short: status {p.returncode}, {p.stderr!r}")
    fail += 1
print(f"{fail} failures")
sys.exit(1 if fail else 0)
