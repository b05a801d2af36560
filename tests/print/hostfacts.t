#!/usr/bin/python3
"""tsa-print -f shows a packet's src_ and dst_ host facts (distance, link,
uptime, language, application, NAT) from the host records tsa-p0f writes
before it, as they were when every packet carried them: the expected
columns come from tests/tsatest.host_view(), which rebuilds the per-packet
keys from the host records in Python."""
import csv
import io
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import PCAPS, check, done, host_view, need_pcaps, pipeline, records, same  # noqa: E402

need_pcaps()
FIELDS = ["src_os", "src_dist", "src_link", "src_uptime_min", "src_app",
          "dst_os", "dst_dist", "dst_link", "dst_lang", "dst_app", "dst_nat"]


def text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


total = 0
for name in ["ppp-example.pcap", "zeek-http-bro.org.pcap", "ndpi-netflix.pcap",
             "strato-test-cc-capture-2.pcap", "arkime-v6.pcap"]:
    pcap = os.path.join(PCAPS, name)
    ann = pipeline([["tsa-capture", "-q", "-r", pcap], ["tsa-geo"], ["tsa-p0f"]])
    if ann is None:
        continue
    recs = records(ann)
    check(any(r.get("type") == "host" for r in recs), "%s: host records in the stream" % name)
    want = []
    for r in host_view(recs):
        row = [text(r.get(f)) for f in FIELDS]
        if any(row):
            want.append(row)
    out = pipeline([["tsa-print", "--csv", "--no-title", "-f", ",".join(FIELDS)]], data=ann)
    if out is None:
        continue
    got = list(csv.reader(io.StringIO(out.decode())))
    facts = sum(1 for row in want if row[1] or row[6])
    same("%s: %d rows, %d with a distance, as per-packet keys said" % (name, len(want), facts),
         got, want)
    total += facts
check(total > 5000, "packets shown with a host fact: %d" % total)
done()
