#!/usr/bin/python3
# Names from the stream that are long and not UTF-8 (a country code, a
# domain, an OS label of continuation bytes, as a fuzzer found): the
# charts shorten them in the middle to at most 34 characters of at most 4
# bytes each, and tsa-plot neither overruns a buffer nor fails.
import os
import re
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import BIN, TMP, check, done  # noqa: E402

T0 = 1764144000
# one lead byte and 200 continuation bytes, then plain text: "one character"
# to a reader that trusts the lead byte
odd = b"\xc3" + b"\x80" * 200 + b"x" * 60
names = [odd, b"\x80" * 300, "ü".encode() * 120]
snap = {"type": "snapshot", "window_start": msgpack.Timestamp(T0, 0),
        "window_end": msgpack.Timestamp(T0 + 60, 0), "window": "60s",
        "packets": 300, "bytes": 30000,
        "countries": [{"country": n, "packets": 100, "bytes": 10000, "hosts": 1}
                      for n in names],
        "domains": [{"domain": n, "packets": 100, "bytes": 10000, "hosts": 1,
                     "countries": [], "os": [], "apps": [], "dists": []}
                    for n in names],
        "os": [{"os": n, "hosts": 1, "packets": 100} for n in names],
        "apps": [{"app": n, "packets": 100, "bytes": 10000} for n in names],
        "hosts": [], "alerts": [], "final": True}
# (bytes packed as msgpack str: what a hostile stage can write)
data = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": [["t"]]}) + \
    msgpack.packb(snap, use_bin_type=False)
out = os.path.join(TMP, "out")
p = subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only", "-o", out],
                   input=data, capture_output=True)
check(p.returncode == 0, "tsa-plot exits 0: %s" % p.stderr[-300:])
for chart in ("countries", "domains", "os", "apps"):
    gp = open(os.path.join(out, chart + ".gp"), "rb").read()
    labels = re.findall(rb"'((?:[^'\n]|'')*)' -?[0-9.e+]+", gp)
    long_ = [x for x in labels if x.startswith((b"\xc3\x80", b"\x80", b"\xc3\xbc"))]
    check(len(long_) >= 3 and all(len(x) <= 34 * 4 + 8 and b"\xe2\x80\xa6" in x
                                  for x in long_),
          "%s.gp: the three names shortened to at most 34 characters, with "
          "an ellipsis: %s" % (chart, [len(x) for x in long_]))
done()
