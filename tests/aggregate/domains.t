#!/usr/bin/python3
"""Names, hosts, OS labels and the local side on streams built here: CNAME
chains, SNI, HTTP Host, aliases, address literals, the bounded cache, the
capturing-host guess, and streams without the geo and p0f keys."""
import os, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1700000000
ME = "192.168.1.10"


def resp(t, q, ips, cnames=()):
    r = pkt(t, "192.168.1.1", ME, 120, protocol="udp", src_port=53, dst_port=40000,
            application_type="dns", dns_query_resp="response", dns_query_names=[q],
            dns_resp_ips=list(ips))
    if cnames:
        r["dns_cnames"] = list(cnames)
    return r


def to(t, dst, n=1, length=100, **kw):
    return [pkt(t + i * 0.001, ME, dst, length, **kw) for i in range(n)]


recs = [
    # a CNAME chain: www.Example.COM -> edge.cdn-provider.net -> 1.1.1.1,
    # then the target asked on its own -> 2.2.2.2: both are example.com
    resp(T, "www.Example.COM", ["1.1.1.1"], ["edge.cdn-provider.net"]),
    resp(T + 0.1, "edge.cdn-provider.net", ["2.2.2.2"]),
    # a name that is a public suffix, and a single label, stay whole
    resp(T + 0.2, "co.uk", ["7.7.7.7"]),
    resp(T + 0.3, "intranet", ["8.8.4.4"]),
    # a.example.org, then SNI b.example.net for the same address: aliases
    resp(T + 0.4, "a.example.org", ["6.6.6.6"]),
] + to(T + 1, "1.1.1.1", 3) + to(T + 2, "2.2.2.2", 2, length=50) \
  + to(T + 3, "3.3.3.3", 1, tls_sni="api.GitHub.com") + to(T + 3.5, "3.3.3.3", 4) \
  + to(T + 4, "4.4.4.4", 2, http_host="WWW.BBC.CO.UK:8080") \
  + to(T + 5, "5.5.5.5", 2, http_host="5.5.5.5:80") \
  + to(T + 5.5, "9.9.9.9", 1, http_host="[2001:db8::1]:8080") \
  + to(T + 6, "6.6.6.6", 1) + to(T + 6.5, "6.6.6.6", 5, tls_sni="b.example.net") \
  + to(T + 7, "7.7.7.7", 1) + to(T + 7.5, "8.8.4.4", 1) \
  + to(T + 8, "192.168.1.20", 3, http_host="router.lan")
_, out = run(recs, "-w", "1h", "-e", "1h", "--top-domains", "100")
s = snapshots(out)[-1]
got = {d["domain"]: (d["packets"], d["bytes"], d["hosts"], d.get("aliases", []))
       for d in s["domains"]}
same("domains", got, {
    "example.com": (5, 400, 2, []),
    "github.com": (5, 500, 1, []),
    "bbc.co.uk": (2, 200, 1, []),
    "example.net": (6, 600, 1, ["example.org"]),
    "co.uk": (1, 100, 1, []),
    "intranet": (1, 100, 1, []),
})
hosts = {str(ipaddress.ip_address(h["addr"])): h.get("domain") for h in s["hosts"]}
same("address literals name nothing", (hosts["5.5.5.5"], hosts["9.9.9.9"]), (None, None))
same("local hosts are not in the hosts list", "192.168.1.20" in hosts or ME in hosts, False)
same("no geo keys: public addresses are unknown, private local",
     {c["country"]: c["packets"] for c in s["countries"]},
     {"unknown": 3 + 2 + 5 + 2 + 2 + 1 + 6 + 1 + 1, "local": 5 + 3})
same("no p0f keys: no OS table", s["os"], [])

# The cache holds DomainCacheSize addresses: the oldest names are forgotten.
recs = [resp(T + i, f"n{i}.example{i}.com", [f"10.1.0.{i}".replace("10.1", "11.1")])
        for i in range(20)] + [pkt(T + 30 + i, ME, f"11.1.0.{i}") for i in range(20)]
_, out = run(recs, "-w", "1h", "-e", "1h", "--top-domains", "100",
             settings="[aggregate]\nDomainCacheSize = 16\n")
names = sorted(d["domain"] for d in snapshots(out)[-1]["domains"])
same("cache of 16: the last 16 names kept", names,
     sorted(f"example{i}.com" for i in range(4, 20)))

# Many more names than the domain table holds (twice the caches): the ones
# the caches no longer refer to are collected, aliases among the rest kept.
n = 20000
recs = [resp(T + i * 0.001, f"www.d{i}.com", [f"11.{i >> 8 & 255}.{i & 255}.1"])
        for i in range(n)]
recs += [resp(T + 30, "alias.d0.org", [f"11.{(n - 1) >> 8 & 255}.{(n - 1) & 255}.1"])]
recs += [pkt(T + 40 + i, ME, f"11.{i >> 8 & 255}.{i & 255}.1") for i in range(n - 16, n)]
_, out = run(recs, "-w", "1h", "-e", "1h", "--top-domains", "100",
             settings="[aggregate]\nDomainCacheSize = 16\n")
got = sorted((d["domain"], tuple(d.get("aliases", []))) for d in snapshots(out)[-1]["domains"])
want = sorted([(f"d{i}.com", ()) for i in range(n - 16, n - 1)] + [("d0.org", (f"d{n - 1}.com",))])
same("collection: the cached names and their aliases", got, want)

# Geo and p0f keys, as tsa-geo and tsa-p0f add them.
recs = [pkt(T + i, ME, "1.1.1.1", 100, src_scope="private", dst_country="AU",
            dst_os="Linux 3.11 and newer", dst_os_class="unix", dst_dist=12,
            dst_app="nginx 1.x", src_os="Windows 7 or 8", src_os_class="win")
        for i in range(3)] + \
       [pkt(T + 5, ME, "2.2.2.2", 100, dst_country="FR", dst_os="Linux 3.11 and newer",
            dst_os_class="unix", dst_dist=7)] + \
       [resp(T + 6, "one.one.example", ["1.1.1.1", "2.2.2.2"])]
_, out = run(recs, "-w", "1h", "-e", "1h")
s = snapshots(out)[-1]
same("countries from the geo keys",
     sorted((c["country"], c["packets"], c["hosts"]) for c in s["countries"]),
     [("AU", 3, 1), ("FR", 1, 1), ("local", 1, 2)])   # the DNS answer, both ends local
h = {str(ipaddress.ip_address(x["addr"])): x for x in s["hosts"]}["1.1.1.1"]
same("host: country, OS, class, app, distance",
     (h["country"], h["os"], h["os_class"], h["app"], h["dist"], h["domain"], h["packets"]),
     ("AU", "Linux 3.11 and newer", "unix", "nginx 1.x", 12, "one.example", 3))
# The security view's facts, from tsa-p0f's endpoint keys: the last said
# (uptime, link, language), NAT once said; first and last seen.  In a
# sliding window first_seen is the first packet since the host last had
# none in the window.
recs = [pkt(T + 1, ME, "3.3.3.3", dst_link="DSL", dst_uptime_min=100,
            dst_lang="German"),
        pkt(T + 2, "3.3.3.3", ME, src_link="Ethernet or modem",
            src_uptime_min=101, src_nat=True),
        pkt(T + 4.5, ME, "3.3.3.3"),
        pkt(T + 30, ME, "3.3.3.3"), pkt(T + 31, ME, "3.3.3.3")]
_, out = run(recs, "-w", "all")
h = snapshots(out)[-1]["hosts"][0]
same("host facts: link, uptime, language, NAT, first and last seen",
     (h.get("link"), h.get("uptime_min"), h.get("lang"), h.get("nat"),
      sec(h["first_seen"]), sec(h["last_seen"])),
     ("Ethernet or modem", 101, "German", True, T + 1, T + 31))
_, out = run(recs[:1] + recs[3:], "-w", "10s", "-e", "10s")
seen = [(sec(s["window_end"]), sec(x["first_seen"]), sec(x["last_seen"]))
        for s in snapshots(out) for x in s["hosts"]]
same("sliding window: seen since the host came back into it", seen,
     [(T + 10, T + 1, T + 1), (T + 31, T + 30, T + 31)])
# Locations: remote hosts with coordinates, by cells of 0.1 degree, named
# after the host with most packets; a host without coordinates in none.
recs = [pkt(T + 1, ME, "5.5.5.1", dst_lat=51.5012, dst_lon=-0.1246,
            dst_city="London", dst_country="GB"),
        pkt(T + 2, ME, "5.5.5.2", dst_lat=51.4803, dst_lon=-0.1413,
            dst_city="Battersea", dst_country="GB"),
        pkt(T + 3, ME, "5.5.5.2", dst_lat=51.4803, dst_lon=-0.1413),
        pkt(T + 4, ME, "6.6.6.6", 300, dst_lat=48.8566, dst_lon=2.3522,
            dst_city="Paris", dst_country="FR"),
        pkt(T + 5, ME, "7.7.7.7", dst_country="DE")]
_, out = run(recs, "-w", "all")
locs = snapshots(out)[-1]["locations"]
same("locations: cells of 0.1 degree, by packets, named after their top host",
     [(l["lat"], l["lon"], l.get("city"), l["country"], l["packets"],
       l["bytes"], l["hosts"]) for l in locs],
     [(51.4803, -0.1413, "Battersea", "GB", 3, 300, 2),
      (48.8566, 2.3522, "Paris", "FR", 1, 300, 1)])
recs = [pkt(T + 1, ME, "5.5.5.1", dst_asn=3320, dst_as_org="Telekom"),
        pkt(T + 2, ME, "5.5.5.2", dst_asn=3320, dst_as_org="Deutsche Telekom"),
        pkt(T + 3, ME, "5.5.5.2", 50), pkt(T + 4, ME, "6.6.6.6", 400,
                                             dst_asn=15169),
        pkt(T + 5, ME, "7.7.7.7")]
_, out = run(recs, "-w", "all")
same("orgs: by AS, named after their top host, by packets",
     [(o["asn"], o.get("org"), o["packets"], o["bytes"], o["hosts"])
      for o in snapshots(out)[-1]["orgs"]],
     [(3320, "Deutsche Telekom", 3, 250, 2), (15169, None, 1, 400, 1)])
d = s["domains"][0]
same("domain: countries, OS, apps, distances of its hosts",
     (d["domain"], sorted(d["countries"]), d["os"], d["apps"], sorted(d["dists"]), d["hosts"]),
     ("one.example", ["AU", "FR"], ["Linux 3.11 and newer"], ["nginx 1.x"], [7, 12], 2))
same("OS table: local hosts too",
     sorted((o["os"], o.get("class"), o["hosts"], o["packets"]) for o in s["os"]),
     [("Linux 3.11 and newer", "unix", 2, 4), ("Windows 7 or 8", "win", 1, 5)])

# The capturing host guess: a public address in every packet becomes local
# once it is in 90% of 50 packets; before that it counted as remote.
recs = [pkt(T + i * 0.01, "1.2.3.4", f"5.6.{i % 100}.1", 60, src_country="US",
            dst_country="DE") for i in range(500)]
_, out = run(recs, "-w", "1h", "-e", "1h")
s = snapshots(out)[-1]
same("guess: capturing host's country only before the guess",
     {c["country"]: c["packets"] for c in s["countries"]}, {"DE": 500, "US": 50})
same("guess: not among the remote hosts",
     "1.2.3.4" in [str(ipaddress.ip_address(x["addr"])) for x in s["hosts"]], False)
_, out = run(recs, "-w", "1h", "-e", "1h", "-l", "1.2.3.0/24")
same("LocalNetworks: exactly the list",
     {c["country"]: c["packets"] for c in snapshots(out)[-1]["countries"]}, {"DE": 500})
_, out = run(recs, "-w", "1h", "-e", "1h", "-l", "10.0.0.0/8")
same("LocalNetworks: no guess",
     {c["country"]: c["packets"] for c in snapshots(out)[-1]["countries"]},
     {"DE": 500, "US": 500})
done()
