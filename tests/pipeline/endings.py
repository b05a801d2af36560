#!/usr/bin/python3
"""How a pipeline ends: every stage ends promptly, and quietly where the
cause is a closed pipe.

1. `... | tsa-print | head -n 5`: every stage exits 0 with an empty stderr
   (with SIGPIPE ignored, as the tools set it, a closed pipe is EPIPE).
2. A middle stage killed with SIGKILL while records flow: the stages
   upstream of it exit 0 quietly; the one downstream reads a clean end or a
   truncated record and says so in one line with a non-zero exit - no
   crash, no hang.
3. (endings.py live, run by endings-live.t as root) SIGINT to the process
   group of a live capture on loopback while a local UDP sender runs: the
   capture stops at once, its stream ends with a final stats record whose
   counts match the packet records it wrote and the datagrams sent, and the
   rest of the pipeline (tsa-geo | tsa-p0f | tsa-aggregate --pass) ends by
   itself with that record passed through."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipelib import (TMP, SLOW, check, finish, tool, pipeline, wait_all,
                     stage_errs, verdict, name_of)


def gen_file(n):
    path = os.path.join(TMP, "gen%d.pcap" % n)
    subprocess.run([tool("tsa-gen"), "-n", str(n), "-s", "3", "-o", path],
                   check=True, timeout=120 * SLOW)
    return path


def head_case(src):
    print("== | head -n 5")
    argvs = [[tool("tsa-capture"), "-q", "-r", src],
             [tool("tsa-geo")],
             [tool("tsa-p0f")],
             [tool("tsa-filter"), "length >= 0"],
             [tool("tsa-aggregate"), "--pass"],
             [tool("tsa-print")],
             ["head", "-n", "5"]]
    work = os.path.join(TMP, "head")
    os.makedirs(work, exist_ok=True)
    out = open(os.path.join(work, "out"), "wb")
    start = time.monotonic()
    procs = pipeline(argvs, stdout=out, errdir=work)
    out.close()
    hung = wait_all(procs, 20)
    secs = time.monotonic() - start
    errs = stage_errs(work, len(procs))
    for p, argv, err in zip(procs, argvs, errs):
        bad = verdict(name_of(argv), p.returncode, err, p in hung)
        check(bad is None and p.returncode == 0 and err == "",
              "%s: exit %s, stderr %r%s" % (name_of(argv), p.returncode,
                                            err[:300],
                                            " (%s)" % bad if bad else ""))
    lines = open(os.path.join(work, "out"), "rb").read().splitlines()
    check(len(lines) == 5, "head got its 5 lines (%d)" % len(lines))
    check(secs < 10 * SLOW, "the pipeline ended in %.2f s" % secs)


def kill_case(src, victim, rounds=3):
    """Kill stage `victim` of capture|geo|p0f|filter|aggregate --pass while
    a slow reader keeps the pipes full, so that it dies mid-stream."""
    argvs = [[tool("tsa-capture"), "-q", "-r", src],
             [tool("tsa-geo")],
             [tool("tsa-p0f")],
             [tool("tsa-filter"), "length >= 0"],
             [tool("tsa-aggregate"), "--pass"]]
    name = name_of(argvs[victim])
    for r in range(rounds):
        print("== SIGKILL to %s, round %d" % (name, r + 1))
        work = os.path.join(TMP, "kill%d-%d" % (victim, r))
        os.makedirs(work, exist_ok=True)
        procs = pipeline(argvs, errdir=work)
        last = procs[-1]
        u = msgpack.Unpacker(last.stdout, raw=False, max_buffer_size=64 << 20)
        n = 0
        killed_at = None
        for _ in u:
            n += 1
            if n % 100 == 0:
                time.sleep(0.002)
            if n == 2000 + 700 * r and killed_at is None:
                procs[victim].kill()
                killed_at = n
        last.stdout.close()
        hung = wait_all(procs, 20)
        errs = stage_errs(work, len(procs))
        check(killed_at is not None,
              "%s was killed mid-stream (after %s of %d maps)"
              % (name, killed_at, n))
        for i, (p, argv, err) in enumerate(zip(procs, argvs, errs)):
            st = name_of(argv)
            bad = verdict(st, p.returncode, err, p in hung)
            if i == victim:
                check(p.returncode == -signal.SIGKILL,
                      "%s died of SIGKILL (%s)" % (st, p.returncode))
            elif i < victim:
                check(bad is None and p.returncode == 0 and err == "",
                      "upstream %s: EPIPE ends it quietly: exit %s, stderr %r%s"
                      % (st, p.returncode, err[:300],
                         " (%s)" % bad if bad else ""))
            else:
                lines = err.splitlines()
                clean = p.returncode == 0 and err == ""
                one_line = (p.returncode not in (0, None) and len(lines) == 1
                            and lines[0].startswith(st + ": "))
                check(bad is None and (clean or one_line),
                      "downstream %s: a clean end or a one-line error: "
                      "exit %s, stderr %r%s" % (st, p.returncode, err[:300],
                                                " (%s)" % bad if bad else ""))


def live_case():
    """SIGINT to the process group of a live pipeline on loopback, as a
    terminal's Ctrl-C sends it, with tsa-capture dropping root as usual."""
    print("== SIGINT to the process group of tsa-capture -i lo | ...")
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    port = rx.getsockname()[1]
    work = os.path.join(TMP, "live")
    os.makedirs(work, exist_ok=True)
    # -s, -B: in immediate mode libpcap's ring has fixed-size frames sized
    # for the snapshot length, so with the default 256 KiB snaplen the
    # default buffer holds few packets and a burst of small datagrams is
    # partly dropped (reported separately); a short snaplen and a larger
    # buffer make the counts exact, which is what this case checks.
    # tee is not a TSA tool: it would die of the signal, so it ignores it
    # (an ignored signal stays ignored across exec).
    argvs = [[tool("tsa-capture"), "-q", "-i", "lo",
              "-s", "256", "-B", "32768", "udp and dst port %d" % port],
             ["sh", "-c", 'trap "" INT TERM; exec tee "$0"',
              os.path.join(work, "capture.tsa")],
             [tool("tsa-geo")],
             [tool("tsa-p0f")],
             [tool("tsa-aggregate"), "--pass"]]
    out = open(os.path.join(work, "out.tsa"), "wb")
    procs = pipeline(argvs, stdout=out, errdir=work, group=True)
    out.close()
    time.sleep(1.0 * SLOW)     # the capture opens the interface

    sent = 0
    stop = threading.Event()

    def drain():
        rx.settimeout(0.2)
        while not stop.is_set():
            try:
                rx.recv(2048)
            except OSError:
                pass
    t = threading.Thread(target=drain, daemon=True)
    t.start()
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    end = time.monotonic() + 2.0
    while time.monotonic() < end:
        for _ in range(20):
            tx.sendto(b"tsa-%08d" % sent, ("127.0.0.1", port))
            sent += 1
        time.sleep(0.005)
    time.sleep(0.5)            # let the last datagrams reach the capture
    start = time.monotonic()
    os.killpg(procs[0].pid, signal.SIGINT)
    hung = wait_all(procs, 10)
    secs = time.monotonic() - start
    stop.set()
    errs = stage_errs(work, len(procs))
    for p, argv, err in zip(procs, argvs, errs):
        bad = verdict(name_of(argv), p.returncode, err, p in hung)
        check(bad is None and p.returncode == 0 and err == "",
              "%s: exit %s, stderr %r%s" % (name_of(argv), p.returncode,
                                            err[:300],
                                            " (%s)" % bad if bad else ""))
    check(secs < 3 * SLOW, "the pipeline ended %.2f s after SIGINT" % secs)

    with open(os.path.join(work, "capture.tsa"), "rb") as f:
        hdr, body, end = tsatest.read(f.read())
    recs = [hdr] + body if hdr else []
    check(recs and recs[0].get("tsa") == 1, "the capture wrote a header")
    check(end == {"type": "end", "complete": True, "interrupted": True},
          "the capture's stream ends with an end record saying it was "
          "stopped by a signal, and is whole: %r" % end)
    pkts = [r for r in recs[1:] if "type" not in r]
    mine = [r for r in pkts if r.get("dst_port") == port and
            r.get("protocol") == "udp" and
            r.get("src_addr") == b"\x7f\0\0\1"]
    last = recs[-1] if recs else {}
    check(last.get("type") == "stats" and last.get("final") is True,
          "the stream ends with a final stats record: %r" % last)
    check(last.get("decoded") == len(pkts),
          "final stats: decoded %s = %d packet records"
          % (last.get("decoded"), len(pkts)))
    # On lo libpcap's kernel counter sees each datagram twice (out and in).
    check(last.get("received", -1) >= len(pkts) and last.get("dropped") == 0,
          "final stats: received %s >= %d records, dropped %s"
          % (last.get("received"), len(pkts), last.get("dropped")))
    check(len(mine) == len(pkts) == sent,
          "one packet record per datagram sent: %d sent, %d records, %d "
          "ours" % (sent, len(pkts), len(mine)))

    with open(os.path.join(work, "out.tsa"), "rb") as f:
        dhdr, down, dend = tsatest.read(f.read())
    down = [dhdr] + down
    check(dend == end, "the end record reached the end of the pipeline: %r" % dend)
    dpk = [r for r in down[1:] if "type" not in r]
    dst = [r for r in down if r.get("type") == "stats"]
    snaps = [r for r in down if r.get("type") == "snapshot"]
    check(len(dpk) == len(pkts), "tsa-aggregate --pass passed all %d records"
          " (%d)" % (len(pkts), len(dpk)))
    check(dst and dst[-1] == last,
          "the final stats record reached the end of the pipeline unchanged")
    check(snaps and snaps[-1].get("final") is True and
          snaps[-1].get("packets") == len(pkts),
          "a final snapshot counts the %d packets: %s"
          % (len(pkts), snaps[-1].get("packets") if snaps else None))


def main():
    # endings.py live: the live case alone (endings-live.t, root only, so
    # that no passing test has a part left out).
    if sys.argv[1:] == ["live"]:
        if os.getuid() != 0:
            tsatest.skip("not root: a live capture on lo needs root")
        live_case()
        finish()
    src = gen_file(60000)
    head_case(src)
    for victim in (1, 2, 3):
        kill_case(src, victim, rounds=2)
    finish()


main()
