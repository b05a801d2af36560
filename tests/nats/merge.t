#!/usr/bin/python3
# Many sensors, one map (issue 20): two sensors, each a real pipeline
# (tsa-capture on a shared capture cut two ways by BPF filters | tsa-geo |
# tsa-p0f | tsa-aggregate | tsa-nats pub tsa.NAME), publish at once to a
# nats-server; the collector, tsa-nats sub 'tsa.>' | tsa-aggregate --merge,
# writes snapshots that hold exactly the sums of the two sensors' own
# snapshots of each window end (computed here from the same pipelines run
# to files) and the sum of their finals, the same snapshots as the two
# files merged; a third sensor that publishes later, run with the same
# --durable collector, is taken in with no change to the collector.
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403
sys.path.insert(0, os.path.join(TOP, "tests", "aggregate"))
import agg  # noqa: E402

need_server()
PCAP = os.path.join(os.environ["PCAPS"], "ppp-example.pcap")
SPLIT = {"web": "tcp port 80", "rest": "not tcp port 80"}


def sensor_cmd(filt):
    return ("%s -q -r %s '%s' | %s | %s 2>/dev/null | %s -w 60s -e 2s" % (
        os.path.join(BIN, "tsa-capture"), PCAP, filt, os.path.join(BIN, "tsa-geo"),
        os.path.join(BIN, "tsa-p0f"), os.path.join(BIN, "tsa-aggregate")))


# What each sensor writes, to compare with.
own = {}
for n, f in SPLIT.items():
    data = subprocess.run(sensor_cmd(f), shell=True, capture_output=True, check=True).stdout
    own[n] = tsatest.read(data)
    with open(os.path.join(TMP, n + ".snap"), "wb") as fh:
        fh.write(data)


def as_files(names):
    """The sensors' own streams merged as files, in this order."""
    out = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge"] +
                         [os.path.join(TMP, n + ".snap") for n in names],
                         capture_output=True, check=True).stdout
    return agg.snapshots(tsatest.read(out)[1])


srv = Server().start()
url = srv.url


def collector(name, ends):
    """tsa-nats sub 'tsa.>' | tsa-aggregate --merge, as a user runs it."""
    out = os.path.join(TMP, name + ".tsa")
    return spawn(["bash", "-c", "set -o pipefail; %s sub -s %s --durable map --ends %d 'tsa.>' "
                  "| %s --merge -o %s" % (TOOL, url, ends, os.path.join(BIN, "tsa-aggregate"),
                                          out)],
                 stderr=open(out + ".err", "w")), out


col, out = collector("map", 2)
pubs = [spawn(["bash", "-c", "set -o pipefail; %s | %s pub -s %s tsa.%s" % (
    sensor_cmd(f), TOOL, url, n)], stderr=open(os.path.join(TMP, n + ".err"), "w"))
    for n, f in SPLIT.items()]
for p, n in zip(pubs, SPLIT):
    same("sensor %s: exit status" % n, wait(p, 60, "sensor " + n), 0)
same("collector: exit status", wait(col, 60, "collector"), 0)
same("collector: tsa-aggregate said nothing", "tsa-aggregate" in err_text(out), False)
hdr, recs, end = read_out(out)
met = [r["sensor"] for r in sensors_of(hdr, recs)]
same("the merged stream: snapshots, both sensors met, complete",
     (hdr["kind"], sorted(met), end), ("snapshots", sorted(SPLIT), {"type": "end", "complete": True}))
print("sensors in the header: %s; met later: %s" % (
    [s["sensor"] for s in hdr["sensors"]], met[len(hdr["sensors"]):]))
ms = agg.check_sums(same, "through NATS", recs, own)
same("the same snapshots as the two sensors' files merged (in the order met)", ms, as_files(met))
same("every window of both sensors", [m["sensors"] for m in ms[-3:]], [2, 2, 2])
same("the final: every packet of the capture",
     (ms[-1]["packets"], ms[-1]["bytes"]),
     (sum(agg.snapshots(r)[-1]["packets"] for _, r, _ in own.values()),
      sum(agg.snapshots(r)[-1]["bytes"] for _, r, _ in own.values())))
same("the sensors' ends pass through",
     sorted((r["sensor"], r["complete"]) for r in recs if r.get("type") == "sensor_end"),
     [("rest", True), ("web", True)])

# A third sensor later, the same durable collector: it takes what is new
# (the third sensor's run), with no change to its command line.
own3 = {"udp": tsatest.read(subprocess.run(sensor_cmd("udp"), shell=True, capture_output=True,
                                           check=True).stdout)}
col, out = collector("map2", 1)
p = spawn(["bash", "-c", "set -o pipefail; %s | %s pub -s %s tsa.udp" % (
    sensor_cmd("udp"), TOOL, url)], stderr=open(os.path.join(TMP, "udp.err"), "w"))
same("sensor udp: exit status", wait(p, 60, "sensor udp"), 0)
same("collector again: exit status", wait(col, 60, "collector"), 0)
hdr, recs, end = read_out(out)
same("collector again: only the new sensor", sorted(s["sensor"] for s in hdr["sensors"]),
     ["udp"])
agg.check_sums(same, "a new sensor", recs, own3)
srv.stop()
finish()
