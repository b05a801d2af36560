#!/usr/bin/python3
"""A user's own stage, in Python with python3-msgpack, between two TSA tools
keeps the stream intact: every record arrives, in order, with every key and
value unchanged, plus the key the stage added; the header's tools grow."""
import os, subprocess, sys, ipaddress
import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
from tsatest import check, done, same  # noqa: E402

B = os.environ["TSA_BIN"]
pcap = tsatest.need(os.path.join(tsatest.PCAPS, "ppp-example.pcap"), "a shared capture")

STAGE = r'''
import sys, ipaddress, msgpack
unpacker = msgpack.Unpacker(sys.stdin.buffer, raw=False)
out = sys.stdout.buffer
header = next(unpacker)
header["tools"].append(sys.argv)
out.write(msgpack.packb(header))
for rec in unpacker:
    if "type" not in rec and "dst_addr" in rec:
        rec["dst_text"] = str(ipaddress.ip_address(rec["dst_addr"]))
    out.write(msgpack.packb(rec))
'''

def records(data):
    u = msgpack.Unpacker(raw=False, strict_map_key=True)
    u.feed(data)
    return list(u)

stage = os.path.join(os.environ["TSA_TMP"], "my_stage.py")
with open(stage, "w") as f:
    f.write(STAGE)
direct = tsatest.run(["tsa-capture", "-q", "-r", pcap]).stdout
# Every stage's exit checked (a shell pipeline would keep only the last's).
piped = tsatest.pipeline([["tsa-capture", "-q", "-r", pcap],
                          [f"{B}/tests/tsa-passthrough", "-a", "ours"],
                          [sys.executable, stage],
                          [f"{B}/tests/tsa-passthrough"]]) or b""
a, b = records(direct), records(piped)
if not check(len(a) == len(b) and len(a) >= 4000,
             f"record count: direct {len(a)}, through the Python stage {len(b)}"):
    done()
ha, hb = a[0], b[0]
same("the header's tools", [t[0].rsplit("/", 1)[-1] for t in hb["tools"]],
     ["tsa-capture", "tsa-passthrough", "my_stage.py", "tsa-passthrough"])
same("the header's other keys", {k: v for k, v in hb.items() if k != "tools"},
     {k: v for k, v in ha.items() if k != "tools"})
packets = 0
for i, (ra, rb) in enumerate(zip(a[1:], b[1:]), 1):
    if "type" in ra:
        check(ra == rb, f"record {i}: a {ra.get('type')} record unchanged", quiet=True)
        continue
    packets += 1
    extra = {k: rb[k] for k in rb if k not in ra}
    want = {"ours": True}
    if "dst_addr" in ra:
        want["dst_text"] = str(ipaddress.ip_address(ra["dst_addr"]))
    # same keys in the same order, same values, then the added ones
    if not check(list(rb)[:len(ra)] == list(ra) and all(rb[k] == ra[k] for k in ra)
                 and extra == want, f"record {i}: {ra} became {rb}", quiet=True):
        break
check(packets > 4000, f"{packets} packet records and {len(a) - 1 - packets} others compared")
done()
