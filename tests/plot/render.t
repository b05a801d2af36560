#!/usr/bin/python3
# Render a fixed snapshot and check the pictures: gnuplot succeeds, every
# PNG has its size, and on the maps the pixels inside known countries carry
# the colour their value must get on the log scale (projected here with the
# Natural Earth formulas and the script's own frame), countries without
# traffic are grey, and the sea is the sea.
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pngcheck import (Png, MapFrame, png_size, scale_colour, decades, near)
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
OUT = os.path.join(TMP, "out")
W, H = 1000, 560
GREY = (0xd4, 0xd4, 0xd4)
OCEAN = (0xe6, 0xef, 0xf6)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


snaps = os.path.join(TMP, "snaps.tsa")
with open(snaps, "wb") as f:
    subprocess.run([sys.executable, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "snapshot.py"), "--count", "2"],
        stdout=f, check=True)
r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--last", "-o", OUT,
                    "--size", "%dx%d" % (W, H), "--region", "europe",
                    "--region", "south-america", "--region", "africa", snaps],
                   capture_output=True, text=True)
print(r.stderr, end="")
check(r.returncode == 0, "tsa-plot exits 0 (%d)" % r.returncode)
check(r.stderr == "", "gnuplot and tsa-plot print nothing")

# Sizes: the maps as asked; the charts as wide, as tall as their bars need
# (150 px of frame and 26 px a bar, at most the map's height).
packets = {c: p for c, p, b, h in snapshot.COUNTRIES}
expect = {
    "world": (W, H), "europe": (W, H), "south-america": (W, H),
    "africa": (W, H),
    "countries": (W, min(H, 150 + 26 * 15)),
    "domains": (W, 150 + 26 * len(snapshot.DOMAINS)),
    "os": (W, 150 + 26 * 5),
    "bandwidth": (W, H * 3 // 4),
}
for name, size in sorted(expect.items()):
    path = os.path.join(OUT, name + ".png")
    check(os.path.exists(path) and png_size(path) == size,
          "%s.png is %dx%d (%s)" % (name, size[0], size[1],
                                   png_size(path) if os.path.exists(path)
                                   else "missing"))
    check(os.path.exists(os.path.join(OUT, name + ".gp")),
          "%s.gp beside it" % name)
left = [n for n in os.listdir(OUT) if n.startswith(".")]
check(not left, "no temporary files left (%s)" % left)

# The map's colour scale: whole decades around the countries' values (the
# map only counts real countries, not "local" and "unknown").
real = [p for c, p in packets.items() if len(c) == 2]
lo, hi = decades(real)
check((lo, hi) == (1, 10 ** 6), "colour bar spans 1 to 1M")

places = [
    # name, lat, lon, code (None: sea)
    ("Brazil", -10, -52, "BR"), ("Germany", 51, 10, "DE"),
    ("United States", 39, -98, "US"), ("Russia", 62, 95, "RU"),
    ("Australia", -25, 134, "AU"), ("China", 33, 103, "CN"),
    ("Egypt", 26, 30, "EG"), ("Kazakhstan", 48, 67, "KZ"),
    ("Argentina", -35, -65, "AR"), ("Lesotho", -29.5, 28.25, "LS"),
    ("South Africa", -31, 23, "ZA"), ("Atlantic", -5, -20, None),
    ("Pacific", -20, -140, None),  # sea points: off the 30-degree graticule
    # Singapore and Malta are too small: dots in the value's colour.
    ("Singapore", 1.35, 103.82, "SG"), ("Malta", 35.9, 14.4, "MT"),
]


# The continents of the test's countries, as GeoNames (and so MaxMind and
# DB-IP) place them: a region map colours its own continent's countries on
# a scale of their values alone, and greys the others.
CONTINENT = {"US": "NA", "CA": "NA", "DE": "EU", "GB": "EU", "FR": "EU",
             "RU": "EU", "MT": "EU", "BR": "SA", "AR": "SA", "CN": "AS",
             "JP": "AS", "IN": "AS", "SG": "AS", "KZ": "AS", "AU": "OC",
             "ZA": "AF", "EG": "AF", "LS": "AF"}
REGION = {"world": None, "europe": "EU", "south-america": "SA",
          "africa": "AF"}
OUTSIDE = (0xf2, 0xf2, 0xf2)


def check_map(name, wanted):
    png = Png(os.path.join(OUT, name + ".png"))
    cont = REGION[name]
    mine = {c: p for c, p in packets.items() if len(c) == 2 and
            (cont is None or CONTINENT[c] == cont)}
    lo, hi = decades(mine.values())
    frame = MapFrame(os.path.join(OUT, name + ".gp"), png.width, png.height)
    for place, lat, lon, code in places:
        if code is not None and code not in wanted:
            continue
        x, y = frame.pixel(lon, lat)
        if not (0 <= x < png.width and 0 <= y < png.height):
            continue
        got = png.pixel(x, y)
        if code is None:
            want = OCEAN
        elif cont and CONTINENT[code] != cont:
            want = OUTSIDE
        elif packets.get(code):
            want = scale_colour(packets[code], lo, hi)
        else:
            want = GREY
        check(near(got, want), "%s.png: %s at (%d, %d) is #%02x%02x%02x, "
              "want #%02x%02x%02x" % ((name, place, x, y) + got + want))


check_map("world", [c for _, _, _, c in places])
# Kazakhstan, in view of Europe's map, is greyed.
check_map("europe", ["DE", "MT", "RU", "KZ", None])
check_map("south-america", ["BR", "AR", None])
# Lesotho, an enclave without traffic, stays grey inside South Africa.
check_map("africa", ["LS", "ZA", "EG", None])

# Locations: circles at the places' projected coordinates (pngcheck's own
# projection), the larger for more packets, in the circles' blue.
import re
from pngcheck import natural_earth
text = open(os.path.join(OUT, "world.gp")).read()
rows = re.search(r"\$points << EOD\n(.*?)EOD", text, re.S)
rows = [l.split() for l in rows.group(1).splitlines()] if rows else []
want = [natural_earth(l["lon"], l["lat"]) for l in snapshot.LOCATIONS]
check(len(rows) == 2 and all(abs(float(r[0]) - w[0]) < 1e-4 and
      abs(float(r[1]) - w[1]) < 1e-4 for r, w in zip(rows, want)) and
      float(rows[0][2]) > float(rows[1][2]),
      "locations: circles at their projected places, larger for more packets")
png = Png(os.path.join(OUT, "world.png"))
frame = MapFrame(os.path.join(OUT, "world.gp"), png.width, png.height)
r_, g_, b_ = png.pixel(*frame.pixel(-120.0, -30.0))
check(b_ > r_ + 40, "the Pacific location's circle is drawn: #%02x%02x%02x"
      % (r_, g_, b_))

# The script is self-contained: run again alone, it draws the same picture.
again = os.path.join(TMP, "again.png")
r = subprocess.run(["gnuplot", "-e", "outfile='%s'" % again, "world.gp"],
                   cwd=OUT, capture_output=True, text=True)
check(r.returncode == 0 and png_size(again) == (W, H),
      "world.gp runs alone: %s" % r.stderr.strip())
check(Png(again).rows == Png(os.path.join(OUT, "world.png")).rows,
      "and draws the same pixels")

done()
