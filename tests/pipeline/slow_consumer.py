#!/usr/bin/python3
"""A slow consumer at the end of the whole pipeline loses nothing.

For real captures and a generated one, the pipeline
  tsa-capture -r F | tsa-geo | tsa-p0f | tsa-filter EXPR | tsa-aggregate --pass
runs twice: fast, stage by stage through files, and as one pipeline with a
tee after every stage and a last reader that sleeps every few records, so
that every pipe fills and every stage blocks on its output many times.  Each
stage's output in the slow run must be byte for byte the fast run's; the
records counted at each stage must agree with the capture's own count and
with tshark's; every stage must exit 0 with nothing on stderr."""
import os
import shutil
import subprocess
import sys
import time

import msgpack

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipelib import (TMP, SLOW, check, finish, pcap, tool, pipeline,
                     wait_all, stage_errs, verdict, count_stream, name_of)

# True for every packet record, and it reads a key of every record.
EXPR = "length >= 0"


def stages():
    return [[tool("tsa-capture"), "-q", "-r", "-"],
            [tool("tsa-geo")],
            [tool("tsa-p0f")],
            [tool("tsa-filter"), EXPR],
            [tool("tsa-aggregate"), "--pass"]]


def tshark_count(path):
    if not shutil.which("tshark"):
        return None
    out = subprocess.run(["tshark", "-n", "-r", path, "-Y", "ip or ipv6",
                          "-T", "fields", "-e", "frame.number"],
                         capture_output=True, timeout=120)
    return len(out.stdout.split())


def fast_run(src, work):
    """Each stage reads the previous stage's file: no pipe back-pressure."""
    prev = src
    files = []
    for i, argv in enumerate(stages()):
        path = os.path.join(work, "fast%d.tsa" % i)
        with open(prev, "rb") as fin, open(path, "wb") as fout:
            p = subprocess.run(argv, stdin=fin, stdout=fout,
                               stderr=subprocess.PIPE, timeout=120 * SLOW)
        check(p.returncode == 0 and not p.stderr,
              "fast %s: exit %d, stderr %r" % (name_of(argv), p.returncode,
                                               p.stderr[:200]))
        files.append(path)
        prev = path
    return files


def slow_run(src, work, every, nap):
    """The same stages as one pipeline, each output copied by tee to a
    file; the last reader sleeps nap seconds every `every` records."""
    argvs = []
    for i, argv in enumerate(stages()):
        argvs.append(argv)
        argvs.append(["tee", os.path.join(work, "slow%d.tsa" % i)])
    with open(src, "rb") as fin:
        procs = pipeline(argvs, stdin=fin, errdir=work)
    last = procs[-1]
    u = msgpack.Unpacker(last.stdout, raw=False, max_buffer_size=64 << 20)
    n = 0
    start = time.monotonic()
    for _ in u:
        n += 1
        if n % every == 0:
            time.sleep(nap)
    last.stdout.close()
    hung = wait_all(procs, 60)
    errs = stage_errs(work, len(procs))
    for p, argv, err in zip(procs, argvs, errs):
        if argv[0] == "tee":
            continue
        bad = verdict(name_of(argv), p.returncode, err, p in hung)
        check(bad is None and p.returncode == 0 and err == "",
              "slow %s: exit %s, stderr %r%s" % (name_of(argv), p.returncode,
                                                  err[:200],
                                                  " (%s)" % bad if bad else ""))
    print("      slow reader: %d maps in %.1f s" % (n, time.monotonic() - start))
    return n


def one(label, src, want_packets, every, nap):
    work = os.path.join(TMP, label)
    os.makedirs(work, exist_ok=True)
    print("== %s" % label)
    fast = fast_run(src, work)
    total = slow_run(src, work, every, nap)
    names = [name_of(a) for a in stages()]
    counts = []
    for i, name in enumerate(names):
        slow = os.path.join(work, "slow%d.tsa" % i)
        same = open(slow, "rb").read() == open(fast[i], "rb").read()
        check(same, "%s: slow run's output is the fast run's, byte for byte"
              % name)
        header, packets, other = count_stream(slow)
        counts.append(packets)
        print("      %s: %d packet records, other %s" % (name, packets, other))
        if name == "tsa-capture":
            check(other.get("stats") == 1,
                  "tsa-capture: one stats record (%s)" % other)
        if name == "tsa-aggregate":
            check(other.get("snapshot", 0) >= 1 and other.get("stats") == 1,
                  "tsa-aggregate: snapshots and the stats record come out (%s)"
                  % other)
            check(total == 1 + packets + sum(other.values()),
                  "slow reader read every map of the last stage (%d)" % total)
    check(len(set(counts)) == 1,
          "packet records in = packet records out at every stage: %s" % counts)
    if want_packets is not None:
        check(counts[0] == want_packets,
              "tsa-capture's %d packet records are tshark's %d IP frames"
              % (counts[0], want_packets))
    # The capture's own final count agrees with what it wrote.
    with open(os.path.join(work, "slow0.tsa"), "rb") as f:
        recs = list(msgpack.Unpacker(f, raw=False, max_buffer_size=64 << 20))
    stats = [r for r in recs if r.get("type") == "stats"]
    check(stats and stats[-1].get("final") is True and
          stats[-1].get("decoded") == counts[0],
          "final stats record: decoded %s = %d records"
          % (stats[-1].get("decoded") if stats else None, counts[0]))


def main():
    for name in ("ppp-example.pcap", "suri-tls-subjectaltname.pcap",
                 "ndpi-alexa-app.pcapng"):
        src = pcap(name)
        one(name, src, tshark_count(src), every=200, nap=0.02)
    gen = os.path.join(TMP, "gen.pcap")
    subprocess.run([tool("tsa-gen"), "-n", "20000", "-s", "7", "-o", gen],
                   check=True, timeout=60 * SLOW)
    one("tsa-gen", gen, tshark_count(gen), every=500, nap=0.02)
    finish()


main()
