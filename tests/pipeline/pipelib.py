"""Shared helpers for the whole-pipeline tests: where the tools are, running
them under a time limit, judging how a process ended (signal, sanitizer
report, hang), and reading TSA streams without trusting them."""
import io
import os
import subprocess
import sys
import time

import msgpack

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
TMP = os.environ.get("TSA_TMP", "/tmp")
SETTINGS = os.environ.get("TSA_SETTINGS", "settings.ini")
# Sanitized tools are several times slower; limits are for hangs, not speed.
SLOW = 4 if "asan" in BIN else 1

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer",
                   "AddressSanitizer:DEADLYSIGNAL")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# The verdicts are the harness's (tests/tsatest.py).
from tsatest import check, done as finish  # noqa: E402,F401


def tool(name):
    return os.path.join(BIN, name)


def pcap(name):
    """Path of a corpus capture, or exit 77 (skip) when the corpus is absent."""
    p = os.path.join(PCAPS, name)
    if not os.access(p, os.R_OK):
        print("no %s" % p)
        sys.exit(77)
    return p


def sanitizer_report(err):
    """The first sanitizer line of a stderr text, or None."""
    for line in err.splitlines():
        if any(m in line for m in SANITIZER_MARKS):
            return line
    return None


def verdict(name, rc, err, timed_out=False):
    """Describe how a process ended, or None when it ended as a process
    may (an exit status, no signal, no sanitizer report, in time)."""
    if timed_out:
        return "%s hung (killed after the time limit)" % name
    if rc is not None and rc < 0:
        return "%s died of signal %d" % (name, -rc)
    rep = sanitizer_report(err)
    if rep:
        return "%s: sanitizer: %s" % (name, rep.strip())
    return None


def run(argv, data=b"", limit=20, cwd=None):
    """Run argv with data on stdin; return (rc, stdout, stderr text,
    timed_out).  stdout goes to a file so that a huge output cannot block."""
    outp = os.path.join(TMP, "run.out")
    with open(outp, "w+b") as out:
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out,
                             stderr=subprocess.PIPE, cwd=cwd)
        timed_out = False
        try:
            _, err = p.communicate(data, timeout=limit * SLOW)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
            timed_out = True
        except BrokenPipeError:
            # The tool stopped reading (it refused the input early).
            try:
                p.stdin.close()
            except BrokenPipeError:
                pass
            try:
                err = p.stderr.read()
                p.wait(timeout=limit * SLOW)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                timed_out = True
        out.seek(0)
        res = out.read()
    return p.returncode, res, err.decode("utf-8", "replace"), timed_out


def records(data):
    """All maps of a stream (header first); stops quietly at bad bytes."""
    u = msgpack.Unpacker(io.BytesIO(data), raw=False, strict_map_key=False,
                         max_buffer_size=64 << 20)
    out = []
    try:
        for obj in u:
            out.append(obj)
    except Exception:
        pass
    # The end record (docs/stream.md) closes the stream; the tests look at
    # what came before it.
    if len(out) > 1 and out[-1].get("type") == "end":
        out.pop()
    return out


def count_stream(path):
    """(header, packet records, other records by type) of a stream file."""
    with open(path, "rb") as f:
        u = msgpack.Unpacker(f, raw=False, max_buffer_size=64 << 20)
        header = next(u)
        packets = 0
        other = {}
        for r in u:
            t = r.get("type")
            if t is None:
                packets += 1
            else:
                other[t] = other.get(t, 0) + 1
    return header, packets, other


def pipeline(stages, stdin=None, stdout=None, errdir=None, group=False):
    """Start stages (argv lists) connected by pipes; stderr of stage i goes
    to errdir/i.err.  Returns the Popen objects; the last one's stdout is
    stdout (a file) or a pipe.  group: all in a process group of their own,
    as a shell runs a pipeline (os.killpg(procs[0].pid, sig) signals it
    all, as a terminal's Ctrl-C does)."""
    procs = []
    prev = stdin
    for i, argv in enumerate(stages):
        last = i == len(stages) - 1
        err = open(os.path.join(errdir or TMP, "%d.err" % i), "wb")
        extra = {"process_group": procs[0].pid if procs else 0} if group else {}
        p = subprocess.Popen(argv, stdin=prev,
                             stdout=(stdout if last and stdout is not None
                                     else subprocess.PIPE),
                             stderr=err, **extra)
        err.close()
        if prev is not None and prev is not stdin:
            prev.close()    # only the next stage holds the read end
        prev = p.stdout
        procs.append(p)
    return procs


def wait_all(procs, limit):
    """Wait for every process up to limit seconds in all; kill the rest.
    Returns the list of processes that had to be killed."""
    deadline = time.monotonic() + limit * SLOW
    hung = []
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            hung.append(p)
    for p in hung:
        p.kill()
        p.wait()
    return hung


def stage_errs(errdir, n):
    out = []
    for i in range(n):
        with open(os.path.join(errdir, "%d.err" % i), "rb") as f:
            out.append(f.read().decode("utf-8", "replace"))
    return out


def name_of(argv):
    return os.path.basename(argv[0])

