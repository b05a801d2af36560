#!/usr/bin/python3
# The map and the page credit the geolocation source the stream's header
# names (tsa-geo's "geo_databases"): DB-IP for the shipped database and
# for DB-IP's own files, MaxMind for GeoLite2, the type as given (escaped)
# for another; nobody when no tsa-geo ran.  Databases written here.
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "geo"))
from geolib import BIN, TMP, mkdb, packet, stream, header  # noqa: E402
from tsatest import check, done, same  # noqa: E402

US = {"country": {"iso_code": "US"}}
nets = [("8.8.8.0/24", US)]
pk = stream([packet("10.0.0.1", "8.8.8.8")] * 3, hdr=dict(header(),
            end_record=True))


def credits(*geo_args):
    """The world map's credit line and the page's footer, after tsa-geo
    with these arguments (none: no tsa-geo)."""
    data = pk
    if geo_args:
        data = subprocess.run([os.path.join(BIN, "tsa-geo")] + list(geo_args),
                              input=data, capture_output=True, check=True).stdout
    snaps = subprocess.run([os.path.join(BIN, "tsa-aggregate")], input=data,
                           capture_output=True, check=True).stdout
    out = os.path.join(TMP, "out-%d" % len(os.listdir(TMP)))
    subprocess.run([os.path.join(BIN, "tsa-plot"), "--script-only", "-o", out],
                   input=snaps, capture_output=True, check=True)
    gp = open(os.path.join(out, "world.gp"), encoding="utf-8").read()
    page = open(os.path.join(out, "index.html"), encoding="utf-8").read()
    return (re.search(r"^set label 7 '(.*)' at", gp, re.M).group(1),
            re.search(r"<footer>(.*)</footer>", page).group(1))


dbip = mkdb("dbip-country.mmdb", "country ipvAll", nets)
label, foot = credits("-d", dbip)
same("ip-location-db's DB-IP file (type 'country ipvAll'): the map", label,
     "IP geolocation by DB-IP (CC BY 4.0)   Map: Natural Earth (public domain)")
check('<a href="https://db-ip.com">DB-IP</a> (CC BY 4.0).' in foot,
      "... and the page links to DB-IP: %s" % foot)

lite = mkdb("city.mmdb", "GeoLite2-City", nets)
label, foot = credits("-d", lite)
same("a GeoLite2 database: the map", label, "IP geolocation by MaxMind "
     "GeoLite2   Map: Natural Earth (public domain)")
check('<a href="https://www.maxmind.com">MaxMind GeoLite2</a>.' in foot and
      "DB-IP" not in foot, "... and the page: %s" % foot)

odd = mkdb("odd.mmdb", "Acme <b>'Geo'</b>", nets)
label, foot = credits("-d", odd)
same("another database: named as its type says, quoted for gnuplot", label,
     "IP geolocation by Acme <b>''Geo''</b>   Map: Natural Earth (public "
     "domain)")
check("IP geolocation by Acme &lt;b&gt;&#39;Geo&#39;&lt;/b&gt;." in foot and
      "<a" not in foot, "... escaped on the page, not a link: %s" % foot)

label, foot = credits()
same("no tsa-geo: no geolocation credit", label,
     "Map: Natural Earth (public domain)")
check("geolocation" not in foot, "... nor on the page")
done()
