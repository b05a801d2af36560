#!/usr/bin/python3
# How a stream ends, and what the page then says (issue 15, items 2 and 5):
#  - the final snapshot's page has no reload tag as soon as it is drawn,
#    even while the input stays open;
#  - a stream cut short (no final snapshot) ends with a page that does not
#    reload, says so visibly, exit 1 and one line;
#  - a snapshot without packets gives a page saying the window held no
#    packets, and no pictures (no empty charts);
#  - a stream without snapshots gets advice only where it is true.
import os
import signal
import subprocess
import sys
import time

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
PLOT = os.path.join(BIN, "tsa-plot")
HEAD = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []})
REFRESH = 'http-equiv="refresh"'
CUT = ("Incomplete: the stream was cut short before its final snapshot. "
       "This is the last snapshot received; later traffic is not counted.")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


def run(args, data):
    r = subprocess.run([PLOT] + args, input=data, capture_output=True,
                       timeout=300)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def page(out):
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        return f.read()


def wait_for(path, text, seconds=60):
    for _ in range(seconds * 20):
        try:
            with open(path, encoding="utf-8") as f:
                if text in f.read():
                    return True
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    return False


# The final snapshot: its page drops the reload at once, before the input
# ends (a pipeline whose last stage lingers still shows a finished page).
out = os.path.join(TMP, "final")
p = subprocess.Popen([PLOT, "--script-only", "-o", out],
                     stdin=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdin.write(HEAD + msgpack.packb(snapshot.snapshot(0)))
p.stdin.flush()
index = os.path.join(out, "index.html")
check(wait_for(index, "08:00:00 - 08:01:00") and REFRESH in page(out) and
      "live</span>, reloads every 10 s" in page(out),
      "a live snapshot's page reloads every 10 s")
p.stdin.write(msgpack.packb(snapshot.snapshot(1, final=True)))
p.stdin.flush()
check(wait_for(index, "08:00:10 - 08:01:10"), "the final snapshot is drawn "
      "while the input is still open")
text = page(out)
check(REFRESH not in text and "class=\"live\"" not in text and
      CUT not in text,
      "its page has no reload tag, no 'live', no notice")
p.stdin.close()
err = p.stderr.read().decode()
check(p.wait(timeout=60) == 0 and err == "", "exit 0, nothing said: %r"
      % err)

# Cut short: snapshots, but no final one (a stage before died).
for args, what in (([], "live"), (["--last"], "--last")):
    out = os.path.join(TMP, "cut" + args[0] if args else "cut")
    rc, err = run(["--script-only", "-o", out] + args, HEAD + b"".join(
        msgpack.packb(snapshot.snapshot(k)) for k in range(3)))
    check(rc == 1 and err == "tsa-plot: stdin: input cut short: no final "
          "snapshot (did a stage before this one die?); the last page says "
          "so\n", "%s, cut short: exit 1, one line: %r" % (what, err))
    text = page(out)
    check(REFRESH not in text and "class=\"live\"" not in text,
          "%s, cut short: the last page does not reload" % what)
    check('<p class="notice">%s</p>' % CUT in text,
          "%s, cut short: the page says so" % what)
    check("08:00:20 - 08:01:20" in text, "%s, cut short: the page shows "
          "the last snapshot received" % what)

# Streams that promise an end record (every TSA tool's): whole, cut short
# (no end record: the reader says so in one line, the page too), or ended
# by an upstream stage whose input was cut (its final snapshot is marked
# incomplete and its end record says why).
EHEAD = msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": [],
                       "end_record": True})
END = msgpack.packb({"type": "end", "complete": True})
out = os.path.join(TMP, "ended")
rc, err = run(["--script-only", "-o", out], EHEAD + msgpack.packb(
    snapshot.snapshot(0)) + msgpack.packb(snapshot.snapshot(1, final=True)) +
    END)
text = page(out)
check(rc == 0 and err == "" and REFRESH not in text and "notice" not in
      text.split("</style>")[1], "a whole stream: exit 0, the final page "
      "without notice: %r" % err)
out = os.path.join(TMP, "noend")
rc, err = run(["--script-only", "-o", out], EHEAD + b"".join(
    msgpack.packb(snapshot.snapshot(k)) for k in range(3)))
text = page(out)
check(rc == 1 and err == "tsa-plot: stdin: input cut short: no end record "
      "after record 3 (did the stage before this one die?)\n",
      "no end record: exit 1, the reader's one line: %r" % err)
check(REFRESH not in text and '<p class="notice">Incomplete: tsa-plot: '
      'stdin: input cut short (no end record). This is the last snapshot '
      'received; later traffic is not counted.</p>' in text and
      "08:00:20 - 08:01:20" in text, "the last page says so, not live")
out = os.path.join(TMP, "upstream")
s = snapshot.snapshot(0, final=True)
s["incomplete"] = True
why = "tsa-geo: stdin: input cut short (no end record)"
rc, err = run(["--script-only", "-o", out], EHEAD + msgpack.packb(s) +
              msgpack.packb({"type": "end", "complete": False,
                             "reason": why}))
text = page(out)
check(rc == 1 and err == "tsa-plot: stdin: incomplete stream (%s)\n" % why,
      "an upstream stage's input cut: exit 1, one line: %r" % err)
check('<p class="notice">Incomplete: %s; the final snapshot does not count '
      'every packet.</p>' % why in text and REFRESH not in text,
      "the final page says whose input was cut")

# A signal while tsa-plot reads a file (no producer to end it): the first
# ends the input there; the last page read is drawn, marked as stopped.
big = os.path.join(TMP, "big.tsa")
with open(big, "wb") as f:
    f.write(HEAD + b"".join(msgpack.packb(snapshot.snapshot(k))
                            for k in range(600)) +
            msgpack.packb(snapshot.snapshot(600, final=True)))
out = os.path.join(TMP, "stopped")
p = subprocess.Popen([PLOT, "--script-only", "-o", out, big],
                     stderr=subprocess.PIPE)
check(wait_for(os.path.join(out, "index.html"), "TSA traffic"),
      "tsa-plot drawing a 1.4 MB file of snapshots")
p.send_signal(signal.SIGINT)
rc = p.wait(timeout=300)
err = p.stderr.read().decode()
text = page(out)
check(rc == 0 and err == "", "SIGINT: exit 0, nothing said: %r" % err)
check(REFRESH not in text and '<p class="notice">Stopped by a signal before '
      'the end of the input: this is the last snapshot read, not the final '
      'one of the stream.</p>' in text, "the last page says it stopped")

# A snapshot made from an input cut short upstream says so too.
s = snapshot.snapshot(0, final=True)
s["incomplete"] = True
out = os.path.join(TMP, "incomplete")
rc, err = run(["--script-only", "-o", out], HEAD + msgpack.packb(s))
check(rc == 0 and "Incomplete: the input of the stage that made this "
      "snapshot was cut short" in page(out), "an incomplete final snapshot "
      "is marked on the page: %r" % err)

# No packets: a page that says so, not empty charts.
out = os.path.join(TMP, "empty")
rc, err = run(["-o", out, "--size", "800x450"],
              HEAD + msgpack.packb(snapshot.snapshot(0, empty=True,
                                                     final=True)))
text = page(out)
check(rc == 0 and err == "", "an empty final snapshot: exit 0, nothing "
      "said: %r" % err)
check('<p class="empty">The window held no packets.</p>' in text,
      "the page says the window held no packets")
check("0 packets" in text and "08:00:00 - 08:01:00 UTC" in text,
      "and gives the window and 0 packets")
check("<img" not in text and "<figure" not in text and "<table" not in text,
      "no pictures, no empty tables")
check(sorted(os.listdir(out)) == ["history.tsv", "index.html"], "no script or picture "
      "drawn: %s" % sorted(os.listdir(out)))
check(REFRESH not in text, "the final empty page does not reload")
# An empty window with an alert still active shows the alert.
s = snapshot.snapshot(1, empty=True, final=True)
s["alerts"] = snapshot.ALERTS
rc, err = run(["--script-only", "-o", out], HEAD + msgpack.packb(s))
text = page(out)
check(rc == 0 and "The window held no packets." in text and
      "syn_flood" in text, "an empty window's active alert is listed")
# A live stream going quiet and busy again: the empty page, then pictures.
out = os.path.join(TMP, "quiet")
rc, err = run(["--script-only", "-o", out], HEAD + msgpack.packb(
    snapshot.snapshot(0, empty=True)) + msgpack.packb(
    snapshot.snapshot(1, final=True)))
text = page(out)
check(rc == 0 and "no packets" not in text and 'href="world.gp"' in text,
      "a busy final window after an empty one is drawn: %r" % err)

# No snapshots at all: advice only where it is true.
out = os.path.join(TMP, "none")
pkts = msgpack.packb({"tsa": 1, "kind": "packets", "tools": []}) + \
    msgpack.packb({"timestamp": msgpack.Timestamp(1, 0), "length": 60})
rc, err = run(["--script-only", "-o", out], pkts)
check(rc == 1 and err == "tsa-plot: stdin: no snapshot records in a stream "
      "of packets (1 records); pipe packets through tsa-aggregate first\n",
      "a packet stream: the advice: %r" % err)
rc, err = run(["--script-only", "-o", out], HEAD)
check(rc == 1 and err.count("\n") == 1 and "tsa-aggregate first" not in
      err and "no snapshot records" in err,
      "a snapshot stream without snapshots: no advice: %r" % err)
check(not os.path.exists(os.path.join(out, "index.html")),
      "and no page")
done()
