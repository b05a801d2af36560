#!/usr/bin/python3
# What tsa-filter says when a field of the expression cannot be in the
# stream: exactly these lines on stderr, status 0, the records still split
# as the expression says; and nothing where there is nothing to say (a
# documented field that matches nothing, a user's key that some record
# has).  Country and continent codes compare in any case.  Then real
# captures through tsa-capture | tsa-geo | tsa-filter, as a user runs them.
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import BIN, fail, finish, ip, run, split_stream, stream
from filterlib import tsatest  # noqa: E402

tsatest.need_pcaps()

CAPTURE = [["tsa-capture", "-r", "x.pcap"]]
GEO = CAPTURE + [["/usr/local/bin/tsa-geo"]]     # a path: the base name counts
P0F = GEO + [["tsa-p0f"]]


def header(tools):
    return {"tsa": 1, "kind": "packets", "tools": tools}


def pkt(i, **kw):
    r = {"protocol": "tcp", "src_addr": ip("10.0.0.1"),
         "dst_addr": ip("93.184.216.34"), "src_port": 40000 + i,
         "dst_port": 443 if i % 2 else 80}
    r.update(kw)
    return r


plain = [pkt(i) for i in range(9)]
plain.insert(4, {"type": "stats", "final": False})
geo = [pkt(0, dst_country="US", dst_continent="NA"),
       pkt(1, dst_country="CN", dst_continent="AS"),
       pkt(2, dst_scope="private"),
       pkt(3, dst_country="cn", dst_continent="as"),
       pkt(4, dst_country="Cn", dst_continent="As"),
       pkt(5)]


def case(what, expr, records, tools, want_err, want_pass=None, args=()):
    """Run expr; stderr must be exactly want_err (lines), the status 0,
    and the passing packet records those at the indexes want_pass of the
    packet records (the others left out)."""
    data, raws = stream(records, header(tools))
    rc, out, err = run(list(args) + [expr], data)
    lines = err.splitlines()
    if rc != 0 or lines != want_err:
        fail(f"{what}: {expr!r}: status {rc}, stderr {lines!r}, "
             f"expected {want_err!r}")
        return
    if want_pass is not None:
        got = [r for r in split_stream(out)[1]
               if "type" not in msgpack.unpackb(r)]
        pkts = [raw for r, raw in zip(records, raws) if "type" not in r]
        want = [pkts[i] for i in want_pass]
        if got != want:
            fail(f"{what}: {expr!r}: passed {len(got)} records, expected "
                 f"{len(want)}")
            return
    print("ok", what)


W = "tsa-filter: "
# A misspelled field: named at the end with the count and the nearest key.
case("misspelling", "dst_prot == 80", plain, CAPTURE,
     [W + "no record has dst_prot (read 9 records; did you mean dst_port?)"],
     [])
case("misspelling, twice in the expression: one line",
     "dst_prot == 80 or dst_prot == 443 or has dst_prot", plain, CAPTURE,
     [W + "no record has dst_prot (read 9 records; did you mean dst_port?)"])
case("a swap of neighbours, one record", "tls_sin ~ '*.com'", plain[:1],
     CAPTURE, [W + "no record has tls_sin (read 1 record; did you mean "
               "tls_sni?)"])
case("case", "DST_PORT == 80", plain, CAPTURE,
     [W + "no record has DST_PORT (read 9 records; did you mean dst_port?)"])
case("the end of two names", "port == 80", plain, CAPTURE,
     [W + "no record has port (read 9 records; did you mean src_port or "
      "dst_port?)"])
case("the end of one name", "not has sni", plain, CAPTURE,
     [W + "no record has sni (read 9 records; did you mean tls_sni?)"],
     list(range(9)))
case("nothing near", "colour == red", plain, CAPTURE,
     [W + "no record has colour (read 9 records)"])
case("one line per field, in the expression's order, before --count",
     "ip_verison == 4 or dst_prt == 1 or dst_port == 80", plain, CAPTURE,
     [W + "no record has ip_verison (read 9 records; did you mean "
      "ip_version?)",
      W + "no record has dst_prt (read 9 records; did you mean dst_port?)",
      W + "9 records read, 5 passed, 4 failed; 1 other record copied"],
     [0, 2, 4, 6, 8], ["--count"])
case("no packet record at all", "dst_prot == 1 or dst_country == CN",
     [{"type": "stats", "final": True}], CAPTURE,
     [W + "no record has dst_prot (read 0 records; did you mean dst_port?)"])

# Nothing to say.
case("a documented field that matches nothing", "dst_port == 9999", plain,
     CAPTURE, [], [])
case("a documented field no record has", "http_status == 404 or has tls_sni",
     plain, CAPTURE, [], [])
user = [pkt(i) for i in range(5)]
user[3]["my_tag"] = "x"
case("a user's key that one record has", "my_tag == y", user, CAPTURE, [],
     [])
case("a user's key, matching", "my_tag == x", user, CAPTURE, [], [3])
case("a user's key that no record has", "my_tag == x", plain, CAPTURE,
     [W + "no record has my_tag (read 9 records)"])

# A field whose stage is not in the header's tools: once, at the first
# packet record.
case("country before tsa-geo", "dst_country == cn", plain, CAPTURE,
     [W + "dst_country: no tsa-geo in this stream's tools; put tsa-filter "
      "after tsa-geo"], [])
case("fields of two stages, in the expression's order",
     "src_os == Linux or has p0f_label or dst_continent == EU or "
     "src_country == DE", plain, CAPTURE,
     [W + "src_os: no tsa-p0f in this stream's tools; put tsa-filter after "
      "tsa-p0f",
      W + "p0f_label: no tsa-p0f in this stream's tools; put tsa-filter "
      "after tsa-p0f",
      W + "dst_continent: no tsa-geo in this stream's tools; put tsa-filter "
      "after tsa-geo",
      W + "src_country: no tsa-geo in this stream's tools; put tsa-filter "
      "after tsa-geo"])
case("p0f after tsa-geo only", "has p0f_http_label and src_asn > 1", geo, GEO,
     [W + "p0f_http_label: no tsa-p0f in this stream's tools; put "
      "tsa-filter after tsa-p0f"])
case("both kinds", "dst_country == CN or dst_cuntry == CN", plain, CAPTURE,
     [W + "dst_country: no tsa-geo in this stream's tools; put tsa-filter "
      "after tsa-geo",
      W + "no record has dst_cuntry (read 9 records; did you mean "
      "dst_country?)"])
case("after tsa-geo", "dst_country == CN", geo, GEO, [], [1, 3, 4])
case("after tsa-geo and tsa-p0f", "dst_country == CN or src_os ~ Linux*",
     geo, P0F, [], [1, 3, 4])
case("a stage of the user's own added the field to the first record",
     "dst_country == CN", geo, CAPTURE, [], [1, 3, 4])
case("tsa-geo ran, the field is in no record", "src_city == Paris", geo, GEO,
     [], [])

# Country and continent codes in any case; other text exactly.
case("country, lower case", "dst_country == cn", geo, GEO, [], [1, 3, 4])
case("country, a list", "dst_country in [us, CN]", geo, GEO, [],
     [0, 1, 3, 4])
case("country, !=", "dst_country != CN", geo, GEO, [], [0])
case("country, a glob", "dst_country ~ '[c]?'", geo, GEO, [], [1, 3, 4])
case("continent", "dst_continent == as", geo, GEO, [], [1, 3, 4])
case("continent, order", "dst_continent < b", geo, GEO, [], [1, 3, 4])
case("scope compares exactly", "dst_scope == PRIVATE", geo, GEO, [], [])

# A snapshots stream: only the warning that it has no packet records.
data, _ = stream([{"type": "snapshot", "packets": 1}],
                 {"tsa": 1, "kind": "snapshots", "tools": GEO})
rc, out, err = run(["dst_prot == 1"], data)
if rc != 0 or err != W + "stdin: a snapshots stream has no packet records " \
        "to filter: every record passes\n":
    fail(f"snapshots: status {rc}, stderr {err!r}")

# Damaged input: its one line, no field warnings after it.
data, _ = stream(plain, header(CAPTURE))
rc, out, err = run(["dst_prot == 1"], data[:-3])
if rc != 1 or len(err.splitlines()) != 1 or "dst_prot" in err:
    fail(f"truncated input: status {rc}, stderr {err!r}")
e = stream(plain, dict(header(CAPTURE), end_record=True))[0]
cut = e[:e.rindex(b"\x82\xa4type\xa3end")]
rc, out, err = run(["dst_prot == 1"], cut)
if rc != 1 or len(err.splitlines()) != 1 or "dst_prot" in err:
    fail(f"input without its end record: status {rc}, stderr {err!r}")

# Real captures, as a user runs them.
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
pcap = os.path.join(PCAPS, "zeek-wikipedia.pcap")
TOOL = {t: os.path.join(BIN, t) for t in ("tsa-capture", "tsa-geo",
                                          "tsa-filter")}
tsatest.need(pcap, "a shared capture")


def pipeline(*stages):
    """stdout and stderr of a shell pipeline of the tools; its status is
    the last failing stage's (pipefail), so an upstream error is not lost."""
    cmd = "set -o pipefail; " + " | ".join(stages)
    p = subprocess.run(cmd, shell=True, capture_output=True, executable="/bin/bash",
                       env=dict(os.environ, PATH=BIN + ":" + os.environ["PATH"]))
    return p.returncode, p.stdout, p.stderr.decode()


def count(err):
    return int(err.split(" records read, ")[1].split(" passed")[0])


cap = f"tsa-capture -q -r {pcap}"
rc, out, err = pipeline(cap, "tsa-filter -v 'dst_country == US'")
if rc != 0 or err.splitlines()[:1] != [
        W + "dst_country: no tsa-geo in this stream's tools; put tsa-filter "
        "after tsa-geo"] or count(err) != 0:
    fail(f"pipeline without tsa-geo: status {rc}, stderr {err!r}")
else:
    print("ok pipeline without tsa-geo")

rc, geo_out, err = pipeline(cap, "tsa-geo")
_, recs = split_stream(geo_out)
us = sum(1 for r in map(msgpack.unpackb, recs)
         if "type" not in r and r.get("dst_country") == "US")
for expr in ("dst_country == US", "dst_country == us"):
    rc, out, err = pipeline(cap, "tsa-geo", f"tsa-filter -v '{expr}'")
    lines = err.splitlines()
    if rc != 0 or len(lines) != 1 or us == 0 or \
            f" {us} passed" not in lines[0]:
        fail(f"pipeline {expr!r}: status {rc}, stderr {err!r}, {us} records "
             "to US")
    else:
        print(f"ok pipeline {expr!r}: {us} passed, no warning")
rc, out, err = pipeline(cap, "tsa-geo", "tsa-filter 'dst_prot == 80'")
n = len([r for r in map(msgpack.unpackb, recs) if "type" not in r])
if rc != 0 or err != (W + f"no record has dst_prot (read {n} records; did "
                      "you mean dst_port?)\n"):
    fail(f"pipeline dst_prot: status {rc}, stderr {err!r}")
else:
    print("ok pipeline misspelling")
finish()
