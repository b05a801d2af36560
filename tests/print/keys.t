#!/usr/bin/python3
# Keys that are not strings: JSON keys must be, so tsa-print quotes the
# key's JSON text.  A key that is a map whose key is a map, and so on, was
# escaped once more at each level: a 200-byte record asked for 2 GiB
# (found by fuzz/print_tables).  The text of such a key is cut at 256
# bytes; the line stays small, valid JSON, and says what it can.
import json
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402

BIN = os.environ["TSA_BIN"]


key = msgpack.packb('say "hi"')
for _ in range(30):
    key = b"\x81" + key + msgpack.packb(1)   # {key: 1}, the key a map
rec = b"\x82" + msgpack.packb("type") + msgpack.packb("odd") + key + \
    msgpack.packb(2)
data = msgpack.packb({"tsa": 1, "kind": "packets", "tools": []}) + rec
check(len(rec) < 200, "a %d-byte record" % len(rec))
r = subprocess.run([os.path.join(BIN, "tsa-print")], input=data,
                   capture_output=True, timeout=60)
out = r.stdout.decode()
check(r.returncode == 0 and r.stderr == b"", "exit 0, nothing said: %r"
      % r.stderr)
check(len(out) < 2000, "one short line (%d bytes)" % len(out))
line = json.loads(out)
k = [x for x in line if x != "type"]
check(line.get("type") == "odd" and len(k) == 1 and line[k[0]] == 2,
      "valid JSON with both pairs: %s" % out[:120])
check(k[0].startswith('{"{\\"{\\\\\\"') and k[0].endswith("..."),
      "the key is its JSON text, cut: %s" % k[0][:60])
# A key that is a small map stays whole.
rec = b"\x81\x81" + msgpack.packb(7) + msgpack.packb(True) + msgpack.packb(3)
r = subprocess.run([os.path.join(BIN, "tsa-print")], input=msgpack.packb(
    {"tsa": 1, "kind": "packets", "tools": []}) + rec, capture_output=True)
check(json.loads(r.stdout) == {'{"7":true}': 3}, "a short map key whole: %s"
      % r.stdout.decode().strip())
done()
