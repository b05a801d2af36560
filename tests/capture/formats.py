#!/usr/bin/python3
"""Inputs and the stream around the packet records: the header, the final
stats record, reading stdin, -c, filter expressions (against tcpdump as the
oracle), and the settings that choose the input."""
import io
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
tsatest.need_pcaps()
TMP = os.environ.get("TSA_TMP", "/tmp")
CAP = os.path.join(BIN, "tsa-capture")
from tsatest import check, done  # noqa: E402


def run(args, stdin=None, ok=True):
    p = subprocess.run([CAP] + args, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if ok and p.returncode != 0:
        raise SystemExit("tsa-capture %s: status %d: %s" %
                         (args, p.returncode, p.stderr.decode()))
    return p, tsatest.maps(p.stdout)


def pcap(name):
    return os.path.join(PCAPS, name)


# Header: link type as libpcap reports it (LINKTYPE_RAW 101 is DLT_RAW 12),
# snapshot length as capinfos reads it from the file header.
LINK = {"zeek-wikipedia.pcap": 1, "ppp-sll.pcap": 113,
        "suri-decode-sll2-02.pcap": 276, "ppp-raw_ip.pcap": 12,
        "dnscap-frags.pcap": 228, "gopacket-test_loopback.pcap": 0,
        "arkime-80211http.pcap": 127}
for name, dlt in LINK.items():
    _, recs = run(["-q", "-r", pcap(name)])
    h = recs[0]
    snap = subprocess.run(["capinfos", "-l", "-T", "-r", pcap(name)],
                          stdout=subprocess.PIPE, check=True
                          ).stdout.decode().split("\t")[1].strip()
    check(h["tsa"] == 1 and h["kind"] == "packets" and h["link_type"] == dlt
          and str(h["snaplen"]) == snap and h["source"] == pcap(name)
          and h["tools"] == [[CAP, "-q", "-r", pcap(name)]],
          "%s header %r" % (name, h))

# The final stats record against tshark's count of frames with IP.
for name in ("zeek-wikipedia.pcap", "ppp-sll.pcap", "ndpi-zoom.pcap",
             "zeek-tcp-truncated-header.pcap"):
    _, recs = run(["-q", "-r", pcap(name)])
    pkts = [r for r in recs[1:] if "type" not in r]
    stats = recs[-1]
    out = subprocess.run(["tshark", "-r", pcap(name), "-T", "fields",
                          "-e", "frame.protocols", "-e", "frame.cap_len",
                          "-e", "frame.len"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         check=True).stdout.decode().splitlines()
    ip = sum(1 for l in out if ":ip:" in l or ":ipv6:" in l or
             l.startswith(("ip:", "ipv6:")))
    trunc = sum(1 for l in out if int(l.split("\t")[1]) < int(l.split("\t")[2]))
    check(stats["type"] == "stats" and stats["final"] is True and
          stats["decoded"] == len(pkts) == ip and
          stats["non_ip"] == len(out) - ip and stats["truncated"] == trunc and
          "received" not in stats and
          stats["time"] == pkts[-1]["timestamp"],
          "%s stats %r (tshark: %d frames, %d IP, %d truncated)" %
          (name, stats, len(out), ip, trunc))
    check(sum(1 for r in pkts if r.get("truncated")) == trunc,
          "%s: %d records marked truncated" % (name, trunc))

# stdin gives the same records.
name = pcap("ppp-nanosecs_big_endian.pcap")
_, a = run(["-q", "-r", name])
with open(name, "rb") as f:
    _, b = run(["-q", "-r", "-"], stdin=f)
check(a[1:] == b[1:] and b[0]["source"] == "stdin", "stdin: %d records" % len(b))
# nanosecond timestamps of the big-endian nanosecond file, as tshark has them
want = subprocess.run(["tshark", "-r", name, "-T", "fields", "-e",
                       "frame.time_epoch"], stdout=subprocess.PIPE,
                      stderr=subprocess.DEVNULL, check=True).stdout.decode().split()
got = ["%d.%09d" % (r["timestamp"].seconds, r["timestamp"].nanoseconds)
       for r in a[1:] if "type" not in r]
check(got == want and any(not t.endswith("000") for t in got),
      "nanosecond times %s..." % got[:2])

# Without a terminal on stderr there is no progress display (and no -q).
p, _ = run(["-r", pcap("ppp-example.pcap")])
check(p.stderr == b"", "stderr stays empty when it is not a terminal")

# -c N: N frames (IP or not).
_, recs = run(["-q", "-c", "25", "-r", pcap("zeek-wikipedia.pcap")])
s = recs[-1]
check(s["decoded"] + s["non_ip"] == 25, "-c 25: %r" % s)

# A filter expression, for files: tcpdump applies the same one as oracle.
TCP_SYN = ["tcp", "port", "80", "and", "tcp[tcpflags]", "&", "tcp-syn", "!=", "0"]
VLAN_DNS = ["vlan", "and", "udp", "port", "53"]
for name, expr in (("ppp-example.pcap", TCP_SYN), ("ndpi-alexa-app.pcapng", TCP_SYN),
                   ("dnscap-vlan11.pcap", VLAN_DNS), ("ndpi-zoom.pcap", ["vlan"])):
    filtered = os.path.join(TMP, "filtered.pcap")
    subprocess.run(["tcpdump", "-r", pcap(name), "-w", filtered] + expr,
                   stderr=subprocess.DEVNULL, check=True)
    _, a = run(["-q", "-r", pcap(name)] + expr)
    _, b = run(["-q", "-r", filtered])
    check(a[1:-1] == b[1:-1] and len(a) > 2 and
          a[0]["tools"][0][-len(expr):] == expr,
          "%s with filter %s: %d records, as tcpdump selects" %
          (name, " ".join(expr), len(a) - 2))

# Settings: [app] InitFileLocation is read when neither -r nor -i is given,
# relative to the settings file; UseLiveCapture = true captures on
# CaptureInterface instead.
ini = os.path.join(TMP, "settings.ini")
with open(ini, "w") as f:
    f.write("[app]\nUseLiveCapture = false\nInitFileLocation = %s\n" %
            os.path.relpath(pcap("zeek-http-qinq.pcap"), TMP))
_, a = run(["-q", "--settings", ini])
_, b = run(["-q", "-r", pcap("zeek-http-qinq.pcap")])
check(a[1:] == b[1:] and len(a) == 16, "InitFileLocation: %d records" % (len(a) - 2))
with open(ini, "w") as f:
    f.write("[app]\nUseLiveCapture = true\nCaptureInterface = nosuch7\n")
p, _ = run(["-q", "--settings", ini], ok=False)
check(p.returncode == 1 and p.stderr.decode() ==
      "tsa-capture: nosuch7: no such interface\n",
      "UseLiveCapture: %r" % p.stderr.decode())
with open(ini, "w") as f:
    f.write("[app]\nUseLiveCapture = false\nInitFileLocation =\n")
p, _ = run(["-q", "--settings", ini], ok=False)
check(p.returncode == 2 and b"no input" in p.stderr, "no input: %r" % p.stderr)

done()
