#!/usr/bin/python3
# Load index.html in headless Chromium from the file system and check the
# screenshot shows the pictures: the exact colours the map gives the United
# States, Germany and Brazil, the grey of countries without traffic, the
# sea, and the bar colour of the countries chart.  Then, through the
# browser's DOM (a harness page in the test's directory loads the page in
# a 1280 px frame and writes what it finds into its own DOM, which
# --dump-dom prints): every picture loaded at its file's size, every link
# resolves, nothing is wider than 1280 px, the tables hold the snapshot's
# values, and Chromium logs no console error.
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
from pngcheck import Png, png_size, scale_colour
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
chromium = shutil.which("chromium")
if not chromium:
    print("chromium is not installed")
    sys.exit(77)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


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

HARNESS = """<!DOCTYPE html><html><body><pre id="r"></pre>
<iframe id="f" style="width:1280px;height:900px;border:0" src="%s"></iframe>
<script>
const f = document.getElementById('f');
f.onload = () => {
  const d = f.contentDocument;
  const table = h => {
    let t = h.nextElementSibling;
    while (t && t.tagName !== 'TABLE' && t.tagName !== 'H2')
      t = t.nextElementSibling;
    return t && t.tagName === 'TABLE' ?
      [...t.rows].map(r => [...r.cells].map(c => c.innerText)) : null;
  };
  document.getElementById('r').textContent = JSON.stringify({
    images: [...d.images].map(i => [i.getAttribute('src'), i.complete,
      i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().right]),
    links: [...d.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    scroll: [d.documentElement.scrollWidth, d.documentElement.clientWidth],
    wide: [...d.querySelectorAll('body *')].filter(e =>
      e.getBoundingClientRect().right > 1280.5).map(e => e.tagName),
    tables: Object.fromEntries([...d.querySelectorAll('h2')].map(h =>
      [h.id, table(h)])),
  });
};
</script></body></html>"""
harness = os.path.join(TMP, "harness.html")
with open(harness, "w") as f:
    f.write(HARNESS % ("file://" + os.path.join(out, "index.html")))
r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile,
                    "--allow-file-access-from-files", "--window-size=1400,1000",
                    "--virtual-time-budget=10000", "--enable-logging=stderr",
                    "--v=0", "--dump-dom", "file://" + harness],
                   capture_output=True, text=True, timeout=120)
try:
    dom = json.loads(r.stdout.split('<pre id="r">', 1)[1].split("</pre>")[0]
                     .replace("&amp;", "&").replace("&lt;", "<")
                     .replace("&gt;", ">").replace("&quot;", '"'))
except (IndexError, ValueError) as e:
    print("FAIL  the harness reported nothing (%s): %s" % (e, r.stderr[-2000:]))
    sys.exit(1)

pictures = {}
for src, complete, w, h, right in dom["images"]:
    name = src.split("?")[0]
    pictures[name] = (w, h)
    path = os.path.join(out, name)
    size = png_size(path) if os.path.exists(path) else "missing"
    check(complete and (w, h) == size, "%s loaded at its file's size %s "
          "(%dx%d)" % (name, size, w, h))
    check(right <= 1280.5, "%s fits in 1280 px (right edge %.0f)"
          % (name, right))
for name in ("world.png", "countries.png", "bandwidth.png", "domains.png",
             "os.png", "apps.png", "trend.png"):
    check(name in pictures, "the page shows %s" % name)
for href in dom["links"]:
    if href.startswith("https://"):
        continue    # the credits: a link, nothing loaded
    check(os.path.isfile(os.path.join(out, href.split("#")[0])) or
          href.startswith("#"), "link %s resolves" % href)
check(dom["scroll"][0] <= dom["scroll"][1] and not dom["wide"],
      "nothing wider than 1280 px: %s %s" % (dom["scroll"], dom["wide"][:5]))
console = [l for l in r.stderr.splitlines() if "CONSOLE" in l or
           "Uncaught" in l or "Failed to load" in l]
check(not console, "no console errors: %s" % console[:3])

t = dom["tables"]
rows = {row[0]: row for row in (t.get("countries") or [])[1:]}
for code, p, b, h in snapshot.COUNTRIES:
    check(code in rows and rows[code][2] == "{:,}".format(p) and
          rows[code][4] == "{:,}".format(h), "countries table: %s %s packets,"
          " %s hosts (%s)" % (code, p, h, rows.get(code)))
alert = (t.get("alerts") or [None, []])[1]
check(alert[:1] == ["2025-11-26 08:00:42"] and "203.0.113.9" in alert and
      "Netherlands (NL)" in alert and "syn 1,200, ack 3" in alert,
      "alerts table: start, host, country, counts (%s)" % alert)
apps = [r[:3] for r in (t.get("apps") or [None])[1:]]
check(apps == [[a["app"], "{:,}".format(a["packets"]), "%.1f" % (
      100 * a["packets"] / sum(c[1] for c in snapshot.COUNTRIES))]
      for a in snapshot.APPS], "applications table: %s" % apps[:2])
hosts = (t.get("hosts") or [None, []])[1]
check(hosts == ["142.250.74.46\ngoogle.com", "United States (US)",
               "Linux 3.11 and newer (unix)\nChrome 11 or newer",
               "Ethernet or modem\nMTU 1500", "12", "45 d 1 h", "English", "yes",
               "08:00:03 \u2013 08:00:59", "30,000", "40.0 MB"],
      "hosts table, the security view: first row %s" % hosts)
done()
