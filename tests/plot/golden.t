#!/usr/bin/python3
# The scripts and the page written for a fixed snapshot, compared with the
# committed golden files in tests/plot/golden/.  The map's outline datablock
# comes from world.dat and is summarised (rings, points, first and last
# rows) rather than stored twice; render.t checks what it draws.
# After an intended change: TSA_UPDATE_GOLDEN=1 tests/run plot/golden, and
# say in the commit which decision of golden/README changed.
#
# The scripts are then run by gnuplot, as tsa-plot would run them: each
# must draw its PNG at the size it sets, silently (a script gnuplot warns
# about or refuses is a broken figure however well it compares).
import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
GOLDEN = os.path.join(HERE, "golden")
OUT = os.path.join(TMP, "out")
FILES = ["world.gp", "europe.gp", "countries.gp", "domains.gp", "os.gp",
         "bandwidth.gp", "apps.gp", "trend.gp", "index.html"]


def summarise_map(text):
    out, block = [], None
    for line in text.splitlines(keepends=True):
        if line == "$map << EOD\n":
            block = []
            out.append(line)
        elif block is not None and line == "EOD\n":
            rows = [r for r in block if r.strip()]
            out.append("# (golden: %d rings, %d points, first %s, last %s)\n"
                       % (block.count("\n"), len(rows), rows[0].strip(),
                          rows[-1].strip()))
            out.append(line)
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    return "".join(out)


snaps = os.path.join(TMP, "snaps.tsa")
with open(snaps, "wb") as f:
    subprocess.run([sys.executable, os.path.join(HERE, "snapshot.py")],
                   stdout=f, check=True)
r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only", "--last",
                    "-o", OUT, "--size", "1000x560", "--top", "15",
                    "--refresh", "10", "--metric", "packets", "-r", "europe",
                    snaps], capture_output=True, text=True)
print(r.stderr, end="")
if r.returncode != 0:
    print("FAIL  tsa-plot exit status %d" % r.returncode)
    sys.exit(1)
if any(n.endswith(".png") for n in os.listdir(OUT)):
    print("FAIL  --script-only drew PNGs")
    sys.exit(1)

fails = 0
update = os.environ.get("TSA_UPDATE_GOLDEN") == "1"
for name in FILES:
    with open(os.path.join(OUT, name), encoding="utf-8") as f:
        got = summarise_map(f.read())
    path = os.path.join(GOLDEN, name)
    if update:
        with open(path, "w", encoding="utf-8") as f:
            f.write(got)
        print("wrote %s" % path)
        continue
    with open(path, encoding="utf-8") as f:
        want = f.read()
    if got != want:
        fails += 1
        print("FAIL  %s differs from the golden file:" % name)
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(keepends=True), got.splitlines(keepends=True),
            "golden/" + name, name, n=2))
    else:
        print("ok    %s" % name)

import re
import shutil
from pngcheck import png_size
if not shutil.which("gnuplot"):
    print("FAIL  gnuplot is not installed: the scripts cannot be checked")
    sys.exit(1)
for name in FILES:
    if not name.endswith(".gp"):
        continue
    png = os.path.join(TMP, name[:-3] + ".png")
    with open(os.path.join(OUT, name), encoding="utf-8") as f:
        size = re.search(r"size (\d+),(\d+)", f.read())
    r = subprocess.run(["gnuplot", "-e", "outfile='%s'" % png, name],
                       cwd=OUT, capture_output=True, text=True, timeout=120)
    ok = (r.returncode == 0 and r.stderr == "" and os.path.exists(png) and
          png_size(png) == (int(size[1]), int(size[2])))
    if not ok:
        fails += 1
    print("%s  gnuplot draws %s: exit %d, %s, %s" % (
        "ok  " if ok else "FAIL", name, r.returncode,
        png_size(png) if os.path.exists(png) else "no PNG",
        r.stderr.strip()[:300] or "silent"))
sys.exit(1 if fails else 0)
