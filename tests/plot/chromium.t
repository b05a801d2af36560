#!/usr/bin/python3
# Load index.html in headless Chromium from the file system and check the
# screenshot shows the pictures: the exact colours the map gives the United
# States, Germany and Brazil, the grey of countries without traffic, the
# sea, and the bar colour of the countries chart.
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
from pngcheck import Png, scale_colour
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
chromium = shutil.which("chromium")
if not chromium:
    print("chromium is not installed")
    sys.exit(77)
fails = 0


def check(ok, what):
    global fails
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        fails += 1


out = os.path.join(TMP, "out")
snaps = os.path.join(TMP, "snaps.tsa")
with open(snaps, "wb") as f:
    subprocess.run([sys.executable, os.path.join(HERE, "snapshot.py")],
                   stdout=f, check=True)
r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--last", "--size",
                    "1000x560", "-o", out, snaps])
check(r.returncode == 0, "tsa-plot exits 0")

shot = os.path.join(TMP, "shot.png")
profile = tempfile.mkdtemp(dir=TMP)
r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile,
                    "--screenshot=" + shot, "--window-size=1400,2000",
                    "file://" + os.path.join(out, "index.html")],
                   capture_output=True, text=True, timeout=120)
check(r.returncode == 0 and os.path.exists(shot),
      "chromium took a screenshot (exit %d)" % r.returncode)
if not os.path.exists(shot):
    print(r.stderr)
    sys.exit(1)

counts = Png(shot).colours()
packets = dict((c, p) for c, p, b, h in snapshot.COUNTRIES)
# The scale spans 1 to 1M (see render.t); areas of one colour are shown
# pixel for pixel, the page does not scale the pictures.
for code, least in (("US", 2000), ("DE", 50), ("BR", 1000)):
    want = bytes(scale_colour(packets[code], 1, 10 ** 6))
    n = counts.get(want, 0)
    check(n >= least, "%s's colour #%s fills %d pixels (at least %d)"
          % (code, want.hex(), n, least))
for name, colour, least in (("grey, no traffic", "d4d4d4", 20000),
                            ("sea", "e6eff6", 50000),
                            ("countries chart bars", "3182bd", 2000)):
    n = counts.get(bytes.fromhex(colour), 0)
    check(n >= least, "%s #%s: %d pixels (at least %d)"
          % (name, colour, n, least))
sys.exit(1 if fails else 0)
