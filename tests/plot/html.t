#!/usr/bin/python3
# index.html: the tables hold the snapshot's values, every text from the
# stream is escaped, the markup nests properly, and the page reloads itself
# while the stream is live but not after its end.
import html.parser
import os
import re
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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


class Nesting(html.parser.HTMLParser):
    """Every element closed in order (void elements excepted); the text of
    each table cell collected."""
    VOID = {"meta", "img", "br", "link", "hr", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.cells, self.tags = [], [], [], []
        self.cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:]))
        else:
            self.stack.pop()
        if tag == "td":
            self.cells.append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def parse(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p = Nesting()
    p.feed(text)
    p.close()
    return text, p


# A finished stream: the final page.
out = os.path.join(TMP, "final")
snaps = os.path.join(TMP, "snaps.tsa")
with open(snaps, "wb") as f:
    subprocess.run([sys.executable, os.path.join(HERE, "snapshot.py")],
                   stdout=f, check=True)
r = subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only", "-o",
                    out, snaps], capture_output=True, text=True)
print(r.stderr, end="")
check(r.returncode == 0, "tsa-plot exits 0")
text, page = parse(os.path.join(out, "index.html"))
check(not page.errors and page.stack == [], "markup nests: %s %s"
      % (page.errors[:3], page.stack))
check("<script" not in text.lower(), "no <script> element: the domain "
      "'<script>alert(1)</script>.example' is text")
check("&lt;script&gt;alert(1)&lt;/script&gt;.example" in text,
      "the domain is escaped")
check("o&#39;reilly.com" in text, "a quote in a domain is escaped")
check("Android &lt;b&gt;x&lt;/b&gt;" in text and "<b>" not in text,
      "OS labels are escaped")
check("203.0.113.9 &amp; friends &lt;b&gt;" in text,
      "alert reasons are escaped")
check('http-equiv="refresh"' not in text, "final page does not reload")

cells = page.cells
for d in snapshot.DOMAINS:
    name = d["domain"]
    check(any(c.startswith(name) for c in cells), "domain row: %s" % name)
check("google.com" in cells[cells.index(next(c for c in cells if
      c.startswith("google.com")))] and
      "also googleusercontent.com, gstatic.com" in text,
      "aliases listed")
check("12, 14" in cells, "google.com distances 12, 14 hops")
check("US, DE" in cells, "google.com countries US, DE")
check("Chrome 11 or newer" in cells, "google.com app")
check("52,000" in cells and "61.0 MB" in cells, "google.com 52,000 packets,"
      " 61.0 MB")
check("syn 1,200, ack 3" in cells, "alert counts")
check("203.0.113.9" in cells and any(c.startswith("syn_flood")
      for c in cells), "alert host and kind")
check("2025-11-26 08:00:42" in cells, "alert started when its record says")
check("2025-11-26 08:00:00 - 08:01:00 UTC" in cells, "alert window")
check("Netherlands (NL)" in cells, "alert country")
check(any(c.startswith("2a00:1450:4001:82b::200e") for c in cells) and
      any(c.startswith("142.250.74.46") for c in cells),
      "host addresses as text")
total = sum(c[1] for c in snapshot.COUNTRIES)
check("{:,} packets".format(total) in text, "total packets in the header")
check("Russia" in cells and "Local networks" in cells,
      "country names")
links = [a.get("href") for t, a in page.tags if t == "a"]
for name in ("world", "countries", "domains", "os", "bandwidth"):
    check(name + ".gp" in links, "--script-only page links %s.gp" % name)

check("Pacific" in cells and "-30.0000" in cells and "9,000" in cells,
      "locations table")
check("AS15169" in cells and "Google LLC" in cells and "30,000" in cells,
      "organisations table")

# Drill-down: every country links to its page, which holds its totals and
# its alerts, and its own lists from the snapshot's country_detail (US);
# without one (DE), its hosts among the top hosts, the domains with a host
# there.
for code, p, b, h in snapshot.COUNTRIES:
    check("country-%s.html" % code in links and os.path.exists(
          os.path.join(out, "country-%s.html" % code)),
          "country %s links to its page" % code)
ctext, cpage = parse(os.path.join(out, "country-US.html"))
check(not cpage.errors and cpage.stack == [], "country page nests: %s"
      % cpage.errors[:3])
check("120,000 packets (55.9% of the window's)" in ctext,
      "country page: its totals")
check("its 2 remote hosts with the most packets (of 40)" in ctext,
      "country page: how many of its hosts its list holds")
check(any(c.startswith("142.250.74.46") for c in cpage.cells) and
      any(c.startswith("8.8.8.8") for c in cpage.cells) and not any(
      c.startswith("2a00:1450") for c in cpage.cells),
      "country page with detail: its own hosts (8.8.8.8 is only there)")
check("DSLMTU 1492" in cpage.cells and "Ethernet or modemMTU 1500" in cells,
      "link and MTU of a host, on the country page and the index")
check(any(c.startswith("youtube.com") for c in cpage.cells) and
      not any(c.startswith("netflix.com") for c in cpage.cells),
      "country page with detail: its own domains")
i = cpage.cells.index("QUIC")
check(cpage.cells[i:i + 4] == ["QUIC", "20,000", "16.7", "20.0 MB"],
      "country page: its applications, shares of its packets: %s"
      % cpage.cells[i:i + 4])
check("of the country's packets" in ctext and
      "<th>server port</th>" not in ctext,
      "country page: shares defined, no window-wide ports")
i = len(cpage.cells) - 1 - cpage.cells[::-1].index("Linux 3.11 and newer")
check(cpage.cells[i:i + 4] == ["Linux 3.11 and newer", "unix", "20", "70,000"],
      "country page: the OS of its hosts")
dtext, dpage = parse(os.path.join(out, "country-DE.html"))
check("has no lists of this country's own" in dtext and
      any(c.startswith("google.com") for c in dpage.cells) and
      not any(c.startswith("netflix.com") for c in dpage.cells) and
      any(c.startswith("2a00:1450") for c in dpage.cells),
      "country page without detail: the window's hosts and domains there")
check("203.0.113.9" not in ctext and "Netherlands (NL)" in cells and
      "country-NL.html" not in links,
      "an alert's country without a page is not linked")
check(not os.path.exists(os.path.join(out, "country-<b>.html")),
      "no page for a code that is not one")

# A live stream: while it runs the page reloads; at its end it does not,
# and it shows the last snapshot.
out = os.path.join(TMP, "live")
p = subprocess.Popen([os.path.join(BIN, "tsa-plot"), "--script-only",
                      "--refresh", "7", "-o", out], stdin=subprocess.PIPE)
p.stdin.write(msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []}))
p.stdin.write(msgpack.packb(snapshot.snapshot(0)))
p.stdin.flush()
index = os.path.join(out, "index.html")
for _ in range(200):
    if os.path.exists(index):
        break
    time.sleep(0.1)
text, page = parse(index)
check('<meta http-equiv="refresh" content="7">' in text,
      "live page reloads every 7 s")
check("08:00:00 - 08:01:00" in text, "live page shows the first window")
p.stdin.write(msgpack.packb(snapshot.snapshot(1, final=True)))
p.stdin.close()
check(p.wait(timeout=60) == 0, "tsa-plot exits 0 at the end of the stream")
text, page = parse(index)
check('http-equiv="refresh"' not in text, "final page does not reload")
check("08:00:10 - 08:01:10" in text, "final page shows the last window")
check(not [n for n in os.listdir(out) if n.startswith(".")],
      "no temporary files left")
done()
