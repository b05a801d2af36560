#!/usr/bin/python3
"""Empty is a result: a capture with no IP packets, and one with no packets
at all, through tsa-capture | tsa-geo | tsa-p0f | tsa-aggregate, each stage
exiting 0, give one final snapshot of zeros.  Its window is the stats
record's time (the last packet's, of a file with packets that are not IP;
tsa-capture's clock, of a file without any), as long as the stream has
one."""
import os, struct, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

PCAPS = os.environ["PCAPS"]
tsatest.need_pcaps()
arp = bytes.fromhex("ffffffffffff0011223344550806" "0001080006040001001122334455c0a80001"
                    "000000000000c0a80002")
files = {"arp.pcap": [(1700000000 + i, arp) for i in range(3)], "empty.pcap": []}
for name, frames in files.items():
    with open(os.path.join(TMP, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, fr in frames:
            f.write(struct.pack("<IIII", t, 0, len(fr), len(fr)) + fr)


def pipeline(path):
    """capture | geo | p0f | aggregate, each stage's exit status checked."""
    data = None
    for cmd in (["tsa-capture", "-r", path], ["tsa-geo"], ["tsa-p0f"], ["tsa-aggregate"]):
        p = subprocess.run([os.path.join(BIN, cmd[0])] + cmd[1:], input=data,
                           capture_output=True)
        same(f"{os.path.basename(path)}: {cmd[0]} exits 0, silent",
             (p.returncode, p.stderr.decode()), (0, ""))
        data = p.stdout
    return read(data)[1]


for path, tshark_frames in ((os.path.join(TMP, "arp.pcap"), 3),
                            (os.path.join(TMP, "empty.pcap"), 0),
                            (os.path.join(PCAPS, "zeek-trunc-hdr.pcap"), 1)):
    name = os.path.basename(path)
    got = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "ip.src",
                          "-e", "ipv6.src"], capture_output=True, text=True).stdout
    same(f"{name}: tshark finds {tshark_frames} frames, none of them IP",
         (len(got.splitlines()), got.strip()), (tshark_frames, ""))
    out = pipeline(path)
    stats = [r for r in out if r.get("type") == "stats"]
    s = snapshots(out)
    same(f"{name}: one final snapshot of zeros",
         [(x.get("final"), x["window"], x["packets"], x["bytes"], x["countries"], x["domains"],
           x["os"], x["hosts"], x["alerts"], x["bandwidth"]["bytes"], x["bandwidth"]["avg_bps"])
          for x in s],
         [(True, "all", 0, 0, [], [], [], [], [], [0] * 25, 0.0)])
    if s and stats:
        same(f"{name}: the window is the stats record's time",
             (s[0].get("window_start"), s[0].get("window_end")),
             (stats[-1]["time"], stats[-1]["time"]))
done()
