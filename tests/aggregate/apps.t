#!/usr/bin/python3
# Applications and server ports (docs/stream.md "Applications and ports"),
# against the rule computed here from the packet records themselves: the
# whole stream's apps and top ports exactly; a sliding window's apps add
# up to its packets and bytes; --merge adds them up.
import collections
import os
import subprocess
import sys

import msgpack

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


UDP = {53: "DNS", 5353: "mDNS", 5355: "LLMNR", 443: "QUIC", 123: "NTP",
       67: "DHCP", 68: "DHCP", 546: "DHCP", 547: "DHCP", 1900: "SSDP",
       137: "NetBIOS", 138: "NetBIOS", 161: "SNMP", 162: "SNMP",
       500: "IPsec", 4500: "IPsec", 1194: "OpenVPN", 51820: "WireGuard",
       3478: "STUN", 19302: "STUN", 5060: "SIP", 514: "syslog",
       88: "Kerberos", 389: "LDAP"}
TCP = {53: "DNS", 80: "HTTP", 8080: "HTTP", 443: "TLS", 8443: "TLS",
       22: "SSH", 25: "SMTP", 465: "SMTP", 587: "SMTP", 110: "POP3",
       995: "POP3", 143: "IMAP", 993: "IMAP", 445: "SMB", 139: "NetBIOS",
       3389: "RDP", 20: "FTP", 21: "FTP", 23: "Telnet", 853: "DNS over TLS",
       5060: "SIP", 5061: "SIP", 389: "LDAP", 636: "LDAP", 88: "Kerberos",
       1883: "MQTT", 8883: "MQTT", 179: "BGP", 1194: "OpenVPN"}


def classify(r):
    proto = r.get("protocol")
    table = TCP if proto == "tcp" else UDP if proto == "udp" else None
    sp, dp = r.get("src_port"), r.get("dst_port")
    port = None
    if table is not None and sp is not None and dp is not None:
        fl = r.get("tcp_flags")
        if proto == "tcp" and fl is not None and fl & 0x02:
            port = sp if fl & 0x10 else dp
        elif (sp < 1024) != (dp < 1024):
            port = min(sp, dp)
        elif (sp in table) != (dp in table):
            port = sp if sp in table else dp
        else:
            port = min(sp, dp)
    elif table is not None:
        port = dp if dp is not None else sp
    at = r.get("application_type")
    if at == "dns":
        app = {5353: "mDNS", 5355: "LLMNR"}.get(port, "DNS")
    elif at == "http":
        app = "HTTP"
    elif at == "tls":
        app = "TLS"
    elif proto in ("icmp", "icmpv6"):
        app = "ICMP"
    elif table is None:
        app = "other IP"
    else:
        app = table.get(port, "other TCP" if proto == "tcp" else "other UDP")
    return app, (proto, port) if table is not None and port else None


def records(path):
    with open(path, "rb") as f:
        u = msgpack.Unpacker(f, raw=False)
        next(u)
        return list(u)


pcap = os.path.join(TMP, "g.pcap")
pk = os.path.join(TMP, "p.tsa")
subprocess.run([os.path.join(BIN, "tsa-gen"), "--packets", "30000", "--seed",
                "7", "-o", pcap], check=True)
with open(pk, "wb") as f:
    subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-r", pcap],
                   stdout=f, check=True)
pkts = [r for r in records(pk) if "type" not in r]
check(len(pkts) > 20000, "%d packet records" % len(pkts))

apps, ports = collections.Counter(), collections.Counter()
abytes, pbytes = collections.Counter(), collections.Counter()
for r in pkts:
    app, port = classify(r)
    apps[app] += 1
    abytes[app] += r["length"]
    if port:
        ports[port] += 1
        pbytes[port] += r["length"]


def snaps(args, inp):
    out = subprocess.run([os.path.join(BIN, "tsa-aggregate")] + args + [inp],
                         capture_output=True, check=True).stdout
    u = msgpack.Unpacker(raw=False)
    u.feed(out)
    return [r for r in u if r.get("type") == "snapshot"]


s = snaps([], pk)[-1]
got = {a["app"]: (a["packets"], a["bytes"]) for a in s["apps"]}
check(got == {a: (apps[a], abytes[a]) for a in apps},
      "whole stream: apps %s" % sorted(got.items())[:4])
check([a["packets"] for a in s["apps"]] ==
      sorted((a["packets"] for a in s["apps"]), reverse=True),
      "apps by packets")
top = sorted(ports, key=lambda k: (-ports[k], -pbytes[k]))[:20]
want = [(p, pr, ports[(pr, p)], pbytes[(pr, p)]) for pr, p in top]
gotp = [(e["port"], e["protocol"], e["packets"], e["bytes"])
        for e in s["ports"]]
# Ties at the cut may fall either way: compare the counts in order.
check([w[2:] for w in want] == [g[2:] for g in gotp] and
      set(gotp[:10]) == set(want[:10]),
      "whole stream: top 20 ports %s" % gotp[:3])
check(all(e.get("app") == (TCP if e["protocol"] == "tcp" else UDP)
          .get(e["port"]) for e in s["ports"]), "each port's service named")
check(len({a for a in apps}) >= 5, "several applications: %s"
      % sorted(apps))

for s in snaps(["-w", "5s", "-e", "2s"], pk):
    if (sum(a["packets"] for a in s["apps"]), sum(a["bytes"] for a in
        s["apps"])) != (s["packets"], s["bytes"]):
        check(False, "sliding window: apps add up to the window")
        break
else:
    check(True, "sliding window: apps add up to the window, every snapshot")

whole = os.path.join(TMP, "s.tsa")
with open(whole, "wb") as f:
    subprocess.run([os.path.join(BIN, "tsa-aggregate"), pk], stdout=f,
                   check=True)
m = snaps(["--merge", whole], whole)[-1]
check({a["app"]: a["packets"] for a in m["apps"]} ==
      {a: 2 * apps[a] for a in apps}, "--merge adds the apps up")
check([(e["port"], e["packets"]) for e in m["ports"]] ==
      [(g[0], 2 * g[2]) for g in gotp], "--merge adds the ports up")
done()
