#!/usr/bin/python3
# Unusable input ends tsa-geo with one line on stderr naming what is wrong,
# and a non-zero exit: a missing database, a file that is not a MaxMind DB,
# a database without the keys it needs, a stream without a header.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from geolib import *  # noqa: E402,F401

good = mkdb("good.mmdb", "GeoLite2-Country",
            [("81.0.0.0/16", {"country": {"iso_code": "DE"}})])
data = stream([packet("81.0.1.2", "10.0.0.1")])


def fails(args, inp, *needles, maxlines=1):
    _, _, _, err = run(args, inp, rc=1)
    lines = err.splitlines()
    check(1 <= len(lines) <= maxlines, f"{args}: want one line, got {err!r}")
    check(err.startswith("tsa-geo: "), f"{args}: {err!r}")
    for n in needles:
        check(n in err, f"{args}: {n!r} not in {err!r}")
    print("ok:", err.strip())


# Missing: the path and how to get the default database.
missing = os.path.join(TMP, "nowhere", "dbip-country.mmdb")
fails(["-d", missing], data, missing, "No such file", "scripts/setup")
# The same through the settings file (relative to it).
ini = os.path.join(TMP, "s.ini")
with open(ini, "w") as f:
    f.write("[geoip]\nDatabaseFilePath = nowhere/dbip-country.mmdb\n")
fails(["--settings", ini], data, missing, "scripts/setup")

# Not a MaxMind DB: text, an empty file, a directory, a FIFO, a truncated
# database.
junk = os.path.join(TMP, "junk.mmdb")
with open(junk, "w") as f:
    f.write("this is not a database\n" * 100)
fails(["-d", junk], data, junk, "not a MaxMind DB file")
empty = os.path.join(TMP, "empty.mmdb")
open(empty, "w").close()
fails(["-d", empty], data, empty, "not a MaxMind DB file")
fails(["-d", TMP], data, TMP, "directory")
# A FIFO (or device) named as the database: refused at once, no hang.
fifo = os.path.join(TMP, "fifo.mmdb")
os.mkfifo(fifo)
fails(["-d", fifo], data, fifo, "not a regular file")
cut = os.path.join(TMP, "cut.mmdb")
with open(good, "rb") as f, open(cut, "wb") as g:
    g.write(f.read()[:200])
fails(["-d", cut], data, cut, "not a MaxMind DB file")

# A database whose records have no country: say which keys it has.
odd = mkdb("odd.mmdb", "Some-Other-Thing",
           [("81.0.0.0/16", {"owner": "x", "region": {"code": "y"}})])
fails(["-d", odd], data, odd, "no country field", "owner", "region")
# An ASN database where a location one belongs, and the reverse.
asn = mkdb("asn.mmdb", "GeoLite2-ASN",
           [("81.0.0.0/16", {"autonomous_system_number": 1,
                             "autonomous_system_organization": "o"})])
fails(["-d", asn], data, asn, "no country field",
      "autonomous_system_number", "autonomous_system_organization")
fails(["-d", good, "-a", good], data, good,
      "no autonomous_system_number", "country")
fails(["-d", good, "-a", missing], data, missing, "No such file")

# Streams: no header, nothing at all, a wrong version, not msgpack.
fails(["-d", good], msgpack.packb(packet("81.0.1.2", "10.0.0.1")), "")
fails(["-d", good], b"", "")
fails(["-d", good], stream([], hdr={"tsa": 2, "tools": []}), "")
# (libtsa's reader says two lines here for now: what is wrong with the
# first bytes, then that there is no header.)
fails(["-d", good], b"GET / HTTP/1.1\r\n", "stdin", maxlines=2)

# A stream cut inside a record: what came before is written, then the error.
data2 = stream([packet("81.0.1.2", "10.0.0.1")] * 3)
p = subprocess.run([GEO, "-d", good], input=data2[:-5], capture_output=True)
check(p.returncode != 0, "truncated stream: exit 0")
hdr, out, end = tsatest.read(p.stdout)
check(len(out) == 2 and all(r.get("src_country") == "DE" for r in out),
      f"truncated stream: {out}")
# ... and the stream says it is incomplete, and why, for the next stage.
check(end is not None and end["complete"] is False and
      "truncated stream" in end.get("reason", ""), f"truncated stream: end {end}")
check(len(p.stderr.decode().splitlines()) == 1, f"truncated: {p.stderr!r}")

# Usage errors exit 2.
p = subprocess.run([GEO, "--cache-size", "lots"], input=data, capture_output=True)
check(p.returncode == 2 and b"cache-size" in p.stderr, f"usage: {p.stderr!r}")
p = subprocess.run([GEO, "--help"], capture_output=True)
check(p.returncode == 0 and b"--database" in p.stdout, "--help")
done()
