#!/usr/bin/python3
"""Write fixed snapshot streams for the tsa-plot tests (docs/stream.md,
"Snapshot records"), the way tsa-aggregate writes them.

    snapshot.py [--count N] [--empty] > snaps.tsa

Every value is fixed, so scripts written from it can be compared with a
golden file.  The countries carry known values, so a test knows which
countries must be coloured and which grey; the names include markup and
quotes, so a test can check they are escaped.
"""
import argparse
import ipaddress
import sys

import msgpack

T0 = 1764144000  # 2025-11-26 08:00:00 UTC


def ts(sec, nsec=0):
    return msgpack.Timestamp(sec, nsec)


def addr(text):
    return ipaddress.ip_address(text).packed


COUNTRIES = [
    # code, packets, bytes, hosts
    ("US", 120000, 150000000, 40),
    ("DE", 45000, 52000000, 12),
    ("local", 30000, 9000000, 6),
    ("BR", 9000, 7400000, 5),
    ("CN", 5200, 3100000, 7),
    ("JP", 2100, 1900000, 3),
    ("GB", 1500, 1200000, 4),
    ("FR", 900, 700000, 2),
    ("IN", 450, 300000, 2),
    ("SG", 300, 250000, 1),     # too small to see: drawn as a dot
    ("RU", 120, 80000, 1),
    ("AU", 60, 40000, 1),
    ("unknown", 40, 3000, 2),
    ("ZA", 12, 2000, 1),
    ("MT", 7, 900, 1),          # Malta: a dot too
    ("CA", 3, 300, 1),
]

DOMAINS = [
    {"domain": "google.com", "aliases": ["googleusercontent.com", "gstatic.com"],
     "packets": 52000, "bytes": 61000000, "countries": ["US", "DE"],
     "os": ["Linux 3.11 and newer"], "apps": ["Chrome 11 or newer"],
     "dists": [12, 14]},
    {"domain": "netflix.com", "packets": 21000, "bytes": 30000000,
     "countries": ["US"], "os": [], "apps": [], "dists": [9]},
    {"domain": "<script>alert(1)</script>.example", "packets": 4000,
     "bytes": 200000, "countries": ["CN"], "os": ["Windows 7 or 8"],
     "apps": [], "dists": []},
    {"domain": "o'reilly.com", "packets": 1200, "bytes": 900000,
     "countries": ["US"], "os": ["Mac OS X"], "apps": ["Safari"],
     "dists": [17]},
    {"domain": "bücher.de", "packets": 800, "bytes": 640000,
     "countries": ["DE"], "os": [], "apps": [], "dists": [11]},
]

HOSTS = [
    {"addr": addr("142.250.74.46"), "country": "US",
     "os": "Linux 3.11 and newer", "os_class": "unix",
     "app": "Chrome 11 or newer", "dist": 12, "link": "Ethernet or modem",
     "mtu": 1500, "lang": "English", "uptime_min": 64870, "nat": True,
     "first_seen": ts(T0 + 3), "last_seen": ts(T0 + 59, 500000000),
     "domain": "google.com", "packets": 30000, "bytes": 40000000},
    {"addr": addr("2a00:1450:4001:82b::200e"), "country": "DE",
     "domain": "google.com", "packets": 9000, "bytes": 9000000},
    {"addr": addr("192.168.1.20"), "country": "local",
     "os": "Windows 7 or 8", "dist": 0, "packets": 8000,
     "bytes": 2000000},
]

OS = [
    {"os": "Linux 3.11 and newer", "class": "unix", "hosts": 31,
     "packets": 80000},
    {"os": "Windows 7 or 8", "class": "win", "hosts": 12, "packets": 30000},
    {"os": "Mac OS X", "class": "unix", "hosts": 4, "packets": 9000},
    {"os": "Android <b>x</b>", "class": "unix", "hosts": 2, "packets": 600},
]

APPS = [{"app": "TLS", "packets": 120000, "bytes": 150000000},
        {"app": "QUIC", "packets": 60000, "bytes": 52000000},
        {"app": "DNS", "packets": 30000, "bytes": 3000000},
        {"app": "other UDP", "packets": 4692, "bytes": 20976200}]
PORTS = [{"port": 443, "protocol": "tcp", "app": "TLS", "packets": 120000,
          "bytes": 150000000},
         {"port": 443, "protocol": "udp", "app": "QUIC", "packets": 60000,
          "bytes": 52000000},
         {"port": 53, "protocol": "udp", "app": "DNS", "packets": 30000,
          "bytes": 3000000},
         {"port": 33434, "protocol": "udp", "packets": 12, "bytes": 720}]

# The US's own lists (country_detail); DE has none, so its page falls
# back to the window's lists.  8.8.8.8 and youtube.com are only here.
DETAIL = [{"country": "US",
           "hosts": [HOSTS[0],
                     {"addr": addr("8.8.8.8"), "country": "US", "link": "DSL",
                      "mtu": 1492, "packets": 5000, "bytes": 600000}],
           "domains": [DOMAINS[0],
                       {"domain": "youtube.com", "packets": 4000,
                        "bytes": 5000000, "hosts": 2, "countries": ["US"],
                        "os": [], "apps": [], "dists": [10]}],
           "os": [{"os": "Linux 3.11 and newer", "class": "unix", "hosts": 20,
                   "packets": 70000}],
           "apps": [{"app": "TLS", "packets": 100000, "bytes": 130000000},
                    {"app": "QUIC", "packets": 20000, "bytes": 20000000}]}]

# Locations in the sea, away from coasts: the circle's own colour shows.
LOCATIONS = [{"lat": -30.0, "lon": -120.0, "city": "Pacific", "country": "US",
              "packets": 9000, "bytes": 900000, "hosts": 3},
             {"lat": 10.0, "lon": -35.0, "city": "Atlantic", "country": "BR",
              "packets": 100, "bytes": 10000, "hosts": 1}]

ORGS = [{"asn": 15169, "org": "Google LLC", "packets": 30000,
         "bytes": 40000000, "hosts": 1}]

# The active alerts as a snapshot lists them (without "type"), and the
# alert record tsa-aggregate wrote when the condition began to hold, at
# T0 + 42 s, before the first snapshot.
ALERTS = [
    {"alert": "syn_flood", "host_addr": addr("203.0.113.9"), "country": "NL",
     "reason": "1200 SYN but 3 ACK from 203.0.113.9 & friends <b>",
     "counts": {"syn": 1200, "ack": 3},
     "window_start": ts(T0), "window_end": ts(T0 + 60)},
]
ALERT_RECORD = dict(ALERTS[0], type="alert", counts={"syn": 1001, "ack": 3},
                    window_end=ts(T0 + 42))


def snapshot(k, empty=False, final=False):
    """Snapshot k (windows 10 s apart); final marks the stream's last, as
    tsa-aggregate marks the one it writes at the end of its input."""
    start = T0 + 10 * k
    more = {"final": True} if final else {}
    if empty:
        return {"type": "snapshot", "window_start": ts(start),
                "window_end": ts(start + 60), "window": "60s",
                "packets": 0, "bytes": 0, "countries": [], "domains": [],
                "hosts": [], "os": [], "alerts": [],
                "bandwidth": {"start": ts(start), "bucket_ns": 2400000000,
                              "bps": [], "bytes": [], "avg_bps": 0.0},
                **more}
    n = 25
    vol = [int(400000 + 300000 * ((i * 7) % 11) / 10) for i in range(n)]
    return {
        "type": "snapshot",
        "window_start": ts(start), "window_end": ts(start + 60),
        "window": "60s",
        "packets": sum(c[1] for c in COUNTRIES),
        "bytes": sum(c[2] for c in COUNTRIES),
        "countries": [{"country": c, "packets": p, "bytes": b, "hosts": h}
                      for c, p, b, h in COUNTRIES],
        "domains": DOMAINS, "hosts": HOSTS,
        "bandwidth": {"start": ts(start), "bucket_ns": 2400000000,
                      "bps": [v * 8 / 2.4 for v in vol], "bytes": vol,
                      "avg_bps": sum(vol) * 8 / 60.0},
        "os": OS, "apps": APPS, "ports": PORTS, "locations": LOCATIONS,
        "orgs": ORGS, "alerts": ALERTS, "country_detail": DETAIL, **more,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--empty", action="store_true")
    a = ap.parse_args()
    out = sys.stdout.buffer
    # (tsa-geo names its database: the map credits DB-IP)
    out.write(msgpack.packb({"tsa": 1, "kind": "snapshots",
                             "geo_databases": [{"type": "country ipvAll",
                                                "file": "dbip-country.mmdb"}],
                             "tools": [["snapshot.py"]]}))
    if not a.empty:
        out.write(msgpack.packb(ALERT_RECORD))
    for k in range(a.count):
        out.write(msgpack.packb(snapshot(k, a.empty, k == a.count - 1)))
    out.flush()


if __name__ == "__main__":
    main()
