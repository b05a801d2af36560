#!/usr/bin/python3
# tsa-print -l writes each line as soon as it is whole, as tcpdump -l: with
# the writer holding the pipe open between records, each record's line
# comes out before the next record is written.
import os
import select
import subprocess
import sys
import time

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402

BIN = os.environ["TSA_BIN"]


for opt in ("-l", "--line-buffered"):
    p = subprocess.Popen([os.path.join(BIN, "tsa-print"), opt],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    p.stdin.write(msgpack.packb({"tsa": 1, "kind": "packets", "tools": []}))
    got = []
    for k in range(3):
        p.stdin.write(msgpack.packb({"seq": k, "length": 60}))
        p.stdin.flush()
        ready, _, _ = select.select([p.stdout], [], [], 5)
        line = p.stdout.readline() if ready else b""
        got.append(line)
        check(line == b'{"seq":%d,"length":60}\n' % k,
              "%s: record %d's line arrived while the pipe stayed open: %r"
              % (opt, k, line))
    p.stdin.close()
    check(p.wait(timeout=30) == 0 and p.stdout.read() == b"",
          "%s: exit 0, nothing more" % opt)
done()
