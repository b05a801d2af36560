#!/usr/bin/python3
# The snapshot's per-country detail (docs/stream.md "country_detail"),
# against what is computed here from the packets put in: which countries
# get one (the top DetailCountries by packets), each one's hosts (all of
# them, and the top DetailTop in order), the OS of its hosts, the
# applications of its packets; in a sliding window every country's
# applications add up to its packets; --merge adds the details up; a
# host's MTU comes from its host record.
import collections
import ipaddress
import random

from agg import *  # noqa: F403

T = 1700000000.0
rng = random.Random(19)
CCS = ["US", "DE", "FR", "JP", "BR", "IN", "NL", "GB", "SE", "KR", "AU", "CA"]
LOCAL = ["10.0.0.%d" % i for i in range(1, 6)]
# Each remote host: its country, OS, and the application it serves.
APPS = {"HTTP": ("tcp", 80, "http"), "TLS": ("tcp", 443, "tls"),
        "DNS": ("udp", 53, "dns"), "SSH": ("tcp", 22, None),
        "NTP": ("udp", 123, None)}
remote = {}
for i in range(150):
    a = "%d.%d.%d.%d" % (20 + i % 7, i, 3 * i % 251, 1 + i % 250)
    # skewed: the first countries have more hosts and more traffic
    cc = CCS[min(int(rng.expovariate(0.35)), len(CCS) - 1)]
    remote[a] = (cc, rng.choice(["Linux 3.x", "Windows 7 or 8", "Mac OS X"]),
                 rng.choice(sorted(APPS)))

recs = [{"type": "host", "addr": addr(a), "mtu": 1400 + ord(cc[0])}
        for a, (cc, _, _) in sorted(remote.items())]
pk = []     # (time, remote, app, length, outbound)
for k in range(4000):
    a = rng.choice(sorted(remote)) if rng.random() < 0.5 else \
        sorted(remote)[int(rng.expovariate(0.05)) % len(remote)]
    cc, os_, app = remote[a]
    proto, port, at = APPS[app]
    out = rng.random() < 0.5
    me = rng.choice(LOCAL)
    src, dst = (me, a) if out else (a, me)
    kw = {"protocol": proto, "src_port": 40000 + k % 1000 if out else port,
          "dst_port": port if out else 40000 + k % 1000,
          "dst_country" if out else "src_country": cc,
          "dst_os" if out else "src_os": os_}
    if at:
        kw["application_type"] = at
    if proto == "tcp":
        kw["tcp_flags"] = 0x18
    length = 60 + rng.randrange(1400)
    t = T + k * 0.01
    recs.append(pkt(t, src, dst, length, **kw))
    pk.append((t, a, app, length))

# What the snapshot must say, computed from pk.
c_packets, c_apps = collections.Counter(), collections.defaultdict(collections.Counter)
h_packets, h_bytes = collections.Counter(), collections.Counter()
for t, a, app, length in pk:
    cc = remote[a][0]
    c_packets[cc] += 1
    c_apps[cc][app] += 1
    h_packets[a] += 1
    h_bytes[a] += length
order = sorted(c_packets, key=lambda c: (-c_packets[c], c))


def key(a):
    return (-h_packets[a], -h_bytes[a], ipaddress.ip_address(a).packed)


def hosts_of(cc):
    return sorted((a for a in h_packets if remote[a][0] == cc), key=key)


def name(h):
    return str(ipaddress.ip_address(h["addr"]))


args = ["-l", "10.0.0.0/8"]
s = snapshots(run(recs, *args, "--detail-countries", "1000",
                  "--detail-top", "1000")[1])[-1]
det = s["country_detail"]
same("every country with remote hosts has a detail, by packets",
     [d["country"] for d in det], order)
for d in det:
    cc = d["country"]
    want = hosts_of(cc)
    if [name(h) for h in d["hosts"]] != want or \
       [h["packets"] for h in d["hosts"]] != [h_packets[a] for a in want]:
        check(False, "%s: its hosts, in order, with their packets" % cc)
        break
    if {a["app"]: a["packets"] for a in d["apps"]} != dict(c_apps[cc]):
        check(False, "%s: its applications %s" % (cc, d["apps"]))
        break
    oss = collections.Counter(remote[a][1] for a in want)
    osp = collections.Counter()
    for a in want:
        osp[remote[a][1]] += h_packets[a]
    if {o["os"]: (o["hosts"], o["packets"]) for o in d["os"]} != \
       {o: (oss[o], osp[o]) for o in oss}:
        check(False, "%s: the OS of its hosts %s" % (cc, d["os"]))
        break
    if any(h["country"] != cc or h.get("mtu") != 1400 + ord(cc[0])
           for h in d["hosts"]):
        check(False, "%s: its hosts' country and MTU" % cc)
        break
else:
    check(True, "%d countries: hosts, applications and OS as put in" % len(det))
check(all(h.get("mtu") for h in s["hosts"]),
      "the top hosts carry the MTU of their host records")

# The bounds: DetailCountries countries, DetailTop hosts each.
s = snapshots(run(recs, *args, "--detail-countries", "3",
                  "--detail-top", "4")[1])[-1]
same("--detail-countries 3: the top three", [d["country"] for d in
     s["country_detail"]], order[:3])
same("--detail-top 4: each one's top four hosts",
     [[name(h) for h in d["hosts"]] for d in s["country_detail"]],
     [hosts_of(cc)[:4] for cc in order[:3]])
s = snapshots(run(recs, *args, settings="[aggregate]\nDetailCountries = 0\n")[1])[-1]
same("DetailCountries = 0 in the settings: no detail", s["country_detail"], [])

# A sliding window: each country's applications are its packets.
bad = []
snaps = snapshots(run(recs, *args, "-w", "5s", "-e", "2s")[1])
for s in snaps:
    cp = {c["country"]: c["packets"] for c in s["countries"]}
    for d in s["country_detail"]:
        if sum(a["packets"] for a in d["apps"]) != cp[d["country"]]:
            bad.append((s["window_end"], d["country"]))
check(not bad and len(snaps) > 10,
      "sliding window, %d snapshots: each country's applications add up "
      "to its packets %s" % (len(snaps), bad[:3]))

# --merge: one sensor's snapshot twice is every count twice.
one = os.path.join(TMP, "one.tsa")
p = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "-l", "10.0.0.0/8"],
                   input=stream(recs), capture_output=True, check=True)
with open(one, "wb") as f:
    f.write(p.stdout)
s1 = snapshots(read(p.stdout)[1])[-1]
m = snapshots(run([], "--merge", one, one)[1])[-1]


def doubled(d):
    return {"country": d["country"],
            "hosts": [(h["addr"], 2 * h["packets"], h.get("mtu")) for h in d["hosts"]],
            "apps": {a["app"]: 2 * a["packets"] for a in d["apps"]},
            "os": {o["os"]: 2 * o["packets"] for o in d["os"]}}


def flat(d):
    return {"country": d["country"],
            "hosts": [(h["addr"], h["packets"], h.get("mtu")) for h in d["hosts"]],
            "apps": {a["app"]: a["packets"] for a in d["apps"]},
            "os": {o["os"]: o["packets"] for o in d["os"]}}


same("--merge of a snapshot with itself: each detail's counts doubled",
     [flat(d) for d in m["country_detail"]],
     [doubled(d) for d in s1["country_detail"]])
done()
