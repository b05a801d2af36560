#!/usr/bin/python3
# Host records over the shared captures (tsa-capture | tsa-p0f, and with
# --compat): the header says the stream has them; each comes before the
# first packet record that depends on it (a packet's src_os, dst_os and
# classes are those of its hosts' latest records) and says something new;
# then tsa-filter, tsa-aggregate --pass and a Python stage that ignores them
# (docs/stream.md's) pass them on unchanged and in order, and tsa-aggregate
# makes the same snapshots through the Python stage as without it.
import glob
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import BIN, PCAPS, TMP, check, done, skip  # noqa: E402

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
FACTS = ("os", "os_class")


def records(data):
    u = msgpack.Unpacker(raw=False)
    u.feed(data)
    return list(u)


def sh(cmd, data):
    p = subprocess.run(["sh", "-c", cmd], input=data, capture_output=True)
    return p.stdout


def hosts(recs):
    return [r for r in recs if r.get("type") == "host"]


files = sorted(glob.glob(os.path.join(PCAPS, "*.pcap")) +
               glob.glob(os.path.join(PCAPS, "*.pcapng")))
if not files:
    skip("no captures in " + PCAPS)
stage = os.path.join(TMP, "hosts_stage_%d.py" % os.getpid())
with open(stage, "w") as f:
    f.write(STAGE)
total = 0
for path in files:
    name = os.path.basename(path)
    cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-r", path],
                         capture_output=True).stdout
    for args in ([], ["--compat"]):
        what = "%s %s" % (name, " ".join(args))
        data = subprocess.run([os.path.join(BIN, "tsa-p0f")] + args,
                              input=cap, capture_output=True).stdout
        recs = records(data)
        if not recs:
            check(False, "%s: no output" % what)
            continue
        check(recs[0].get("host_records") is True,
              "%s: header host_records" % what)
        latest, bad = {}, 0
        for r in recs[1:]:
            if r.get("type") == "host":
                new = {k: v for k, v in r.items()}
                if latest.get(r["addr"], {"addr": r["addr"]}) == new:
                    bad += 1        # a record that says nothing new
                latest[r["addr"]] = new
                continue
            if "src_addr" not in r or "type" in r:
                continue
            for side in ("src", "dst"):
                h = latest.get(r[side + "_addr"], {})
                for k in FACTS:
                    if r.get(side + "_" + k) != h.get(k):
                        bad += 1
                # only the OS stays on packets
                for k in ("dist", "app", "lang", "uptime_min", "link"):
                    if side + "_" + k in r:
                        bad += 1
        check(bad == 0, "%s: %d packet records disagree with the host "
              "records before them" % (what, bad))
        mine = hosts(recs)
        total += len(mine)
        if args:
            continue
        # They pass through the other stages unchanged and in order.
        for cmd in ("%s/tsa-filter 'src_port > 0 or not has src_port'" % BIN,
                    "%s/tsa-filter 'protocol == udp'" % BIN,
                    "%s/tsa-aggregate --pass" % BIN,
                    "%s %s" % (sys.executable, stage)):
            got = hosts(records(sh(cmd, data)))
            check(got == mine, "%s: %s: %d host records of %d, in order" %
                  (what, cmd.split()[0], len(got), len(mine)))
        direct = records(sh("%s/tsa-aggregate" % BIN, data))
        piped = records(sh("%s %s | %s/tsa-aggregate" % (sys.executable, stage,
                                                         BIN), data))
        check([r for r in direct if r.get("type") == "snapshot"] ==
              [r for r in piped if r.get("type") == "snapshot"],
              "%s: the same snapshots through a Python stage" % what)
os.unlink(stage)
print("%d host records over the captures" % total)
check(total > 1000, "host records over the captures: %d" % total)
done()
