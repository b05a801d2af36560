#!/usr/bin/python3
# Latency: records written one at a time with pauses, by a producer that
# keeps the pipe open, come out of the subscriber within a second: a
# partly filled batch is published when the input pauses, and the
# subscriber writes what it fetched at once.  (It takes about 50 ms;
# a second leaves room for a loaded machine and the sanitizers.)
import os
import select
import subprocess
import sys
import time

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
srv = Server().start()
url = srv.url
N, PAUSE, LIMIT = 5, 0.4, 1.0
recs = packets(N, "slow")
sp = spawn([TOOL, "sub", "-s", url, "--since", "all", "--ends", "1", "tsa.slow"],
           stdout=subprocess.PIPE, stderr=open(os.path.join(TMP, "sub.err"), "w"))
pp = pub(url, "tsa.slow")
hdr = tsatest.pack(header("slow"), [], end=False)
pp.stdin.write(hdr)
pp.stdin.flush()
u = msgpack.Unpacker(raw=False)
got = []
for i, r in enumerate(recs):
    time.sleep(PAUSE)
    sent = time.time()
    pp.stdin.write(msgpack.packb(r))
    pp.stdin.flush()
    while time.time() - sent < LIMIT * SLOW:
        ready, _, _ = select.select([sp.stdout], [], [], 0.05)
        if ready:
            u.feed(os.read(sp.stdout.fileno(), 1 << 16))
            got += [m for m in u if "n" in m]
            if len(got) > i:
                break
    check(len(got) > i, "record %d came out within %.1f s (%.3f s)" % (i, LIMIT * SLOW,
                                                                      time.time() - sent))
pp.stdin.write(msgpack.packb(tsatest.end_record()))
pp.stdin.close()
same("pub exit status", wait(pp, 20, "pub"), 0)
same("sub exit status", wait(sp, 20, "sub"), 0)
same("the records", [{k: v for k, v in r.items() if k != "sensor"} for r in got], recs)
srv.stop()
finish()
