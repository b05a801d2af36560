#!/usr/bin/python3
"""The README's live pipeline, taken from README.md itself (so that the two
cannot drift), run as a person runs it.

An interactive bash on a pseudo-terminal gets the command typed in, with
`-i eth0` become `-i lo` plus a BPF filter for this test's own UDP port,
and the output directory one of the test's.  One datagram a second goes to
that port, as on a quiet link.

1. While it runs, the page appears and is live (the reload tag), within
   Every (10 s) and a few seconds: output is not held back on a quiet link.
2. Ctrl-C, typed on the terminal: the line discipline sends SIGINT to the
   pipeline's process group.  Every stage exits 0 (bash's PIPESTATUS), the
   final page has no reload tag and counts every datagram sent, all of
   them in the countries table's row for local networks.
3. The same command again, stopped as a service manager stops it: SIGTERM
   to every process of the pipeline.  Same result."""
import os
import pty
import re
import select
import signal
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipelib import TMP, BIN, SLOW, check, finish  # noqa: E402

TOP = os.environ.get("TSA_TOP", ".")
PROMPT = "READY> "


def readme_command():
    """The live pipeline of the README: the code block after the paragraph
    that begins "Live, on an interface"."""
    text = open(os.path.join(TOP, "README.md"), encoding="utf-8").read()
    m = re.search(r"^Live, on an interface.*?^```\n(.*?)^```", text,
                  re.S | re.M)
    if not check(m is not None, "README.md has the live example"):
        finish()
    cmd = m.group(1).strip()
    check("\n" not in cmd and cmd.startswith("tsa-capture -i eth0 |")
          and cmd.endswith(" -o /var/www/tsa/"),
          "the example is one line from tsa-capture -i eth0 to "
          "-o /var/www/tsa/: %r" % cmd)
    return cmd


class Terminal:
    """bash -i on a pseudo-terminal, with job control, as in a terminal
    window: a typed pipeline runs in its own foreground process group."""

    def __init__(self):
        env = dict(os.environ, PATH=BIN + ":" + os.environ["PATH"],
                   PS1=PROMPT, TERM="dumb", HISTFILE="/dev/null")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(TMP)
            os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)
        self.out = b""
        self.pos = 0            # where the next read_until looks from

    def read_until(self, pattern, secs):
        """Read the terminal until pattern (bytes regex) matches after the
        last match; the match, or None after secs."""
        end = time.monotonic() + secs
        while True:
            m = re.compile(pattern).search(self.out, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if r:
                try:
                    self.out += os.read(self.fd, 65536)
                except OSError:
                    return None

    def type(self, text):
        os.write(self.fd, text.encode())

    def close(self):
        self.type("exit\n")
        for _ in range(50):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return
            time.sleep(0.1)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def pipeline_pids(session):
    """The processes of the session but the shell: the pipeline's stages."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == session:
            continue
        try:
            stat = open("/proc/%s/stat" % d).read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == session:      # field 6: the session id
            pids.append(int(d))
    return pids


def run(case, cmd, stop):
    print("== %s" % case)
    out = os.path.join(TMP, case)
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    port = rx.getsockname()[1]
    typed = cmd.replace("tsa-capture -i eth0 ",
                        "tsa-capture -i lo 'udp and dst port %d' " % port, 1)
    typed = typed.replace(" -o /var/www/tsa/", " -o %s/" % out)
    term = Terminal()
    check(term.read_until(re.escape(PROMPT.encode()), 10) is not None,
          "%s: bash shows its prompt" % case)
    term.type(typed + "\n")
    time.sleep(2.0 * SLOW)      # the capture opens the interface

    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = 0
    page = os.path.join(out, "index.html")
    live_seen = None
    start = time.monotonic()
    # A datagram a second; until the live page shows (Every is 10 s of the
    # clock for a live source), and at least 4.
    while sent < 4 or (live_seen is None and
                       time.monotonic() - start < 30 * SLOW):
        tx.sendto(b"tsa-readme-%d" % sent, ("127.0.0.1", port))
        sent += 1
        time.sleep(1.0)
        if live_seen is None and os.path.exists(page):
            text = open(page, encoding="utf-8").read()
            if 'http-equiv="refresh"' in text:
                live_seen = time.monotonic() - start
    check(live_seen is not None,
          "%s: the live page (with its reload tag) appeared while datagrams "
          "trickled in, after %s s" % (case, live_seen and round(live_seen, 1)))
    time.sleep(1.0)             # the last datagram reaches the capture

    stages = pipeline_pids(term.pid)
    check(len(stages) == 5, "%s: five stages run (%d processes)"
          % (case, len(stages)))
    t0 = time.monotonic()
    stop(term, stages)
    m = term.read_until(re.escape(PROMPT.encode()), 30 * SLOW)
    secs = time.monotonic() - t0
    check(m is not None, "%s: the pipeline ended %.1f s after the stop"
          % (case, secs))
    term.type('echo "status=${PIPESTATUS[*]}="\n')
    m = term.read_until(rb"status=([0-9 ]+)=", 10)
    status = m.group(1).decode() if m else None
    check(status == "0 0 0 0 0", "%s: every stage exits 0: %s"
          % (case, status))
    text = term.out.decode("utf-8", "replace")
    errs = [line for line in text.splitlines()
            if line.startswith("tsa-") and ": " in line and
            "tsa-capture -i lo" not in line]
    check(not errs, "%s: no stage printed a message: %r" % (case, errs[:5]))
    term.close()

    html = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    check(html and 'http-equiv="refresh"' not in html and "live</span>"
          not in html, "%s: the final page, without the reload tag" % case)
    m = re.search(r" &middot; ([0-9,]+) packets &middot; ", html)
    n = int(m.group(1).replace(",", "")) if m else None
    check(n == sent, "%s: the page counts the %d datagrams sent: %s"
          % (case, sent, n))
    check(re.search(r'<tr><td>local</td><td>(<a href="country-local.html">)?'
                    r'Local networks(</a>)?</td><td class="n">%d</td>' % sent,
                    html) is not None,
          "%s: the countries table has Local networks with %d packets"
          % (case, sent))
    check(not [f for f in os.listdir(out) if f.startswith(".")],
          "%s: no temporary files left in the output directory" % case)
    rx.close()
    tx.close()


def ctrl_c(term, stages):
    term.type("\x03")


def sigterm_each(term, stages):
    for pid in stages:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


cmd = readme_command()
run("ctrl-c", cmd, ctrl_c)
run("sigterm", cmd, sigterm_each)
finish()
