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

# Columns (-f) are sized from the first 256 rows, but a quiet live stream
# would take minutes to bring them: a pause in the input prints the rows
# held so far, with their title, and later rows reuse those widths.
p = subprocess.Popen([os.path.join(BIN, "tsa-print"), "-f", "seq,length"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(msgpack.packb({"tsa": 1, "kind": "packets", "tools": []}))
want = [b"seq|length|\n"]
for k in range(3):
    p.stdin.write(msgpack.packb({"seq": k * 1000, "length": 60}))
    p.stdin.flush()
    # the first row sizes the columns: "0  |60    |"
    want.append(b"%-3d|60    |\n" % (k * 1000) if k == 0 else
                b"%d|60    |\n" % (k * 1000))
    got = b""
    end = time.monotonic() + 5
    while got.count(b"\n") < (2 if k == 0 else 1) and time.monotonic() < end:
        ready, _, _ = select.select([p.stdout], [], [], 0.2)
        if ready:
            got += os.read(p.stdout.fileno(), 65536)
    lines = got.splitlines(keepends=True)
    check(lines == want[:2] if k == 0 else lines == [want[-1]],
          "-f: record %d's row arrived while the pipe stayed open: %r"
          % (k, lines))
p.stdin.close()
check(p.wait(timeout=30) == 0 and p.stdout.read() == b"",
      "-f: exit 0, nothing more")
done()
