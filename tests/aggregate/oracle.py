#!/usr/bin/python3
"""
Independent expectations for tsa-aggregate, from tshark's fields,
mmdblookup and the public suffix list read here, for the window that covers
a whole capture, tsa-aggregate's default for a file (docs/stream.md,
"Snapshot records").

  oracle.py expect PCAP MMDB LOCALNETS   print the expected figures (JSON)
  oracle.py check EXPECTED SNAPSHOTS MIN compare with the final snapshot, which
                                         must be the only one; at least MIN
                                         packets must have been compared
"""
import ipaddress, json, subprocess, sys

import msgpack

PSL = "/usr/share/publicsuffix/public_suffix_list.dat"


def load_psl():
    rules = set()
    with open(PSL, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            rule = line.split()[0].lower()
            try:        # names on the wire are punycode
                rule = ".".join(l if l.isascii() else l.encode("idna").decode()
                                for l in rule.split("."))
            except UnicodeError:
                pass
            rules.add(rule)
    return rules


def registrable(name, rules):
    """The PSL algorithm: prevailing rule (exceptions first, then the
    longest match, else "*"), then one label more; None if there is none."""
    labels = name.split(".")
    best = 1                  # the implicit "*" rule
    for i in range(len(labels)):
        cand = labels[i:]
        suffix = ".".join(cand)
        if "!" + suffix in rules:
            best = len(cand) - 1
            break
        wild = ".".join(["*"] + cand[1:])
        if suffix in rules or (len(cand) > 1 and wild in rules):
            best = max(best, len(cand))
    if len(labels) <= best:
        return None
    return ".".join(labels[-(best + 1):])


def hostname(s, port):
    if port:
        if s.startswith("["):
            return None
        head, sep, tail = s.rpartition(":")
        if sep and tail.isdigit() and head:
            s = head
    s = s.rstrip(".").lower()
    if not s or len(s) > 253:
        return None
    if any(not (c.isalnum() and c.isascii()) and c not in "-_." for c in s):
        return None
    try:
        ipaddress.ip_address(s)
        return None
    except ValueError:
        return s


FIELDS = ["frame.time_epoch", "frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "dns.flags.response", "dns.count.answers", "dns.qry.name",
          "dns.resp.type", "dns.a", "dns.aaaa", "dns.cname",
          "tls.handshake.type", "tls.handshake.extensions_server_name",
          "http.request", "http.host"]


def tshark(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "ip.defragment:FALSE",
           "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
           "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        vals = line.split("\t")
        yield {f: (v.split("|") if v else []) for f, v in zip(FIELDS, vals)}


def ns(epoch):
    """tshark's frame.time_epoch (seconds, 9 decimals) in ns, exactly."""
    sec, _, frac = epoch.partition(".")
    neg = sec.startswith("-")
    v = abs(int(sec)) * 10**9 + int((frac + "000000000")[:9])
    return -v if neg else v


def country_of(addrs, mmdb):
    cc = {}
    for a in addrs:
        out = subprocess.run(["mmdblookup", "--file", mmdb, "--ip", a, "country_code"],
                             capture_output=True, text=True).stdout
        parts = out.split('"')
        cc[a] = parts[1] if len(parts) >= 3 else None
    return cc


def public(a):
    ip = ipaddress.ip_address(a)
    return ip.is_global and not ip.is_multicast


def expect(pcap, mmdb, localnets):
    nets = [ipaddress.ip_network(n) for n in localnets.split(",")]
    rules = load_psl()
    pkts = []
    for f in tshark(pcap):
        if f["ip.src"]:
            src, dst = f["ip.src"][0], f["ip.dst"][0]
        elif f["ipv6.src"]:
            src, dst = f["ipv6.src"][0], f["ipv6.dst"][0]
        else:
            continue
        pkts.append((src, dst, int(f["frame.len"][0]), f))
    times = [ns(f["frame.time_epoch"][0]) for _, _, _, f in pkts]
    addrs = {a for s, d, _, _ in pkts for a in (s, d)}
    cc = country_of([a for a in addrs if public(a)], mmdb)

    def local(a):
        ip = ipaddress.ip_address(a)
        return any(ip.version == n.version and ip in n for n in nets)

    def key(a):
        if not public(a):
            return "local"
        return cc.get(a) or "unknown"

    countries, chosts = {}, {}
    hostpk, hostby = {}, {}
    for src, dst, length, _ in pkts:
        for a in {src, dst}:
            hostpk[a] = hostpk.get(a, 0) + 1
            hostby[a] = hostby.get(a, 0) + length
        remote = [a for a in (src, dst) if not local(a)]
        if not remote:
            keys = {"local"}
            chosts.setdefault("local", set()).update((src, dst))
        else:
            keys = set()
            for a in remote:
                keys.add(key(a))
                chosts.setdefault(key(a), set()).add(a)
        for k in keys:
            c = countries.setdefault(k, [0, 0])
            c[0] += 1
            c[1] += length

    # names, in packet order, as a cache of address -> domain with aliases
    parent, cache, cname = {}, {}, {}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    def dom(name, port=False):
        h = hostname(name, port)
        if h is None:
            return None
        d = registrable(h, rules) or h
        parent.setdefault(d, d)
        return d

    def setname(addr, d):
        old = cache.get(addr)
        if old is not None and old != d:
            ra, rb = find(old), find(d)
            if ra != rb:
                parent[rb] = ra
        cache[addr] = d

    def norm(a):
        return str(ipaddress.ip_address(a))

    for src, dst, _, f in pkts:
        if f["dns.flags.response"][:1] == ["1"] and f["dns.qry.name"]:
            q = f["dns.qry.name"][0].rstrip(".").lower()
            d = cname.get(q) or dom(f["dns.qry.name"][0])
            if d:
                nans = int(f["dns.count.answers"][0]) if f["dns.count.answers"] else 0
                types = f["dns.resp.type"][:nans]
                na, naaaa, ncn = types.count("1"), types.count("28"), types.count("5")
                for c in f["dns.cname"][:ncn]:
                    cname[c.rstrip(".").lower()] = d
                for a in f["dns.a"][:na] + f["dns.aaaa"][:naaaa]:
                    setname(norm(a), d)
        if "1" in f["tls.handshake.type"] and f["tls.handshake.extensions_server_name"]:
            d = dom(f["tls.handshake.extensions_server_name"][0])
            if d:
                setname(dst, d)
        if f["http.request"] and f["http.host"]:
            d = dom(f["http.host"][0], port=True)
            if d:
                setname(dst, d)

    groups = {}
    for a in hostpk:
        if local(a) or a not in cache:
            continue
        g = groups.setdefault(find(cache[a]), [0, 0, 0])
        g[0] += hostpk[a]
        g[1] += hostby[a]
        g[2] += 1
    members = {}
    for d in parent:
        members.setdefault(find(d), set()).add(d)
    return {
        "packets": len(pkts),
        "bytes": sum(p[2] for p in pkts),
        "first": min(times, default=None),
        "last": max(times, default=None),
        "frames": [[t, p[2]] for t, p in zip(times, pkts)],
        "countries": {k: [v[0], v[1], len(chosts[k])] for k, v in countries.items()},
        "domains": sorted([sorted(members[r]), v[0], v[1], v[2]] for r, v in groups.items()),
    }


def snapshots(path):
    with open(path, "rb") as f:
        u = msgpack.Unpacker(f, raw=False, strict_map_key=False)
        header = next(u)
        assert header["kind"] == "snapshots", header
        return [r for r in u if r.get("type") == "snapshot"]


def tns(t):
    return t.seconds * 10**9 + t.nanoseconds


def check(expected_path, snaps_path, least):
    with open(expected_path) as f:
        exp = json.load(f)
    snaps = snapshots(snaps_path)
    bad = 0

    def same(what, got, want):
        nonlocal bad
        if got != want:
            print(f"{what}: got {got}, expected {want}")
            bad += 1

    if exp["packets"] < least:
        print(f"tshark decodes {exp['packets']} IP packets, fewer than {least}")
        return 1
    # A file is one window, from its first packet to its last, in one snapshot.
    same("snapshots", [(x["window"], x.get("final")) for x in snaps], [("all", True)])
    if not snaps:
        return 1
    s = snaps[-1]
    same("packets", s["packets"], exp["packets"])
    same("bytes", s["bytes"], exp["bytes"])
    same("window start: the first packet", tns(s["window_start"]), exp["first"])
    same("window end: the last packet", tns(s["window_end"]), exp["last"])
    # Bandwidth: buckets from the first packet, over the whole span; each
    # bucket holds the bytes of the packets within its bounds.
    bw = s["bandwidth"]
    start, width, n = tns(bw["start"]), bw["bucket_ns"], len(bw["bytes"])
    same("bandwidth: starts at the first packet", start, exp["first"])
    same("bandwidth: the buckets cover the span", width * n > exp["last"] - start, True)
    same("bandwidth: bucket bytes add up to the total", sum(bw["bytes"]), exp["bytes"])
    want, outside = [0] * n, 0
    for t, length in exp["frames"]:
        i = (t - start) // width
        if 0 <= i < n:
            want[i] += length
        else:
            outside += 1
    same("bandwidth: packets outside the buckets", outside, 0)
    same("bandwidth: bytes per bucket", bw["bytes"], want)
    span = (exp["last"] - exp["first"]) / 1e9
    same("bandwidth: average over the span",
         abs(bw["avg_bps"] - exp["bytes"] * 8 / span) <= 1e-9 * bw["avg_bps"] if span else
         bw["avg_bps"] == 0, True)
    got = {c["country"]: [c["packets"], c["bytes"], c["hosts"]] for c in s["countries"]}
    same("countries", got, exp["countries"])
    order = [c["packets"] for c in s["countries"]]
    same("countries sorted", order, sorted(order, reverse=True))
    got = sorted([sorted([d["domain"]] + d.get("aliases", [])), d["packets"], d["bytes"],
                  d["hosts"]] for d in s["domains"])
    same("domains", got, exp["domains"])
    print(f"{len(exp['countries'])} countries, {len(exp['domains'])} domains, "
          f"{exp['packets']} packets compared")
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "expect":
        json.dump(expect(*sys.argv[2:5]), sys.stdout, indent=1, sort_keys=True)
    elif sys.argv[1] == "check":
        sys.exit(1 if check(sys.argv[2], sys.argv[3], int(sys.argv[4])) else 0)
