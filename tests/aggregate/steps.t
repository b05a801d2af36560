#!/usr/bin/python3
"""Steps back in time (captures merged from several interfaces or queues,
concatenated, looping): a snapshot's window bounds are true.  Every packet
counted lies inside them, every packet of the stream inside them is
counted; a step back shorter than the window is counted (and said), only
one longer than the window starts a new epoch (and says so).  Crafted
streams with steps back of 0.5 s, 5 s and longer than the window, for a
time, a count and the whole-stream window; a capture file with a step back
of 1.5 s through tsa-capture; a window that MaxWindowPackets cuts short.
The expectations are counted here from the packets' own times."""
import os, struct, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1699999980
NS = 10**9


def tns(t):
    return t.seconds * NS + t.nanoseconds


def at(times, length0=100):
    """Packets at these times (s after T), each length its index + length0."""
    return [pkt(T + t, "10.0.0.1", "192.0.2.1", length=length0 + i) for i, t in enumerate(times)]


def honest(what, s, times, length0=100, count=None):
    """The snapshot holds exactly the packets with start <= time < end (or
    <= end for one that ends the stream or an epoch) of those that came
    before it, by their lengths; count: a count window's number instead."""
    start, end = tns(s["window_start"]) - T * NS, tns(s["window_end"]) - T * NS
    last = s.get("final") or s.get("epoch_end")
    came = next((i for i, t in enumerate(times) if round(t * NS) >= end and not last),
                len(times))
    inside = [length0 + i for i, t in enumerate(times[:came])
              if start <= round(t * NS) < end or (last and round(t * NS) == end)]
    if count is not None:
        inside = inside[-count:]
    same(f"{what}: the packets within its bounds, and only those",
         (s["packets"], s["bytes"]), (len(inside), sum(inside)))


# 0 .. 100 s one a second, then steps back of 0.5 s and 5 s.
base = list(range(101)) + [99.5, 101, 96, 102, 103]
for args, name, count in ((["-w", "60s"], "60 s window", None), (["-w", "50"], "50 packets", 50),
                          ([], "whole stream", None)):
    _, out = run(at(base), *args, "-e", "0")
    s = snapshots(out)
    same(f"{name}: steps back of 0.5 s and 5 s: one final snapshot, no epoch",
         [(x.get("final"), x.get("epoch"), x.get("out_of_order")) for x in s], [(True, None, 2)])
    honest(f"{name}: steps back of 0.5 s and 5 s", s[-1], base, count=count)

# Then a step back longer than a sliding window: to 10 s, as a second
# capture appended.  A sliding window starts a new epoch (a snapshot of the
# first, then the second alone); the whole stream takes it in.
loop = base + list(range(10, 21))
_, out = run(at(loop), "-w", "60s", "-e", "0")
s = snapshots(out)
same("60 s window: a step back of 93 s: two epochs",
     [(x.get("final", False), x.get("epoch_end", False), x.get("epoch"),
       tns(x["window_end"]) // NS - T) for x in s],
     [(False, True, None, 103), (True, False, 1, 20)])
honest("60 s window: the first epoch's snapshot", s[0], base)
honest("60 s window: the second epoch", s[1], list(range(10, 21)), length0=100 + len(base))
_, out = run(at(loop), "-w", "50", "-e", "0")
s = snapshots(out)
same("50 packets: a step back before the window's oldest packet: two epochs",
     [(x.get("final", False), x.get("epoch"), x["packets"]) for x in s], [(False, None, 50),
                                                                         (True, 1, 11)])
_, out = run(at(loop), "-e", "0")
s = snapshots(out)
same("whole stream: no epoch, every packet",
     [(x.get("final"), x.get("epoch"), x["packets"], x.get("out_of_order"),
       tns(x["window_start"]) // NS - T, tns(x["window_end"]) // NS - T) for x in s],
     [(True, None, len(loop), 2 + 11, 0, 103)])

# A snapshot schedule across a step back: each snapshot honest.
_, out = run(at(base), "-w", "20s", "-e", "10s")
for x in snapshots(out):
    if x.get("final"):
        honest("20 s window every 10 s, final", x, base)
    elif tns(x["window_end"]) // NS - T <= 100:
        honest(f"20 s window every 10 s, at {tns(x['window_end']) // NS - T} s", x, base)

# A capture file of 629 packets over 15 days, with one step back of 1.5 s
# 80 packets before its end: all 629 in the final snapshot, by default
# (the whole file) and in a sliding window longer than the file.
def pcap(times, path):
    frame = bytes.fromhex("ffffffffffff00112233445508004500001c000100004011f9d60a00000ac0000201"
                          "3039303900080000")
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t in times:
            us = round(t * 1e6)
            f.write(struct.pack("<IIII", us // 10**6, us % 10**6, len(frame), len(frame)) + frame)


step = 15 * 86400 / 628
times = [T + i * step for i in range(549)]
times += [times[-1] - 1.5 + k * step for k in range(80)]
path = os.path.join(TMP, "steps.pcap")
pcap(times, path)
tshark = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch"],
                        capture_output=True, text=True, check=True).stdout.split()
backs = [float(b) - float(a) for a, b in zip(tshark, tshark[1:]) if float(b) < float(a)]
same("the capture: 629 packets, one step back of 1.5 s, 80 packets from it",
     (len(tshark), [round(b, 6) for b in backs], len(tshark) - 1 - max(
         i for i, (a, b) in enumerate(zip(tshark, tshark[1:])) if float(b) < float(a))),
     (629, [-1.5], 80))
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", path], capture_output=True,
                     check=True).stdout
first, last = min(tshark, key=float), max(tshark, key=float)
for args in ([], ["-w", "30d", "-e", "0"]):
    _, out = run(None, *args, data=cap)
    s = snapshots(out)[-1]
    same(f"the capture {' '.join(args) or '(defaults)'}: all 629 packets in the final snapshot",
         (s["packets"], s.get("epoch"), s.get("out_of_order")), (629, None, 1))
    if not args:
        same("the capture: window from its first packet to its last",
             (f"{s['window_start'].seconds}.{s['window_start'].nanoseconds:09d}",
              f"{s['window_end'].seconds}.{s['window_end'].nanoseconds:09d}"), (first, last))

# MaxWindowPackets cuts a time window short: the snapshot says from when
# on it holds every packet, and it holds every packet from then on.
recs = at([i * 0.5 for i in range(100)])
_, out = run(recs, "-w", "60s", "-e", "0", settings="[aggregate]\nMaxWindowPackets = 30\n")
s = snapshots(out)[-1]
cut = tns(s.get("complete_from", s["window_start"])) - T * NS
kept = [100 + i for i in range(100) if i * 0.5 * NS >= cut]
same("cut short: complete_from is inside the window",
     tns(s["window_start"]) < tns(s.get("complete_from", s["window_start"])), True)
same("cut short: every packet from complete_from on, and no other",
     (s["packets"], s["bytes"]), (len(kept), sum(kept)))
_, out = run(recs, "-w", "60s", "-e", "0")
same("not cut short: no complete_from", "complete_from" in snapshots(out)[-1], False)
done()
