#!/usr/bin/python3
"""tsa-geo/continents.c (the continent it adds to answers of databases that
have countries only, like the default DB-IP file) agrees with MaxMind's own
data: for addresses spread over the whole IPv4 space, the continent
GeoLite2-Country gives (read with mmdblookup) is the one the table gives for
the country GeoLite2 gives.  (Regenerating the table by walking the whole
database, tsa-geo/mkcontinents.pl, takes minutes: a developer's step.)"""
import os, random, re, subprocess, sys

top = os.environ["TSA_TOP"]
db = os.path.join(top, "data", "GeoLite2-Country.mmdb")
if not os.path.exists(db) or os.path.getsize(db) == 0:
    print(f"{db} missing: run scripts/setup")
    sys.exit(77)
table = dict(re.findall(r'\{ "([A-Z]{2})", "([A-Z]{2})" \}',
                        open(os.path.join(top, "tsa-geo", "continents.c")).read()))
fail = 0
if len(table) < 240:
    print(f"FAIL only {len(table)} countries in continents.c"); fail = 1
for cc, ct in [("DE", "EU"), ("US", "NA"), ("BR", "SA"), ("AU", "OC"), ("JP", "AS"),
               ("ZA", "AF"), ("AQ", "AN"), ("RU", "EU"), ("TR", "AS"), ("EG", "AF")]:
    if table.get(cc) != ct:
        print(f"FAIL {cc}: {table.get(cc)}, want {ct}"); fail = 1

def lookup(ip, *path):
    out = subprocess.run(["mmdblookup", "--file", db, "--ip", ip, *path],
                         capture_output=True, text=True).stdout
    m = re.search(r'"([A-Z]{2})"', out)
    return m.group(1) if m else None

rng = random.Random(7)
compared = 0
while compared < 300:
    ip = ".".join(str(rng.randrange(1, 224) if i == 0 else rng.randrange(256)) for i in range(4))
    cc = lookup(ip, "country", "iso_code")
    if not cc:
        continue
    ct = lookup(ip, "continent", "code")
    compared += 1
    if table.get(cc) != ct:
        print(f"FAIL {ip}: GeoLite2 says {cc} in {ct}, continents.c says {table.get(cc)}")
        fail = 1
print(f"{compared} addresses compared, {len(table)} countries in the table")
sys.exit(fail)
