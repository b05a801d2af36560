#!/usr/bin/python3
# tsa-filter's one list of documented keys (tsa-filter/fields.c, printed by
# --list-fields) against the tables of docs/stream.md, so that neither can
# change without the other: the same names (src_ and dst_ forms of the
# endpoint tables), each with the stage whose section documents it, and
# the packet record types.  The case-insensitive fields are the ones
# tsa-filter.1 names.
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import FILTER, fail, finish

TOP = os.environ.get("TSA_TOP", ".")

p = subprocess.run([FILTER, "--list-fields"], capture_output=True, text=True)
if p.returncode != 0 or p.stderr:
    fail(f"--list-fields: status {p.returncode}, stderr {p.stderr!r}")
listed = {}
for line in p.stdout.splitlines():
    name, holds, stage = line.split("\t")
    if name in listed:
        fail(f"--list-fields: {name} twice")
    listed[name] = (holds, stage)

# The documented keys: backquoted names in the first column of the tables
# of the three sections that define record keys, by the stage in the
# section's title.  The endpoint tables list the src_ form.
SECTIONS = {"Packet records (tsa-capture)": "tsa-capture",
            "Geolocation keys (tsa-geo)": "tsa-geo",
            "Fingerprint keys (tsa-p0f)": "tsa-p0f",
            "Host records (tsa-p0f)": "tsa-p0f"}
# The keys of a host record are filtered as each endpoint's (src_dist), but
# for its address, which is src_addr and dst_addr themselves.
HOST_SECTION = "Host records (tsa-p0f)"
with open(os.path.join(TOP, "docs/stream.md")) as f:
    doc = f.read()
documented, doc_type = {}, {}
for title, stage in SECTIONS.items():
    m = re.search(r"^## " + re.escape(title) + r"\n(.*?)(?=^## |\Z)", doc,
                  re.M | re.S)
    if not m:
        fail(f"docs/stream.md: no section '{title}'")
        continue
    rows = [r for r in m.group(1).splitlines() if r.startswith("| `")]
    if not rows:
        fail(f"docs/stream.md: '{title}' has no table")
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for key in re.findall(r"`([a-z0-9_]+)`", cells[0]):
            if title == HOST_SECTION:
                if key == "addr":
                    continue
                key = "src_" + key
            for k in {key, re.sub(r"^src_", "dst_", key)}:
                if documented.get(k, stage) != stage:
                    fail(f"docs/stream.md: {k} in two sections")
                documented[k] = stage
                if stage == "tsa-capture":
                    doc_type[k] = cells[1]

for k in sorted(set(documented) - set(listed)):
    fail(f"{k}: in docs/stream.md ({documented[k]}), not in tsa-filter's "
         "list (tsa-filter/fields.c)")
for k in sorted(set(listed) - set(documented)):
    fail(f"{k}: in tsa-filter's list, not in the tables of docs/stream.md")
for k in sorted(set(listed) & set(documented)):
    if listed[k][1] != documented[k]:
        fail(f"{k}: tsa-filter says {listed[k][1]} adds it, docs/stream.md "
             f"{documented[k]}")
print(f"{len(documented)} keys documented, {len(listed)} listed")

# What the packet record table says each key holds, in tsa-filter's words.
TYPES = {"timestamp": "times", "uint": "numbers", "4 or 6": "numbers",
         "address": "addresses", "array of address": "addresses",
         "str": "text", "array of str": "text", "str or uint":
         "text or numbers", "true": "true or false", "bin": "raw bytes"}
for k, t in sorted(doc_type.items()):
    want = TYPES.get(t)
    got = listed.get(k, ("?",))[0].replace(", any case", "")
    if want is None:
        fail(f"docs/stream.md: {k}: type '{t}' unknown to this test")
    elif got != want:
        fail(f"{k}: docs/stream.md says {t}, tsa-filter holds it as {got}")

# The man page names the fields compared without regard to case.
with open(os.path.join(TOP, "tsa-filter/tsa-filter.1")) as f:
    man = f.read()
m = re.search(r"compare without regard to ASCII case.*?\n\.PP\n"
              r"((?:\.B \S+\n)+)\.PP", man, re.S)
if not m:
    fail("tsa-filter.1: no paragraph naming the fields that compare "
         "without regard to case")
else:
    named = set(re.findall(r"^\.B (\S+)", m.group(1), re.M))
    folded = {k for k, (h, _) in listed.items() if h.endswith(", any case")}
    if named != folded:
        fail(f"tsa-filter.1 names {sorted(named)} as compared in any case, "
             f"--list-fields {sorted(folded)}")
    for k in ("dst_country", "src_continent", "tls_sni"):
        if k not in folded:
            fail(f"{k}: not compared in any case")

finish()
