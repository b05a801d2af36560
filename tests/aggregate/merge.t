#!/usr/bin/python3
"""--merge: two sensors' snapshot streams combined into one equal the
snapshots of the two packet streams together, except that a host both
sensors see counts twice in the distinct-host counts: for sliding windows
snapshot by snapshot, for whole streams (each sensor's ends at its own last
packet) in the final one, whose bandwidth buckets add up to the total."""
import os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1700000000          # a multiple of 10 s


def sensor(me, remote, cc, shift):
    recs = [pkt(T + 0.5, "192.168.0.1", me, 120, application_type="dns",
                dns_query_resp="response", dns_query_names=["www.shared.example"],
                dns_resp_ips=[remote])]
    for i in range(25):
        t = T + 1 + i + shift
        recs.append(pkt(t, me, remote, 100 + i, dst_country=cc, tcp_flags=2, dst_port=80))
        recs.append(pkt(t + 0.2, "3.3.3.3", me, 60, src_country="DE"))
    return recs


a = sensor("10.0.0.1", "1.1.1.1", "AU", 0)
b = sensor("10.0.0.2", "2.2.2.2", "FR", 0.3)
low = "[security]\nSynFloodThreshold = 20\n[aggregate]\nWindow = 60s\nEvery = 10s\n"
files = [os.path.join(TMP, n + ".snap") for n in "ab"]
for name, recs in (("a", a), ("b", b)):
    with open(os.path.join(TMP, name + ".tsa"), "wb") as f:
        f.write(stream(recs))
with open(os.path.join(TMP, "low.ini"), "w") as f:
    f.write(low)
for name, out in zip("ab", files):
    subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--settings",
                    os.path.join(TMP, "low.ini"), "-o", out, os.path.join(TMP, name + ".tsa")],
                   check=True)
merged = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge"] + files,
                        capture_output=True, check=True).stdout
header, out = read(merged)
_, union = run(sorted(a + b, key=lambda r: (r["timestamp"].seconds, r["timestamp"].nanoseconds)),
               settings=low)
ms, us = snapshots(out), snapshots(union)

same("header kind", header["kind"], "snapshots")
same("snapshot ends", [(x["window_end"], x.get("final", False)) for x in ms[:-1]],
     [(x["window_end"], False) for x in us[:-1]])
same("sensors", [x["sensors"] for x in ms], [2] * len(ms))
same("alert records pass through", sorted(str(ipaddress.ip_address(x["host_addr"]))
                                          for x in alerts(out)), ["10.0.0.1", "10.0.0.2"])
for m, u in zip(ms, us):
    end = m["window_end"].seconds - T
    same(f"{end}: totals", (m["packets"], m["bytes"]), (u["packets"], u["bytes"]))
    uc = {c["country"]: [c["packets"], c["bytes"], c["hosts"]] for c in u["countries"]}
    uc["DE"][2] += 1        # 3.3.3.3 and the resolver 192.168.0.1
    uc["local"][2] += 1     # are seen by both sensors: they count twice
    same(f"{end}: countries",
         {c["country"]: [c["packets"], c["bytes"], c["hosts"]] for c in m["countries"]}, uc)
    same(f"{end}: domains", [(d["domain"], d["packets"], d["bytes"]) for d in m["domains"]],
         [(d["domain"], d["packets"], d["bytes"]) for d in u["domains"]])
    same(f"{end}: hosts", sorted((h["addr"], h["packets"], h["bytes"]) for h in m["hosts"]),
         sorted((h["addr"], h["packets"], h["bytes"]) for h in u["hosts"]))
    same(f"{end}: alerts", sorted((x["alert"], x["host_addr"]) for x in m["alerts"]),
         sorted((x["alert"], x["host_addr"]) for x in u["alerts"]))
    if not m.get("final"):
        same(f"{end}: bandwidth", m["bandwidth"]["bytes"], u["bandwidth"]["bytes"])
    same(f"{end}: bandwidth adds up to the bytes", sum(m["bandwidth"]["bytes"]), m["bytes"])
same("final: the last end, flagged", (ms[-1]["window_end"], ms[-1].get("final")),
     (us[-1]["window_end"], True))

# The whole streams (each sensor's own default for a file).
for name, out in zip("ab", files):
    subprocess.run([os.path.join(BIN, "tsa-aggregate"), "-o", out,
                    os.path.join(TMP, name + ".tsa")], check=True)
merged = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge"] + files,
                        capture_output=True, check=True).stdout
m = snapshots(read(merged)[1])
_, union = run(sorted(a + b, key=lambda r: (r["timestamp"].seconds, r["timestamp"].nanoseconds)))
u = snapshots(union)[-1]
same("whole: one merged final snapshot", [(x.get("final"), x["window"]) for x in m],
     [(True, "all")])
m = m[-1]
same("whole: window, totals", (m["window_start"], m["window_end"], m["packets"], m["bytes"]),
     (u["window_start"], u["window_end"], u["packets"], u["bytes"]))
same("whole: domains", [(d["domain"], d["packets"], d["bytes"]) for d in m["domains"]],
     [(d["domain"], d["packets"], d["bytes"]) for d in u["domains"]])
same("whole: hosts", sorted((h["addr"], h["packets"], h["bytes"]) for h in m["hosts"]),
     sorted((h["addr"], h["packets"], h["bytes"]) for h in u["hosts"]))
same("whole: bandwidth adds up to the bytes, average over the merged window",
     (sum(m["bandwidth"]["bytes"]), m["bandwidth"]["avg_bps"]),
     (m["bytes"], u["bandwidth"]["avg_bps"]))
# Each sensor's buckets (on grids of their own) go to the merged bucket
# that holds their middle, on a grid from the earliest start over the
# latest end, cut in as many buckets.
ns = lambda t: t.seconds * 10**9 + t.nanoseconds
ins = [snapshots(read(open(f, "rb").read())[1])[-1]["bandwidth"] for f in files]
start = min(ns(b["start"]) for b in ins)
n = max(len(b["bytes"]) for b in ins)
width = -(-max(ns(b["start"]) - start + len(b["bytes"]) * b["bucket_ns"] for b in ins) // n)
want = [0] * n
for b in ins:
    for j, x in enumerate(b["bytes"]):
        want[min((2 * (ns(b["start"]) - start) + (2 * j + 1) * b["bucket_ns"]) // (2 * width),
                 n - 1)] += x
same("whole: the sensors' buckets on one grid",
     (ns(m["bandwidth"]["start"]), m["bandwidth"]["bucket_ns"], m["bandwidth"]["bytes"]),
     (start, width, want))

p = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "--merge",
                    os.path.join(TMP, "a.tsa")], capture_output=True)
same("a packet stream is refused", (p.returncode, b"not a snapshot stream" in p.stderr), (1, True))
done()
