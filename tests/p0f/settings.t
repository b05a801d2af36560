#!/usr/bin/python3
# Settings and state: [p0f] DatabaseFilePath (and -f over it), Compat,
# HostCacheSize (the host table never holds more: the hosts seen longest
# ago are forgotten); a second run replaces tsa-p0f's keys.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

FP = "/etc/p0f/p0f.fp"
if not os.path.exists(FP):
    skip("p0f.fp (Debian's p0f package) is not installed")

S = [10, 200, 0, 1]


def syn(i, v6_flow=None):
    c = [10, 1, i >> 8 & 255, i & 255]
    if v6_flow is not None:
        c6 = bytes(15) + bytes([i & 255 or 1])
        h = ipv6(c6, bytes(15) + b"\x02", tcp_hdr(40000, 80, 2, 1440 * 20,
                 linux_opts(mss=1440)), flow=v6_flow)
        src, dst = c6, bytes(15) + b"\x02"
    else:
        h = ipv4(c, S, tcp_hdr(40000, 80, 2, 29200, linux_opts()))
        src, dst = bytes(c), bytes(S)
    return {"timestamp": msgpack.Timestamp(1700000000 + i, 0),
            "src_addr": src, "dst_addr": dst, "src_port": 40000,
            "dst_port": 80, "tcp_flags": 2, "tcp_headers": h}


def ack(i):
    return {"timestamp": msgpack.Timestamp(1700000100, 0),
            "src_addr": bytes([10, 1, i >> 8 & 255, i & 255]),
            "dst_addr": bytes(S), "src_port": 40000, "dst_port": 80,
            "tcp_flags": 16}


def settings(text):
    path = os.path.join(TMP, "settings-%d.ini" % len(text))
    with open(path, "w") as f:
        f.write(text)
    return path


flow = stream([syn(1, v6_flow=0x5555)])
# DatabaseFilePath: a database with one label only
mine = os.path.join(TMP, "mine.fp")
with open(mine, "w") as f:
    f.write("classes = unix\n[tcp:request]\nlabel = s:unix:Mine:1.0\n"
            "sig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n")
st = settings("[p0f]\nDatabaseFilePath = mine.fp\n")
_, _, out, _ = run(["--settings", st], stream([syn(1)]))
check(out[0].get("p0f_label") == "Mine 1.0", "DatabaseFilePath relative to "
      "the settings file: %s" % out[0].get("p0f_label"))
_, _, out, _ = run(["--settings", st, "-f", FP], stream([syn(1)]))
check(out[0].get("p0f_label") == "Linux 3.11 and newer",
      "-f overrides the setting: %s" % out[0].get("p0f_label"))
# Compat from the settings, and the flag
_, _, out, _ = run(["-f", FP], flow)
check(out[0].get("p0f_label") == "Linux 3.11 and newer",
      "default: flow label ignored (%s)" % out[0].get("p0f_label"))
_, _, out, _ = run(["--settings", settings("[p0f]\nCompat = true\n"), "-f",
                    FP], flow)
check(out[0]["p0f_match"] == "none", "Compat = true: p0f's answer")
_, _, out, _ = run(["--compat", "-f", FP], flow)
check(out[0]["p0f_match"] == "none" and ":flow:" in out[0]["p0f_raw_sig"],
      "--compat: p0f's answer, %s" % out[0]["p0f_raw_sig"])

# HostCacheSize: 50 clients; with room for 20 hosts only the most recent
# (and the server, used by every SYN) are remembered.
recs = [syn(i) for i in range(1, 51)] + [ack(i) for i in range(1, 51)]
for size, known in (("20", 19), ("1000", 50)):
    st = settings("[p0f]\nHostCacheSize = %s\n" % size)
    _, _, out, err = run(["--settings", st, "-f", FP], stream(recs))
    acks = out[50:]
    got = [i + 1 for i, r in enumerate(acks) if "src_os" in r]
    check(len(got) == known and got == list(range(51 - known, 51)),
          "HostCacheSize %s: hosts %s remembered" % (size, got))
    check(all(r.get("dst_os") is None for r in acks),
          "the server's OS is unknown")
    if size == "20":
        check("31 hosts forgotten" in err, "evictions counted: %r" % err)
_, _, _, err = run(["--host-cache", "0", "-f", FP], stream([]),
                   check_rc=False)
check("--host-cache: \"0\" is out of range" in err, "--host-cache 0 refused: %r" % err)
# A host reserves about 620 bytes at start: one for every 500 bytes of this
# machine's memory is more than it holds, and refused by the settings check
# (issue 16.14: 100,000,000 was accepted, and tsa-p0f died later out of
# memory).
mem = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGESIZE")
size = min(mem // 500, 100000000)
rc, _, _, err = run(["--settings", settings("[p0f]\nHostCacheSize = %d\n" % size),
                     "-f", FP], stream([]), check_rc=False)
check(rc == 2 and "[p0f] HostCacheSize: \"%d\"" % size in err and
      ("more than this machine's" in err or "out of range" in err) and
      len(err.splitlines()) == 1,
      "HostCacheSize %d, one per 500 bytes of the machine's memory: refused: %s %r"
      % (size, rc, err))

# run twice: the same keys once, the same values
_, hdr, once, _ = run(["-f", FP], stream(recs))
data = stream(once, hdr)
_, hdr2, twice, _ = run(["-f", FP], data)
check(once == twice, "a second run gives the same records")
check(len(hdr2["tools"]) == 3, "tools: %s" % hdr2["tools"])
done()
