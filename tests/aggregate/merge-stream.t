#!/usr/bin/python3
"""--merge on one stream in which several sensors' snapshots are
interleaved, each record marked with its "sensor", as tsa-nats sub writes
it (issue 20).  The sensors are real pipelines (tsa-capture on a shared
capture cut three ways by BPF filters | tsa-geo | tsa-p0f | tsa-aggregate),
their streams interleaved in random orders; the merged snapshots must hold
what the sensors' snapshots of the same window_end sum to, computed here,
and agree with the same streams merged as files and, in their totals, with
the capture aggregated whole.  Then: a sensor that ends early holds no
window back; a silent sensor holds windows for MergeLag of stream time
only, or until the queues hold MergeMemory; a sensor that comes back
behind has its late snapshots left out and counted; a sensor's stream
ended incomplete marks the merged final; a flood of sensor names stays
within MergeSensors."""
import fcntl, os, random, select, subprocess, sys, time
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *
import tsatest

AGG = os.path.join(BIN, "tsa-aggregate")
PCAP = os.path.join(os.environ["PCAPS"], "ppp-example.pcap")
SPLIT = [("web", "tcp port 80"), ("tcp", "tcp and not port 80"), ("other", "not tcp")]


def pipeline(filt, count=None):
    """A sensor's snapshot stream: the capture through the whole pipeline."""
    cap = [os.path.join(BIN, "tsa-capture"), "-q", "-r", PCAP]
    if count:
        cap += ["-c", str(count)]
    p = subprocess.run(" | ".join([
        " ".join(cap) + " '%s'" % filt, os.path.join(BIN, "tsa-geo"),
        os.path.join(BIN, "tsa-p0f") + " 2>/dev/null",
        AGG + " -w 60s -e 2s"]), shell=True, capture_output=True, check=True)
    return tsatest.read(p.stdout)


def collected(sensors, seed, ends=None, order=None, announce=(), complete=True, timed=False,
              live=False):
    """What tsa-nats sub writes of these sensors' streams: its header lists
    them (but those in announce, which a "sensor" record brings later),
    each record carries "sensor", each run ends in a sensor_end record.
    seed: a random interleaving that keeps each sensor's order (timed: in
    the order of the snapshots' ends, as sensors publishing at once are
    stored); order: a list of names, one per record taken, first.  live:
    the header says so (sub does when a sensor's header does)."""
    runs = {n: {"sensor": n, "run": "%016x" % (i + 1), "subject": "tsa." + n,
                "header": h} for i, (n, (h, _, _)) in enumerate(sensors.items())}
    queues = {}
    for n, (_, recs, end) in sensors.items():
        q = [dict(r, sensor=n) for r in recs]
        if n in announce:
            q.insert(0, dict(runs[n], type="sensor"))
        if end is not None and (ends is None or n in ends):
            q.append({"type": "sensor_end", "sensor": n, "run": runs[n]["run"],
                      "complete": end["complete"] and complete})
        queues[n] = q
    rng, out, i = random.Random(seed), [], 0
    while any(queues.values()):
        if order is not None and i < len(order):
            n = order[i]
            i += 1
        elif timed:
            key = lambda k: (ns(queues[k][0]["window_end"])
                             if queues[k][0].get("type") == "snapshot" else 0)
            first = min(key(k) for k, q in queues.items() if q)
            n = rng.choice([k for k, q in queues.items() if q and key(k) == first])
        else:
            n = rng.choice([k for k, q in queues.items() if q])
        out.append(queues[n].pop(0))
    header = {"tsa": 1, "kind": "snapshots", "end_record": True, **({"live": True} if live else {}),
              "sensors": [runs[n] for n in sensors if n not in announce],
              "tools": [["tsa-nats", "sub", "tsa.>"]]}
    return tsatest.pack(header, out, end=tsatest.end_record(
        complete, None if complete else "tsa.other (sensor other): input cut short"))


def merge(data, *args, settings=None):
    cmd = [AGG, "--merge"] + list(args)
    if settings:
        path = os.path.join(TMP, "merge.ini")
        with open(path, "w") as f:
            f.write("[aggregate]\n" + settings)
        cmd[1:1] = ["--settings", path]
    p = subprocess.run(cmd, input=data, capture_output=True)
    return p.returncode, p.stderr.decode(), tsatest.read(p.stdout)


class Live:
    """tsa-aggregate --merge on a pipe: what it wrote before its input ended."""

    def __init__(self, *args, settings):
        path = os.path.join(TMP, "live.ini")
        with open(path, "w") as f:
            f.write("[aggregate]\n" + settings)
        self.p = subprocess.Popen([AGG, "--settings", path, "--merge"] + list(args),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        fcntl.fcntl(self.p.stdout, fcntl.F_SETFL, os.O_NONBLOCK)
        self.u = msgpack.Unpacker(raw=False, strict_map_key=False)
        self.maps = []

    def send(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def wait_for(self, pred, limit=10):
        """Read output until pred(maps) holds (True) or limit seconds pass."""
        end = time.time() + limit
        while not pred(self.maps) and time.time() < end:
            if select.select([self.p.stdout], [], [], 0.1)[0]:
                d = self.p.stdout.read()
                if d:
                    self.u.feed(d)
                    self.maps += list(self.u)
        return pred(self.maps)

    def finish(self, rest=b""):
        out, err = self.p.communicate(rest)
        self.u.feed(out)
        self.maps += list(self.u)
        return self.p.returncode, err.decode()


def cut_at(data, n):
    """The first n maps of a stream's bytes, and the rest."""
    raws = tsatest.unpack_all(data, raw=True)
    head = b"".join(raws[:n])
    return head, data[len(head):]


def n_snaps(maps):
    return sum(1 for m in maps if isinstance(m, dict) and m.get("type") == "snapshot")


# ---- three real sensors ----
sensors = {n: pipeline(f) for n, f in SPLIT}
for n, (_, recs, end) in sensors.items():
    print(f"sensor {n}: {len(snapshots(recs))} snapshots, {len(alerts(recs))} alerts, "
          f"{snapshots(recs)[-1]['packets']} packets")
files = []
for n, (h, recs, end) in sensors.items():
    files.append(os.path.join(TMP, n + ".snap"))
    with open(files[-1], "wb") as f:
        f.write(tsatest.pack(h, recs))
p = subprocess.run([AGG, "--merge"] + files, capture_output=True, check=True)
as_files = snapshots(tsatest.read(p.stdout)[1])
_, whole, _ = pipeline("")
union = {ns(s["window_end"]): (s["packets"], s["bytes"]) for s in snapshots(whole)}

for seed in (1, 2, 3):
    rc, err, (hdr, out, end) = merge(collected(sensors, seed))
    same(f"seed {seed}: exit 0, nothing on stderr, a complete end", (rc, err, end),
         (0, "", tsatest.end_record()))
    ms = check_sums(same, f"seed {seed}", out, sensors)
    same(f"seed {seed}: the same snapshots as the streams merged as files", ms, as_files)
    # (a sensor that ended, its final written, adds nothing to later windows)
    full = [m for m in ms if m["sensors"] == 3]
    same(f"seed {seed}: the windows of all three and the final: totals as the capture "
         "aggregated whole", [(m["packets"], m["bytes"]) for m in full],
         [union[ns(m["window_end"])] for m in full])
    same(f"seed {seed}: ... of which there are some", len(full) >= 3, True)
    same(f"seed {seed}: the alerts and sensor_end records pass through",
         (sorted((a["sensor"], a["alert"], a["host_addr"]) for a in alerts(out)),
          sorted(r["sensor"] for r in out if r.get("type") == "sensor_end")),
         (sorted((n, a["alert"], a["host_addr"]) for n, (_, r, _) in sensors.items()
                 for a in alerts(r)), sorted(sensors)))
    same(f"seed {seed}: header: snapshots, the sensors kept, this run in tools",
         (hdr["kind"], [s["sensor"] for s in hdr["sensors"]], hdr["tools"][-1][1:]),
         ("snapshots", list(sensors), ["--merge"]))

# A sensor announced by a "sensor" record after the header: the same sums.
rc, err, (hdr, out, end) = merge(collected(sensors, 4, announce=("other",),
                                           order=["other", "other"]))
same("announced later: exit 0", (rc, err), (0, ""))
check_sums(same, "announced later", out, sensors)

# One sensor's own stream, on stdin: its snapshots, as one sensor.
h, recs, _ = sensors["web"]
rc, err, (_, out, _) = merge(tsatest.pack(h, recs))
same("a plain stream on stdin: its snapshots, sensors 1",
     [(s["window_end"], s["packets"], s["sensors"]) for s in snapshots(out)],
     [(s["window_end"], s["packets"], 1) for s in snapshots(recs)])

# ---- a sensor that ends early ----
# "other" stops after 300 packets (its final then), the others go on.  With
# no lag to let windows go without it, windows wait for it while it runs,
# and no longer once its final has come.
early = dict(sensors)
early["other"] = pipeline("not tcp", count=300)
nf = {n: [s for s in snapshots(r) if not s.get("final")] for n, (_, r, _) in early.items()}
upto = {n: [i for i, x in enumerate(r) if x.get("type") == "snapshot" and x.get("final")][0]
        for n, (_, r, _) in early.items()}
order = ["web"] * upto["web"] + ["tcp"] * upto["tcp"] + ["other"] * upto["other"]
data = collected(early, 0, order=order + ["other"] * 2, live=True)
ends = sorted({ns(s["window_end"]) for x in nf.values() for s in x})
lv = Live(settings="MergeLag = 365d\n")
first, rest = cut_at(data, 1 + len(order))
lv.send(first)
last = {n: ns(x[-1]["window_end"]) for n, x in nf.items()}
want = [e for e in ends if e <= last["other"]]
lv.wait_for(lambda ms: n_snaps(ms) > len(want), limit=2)
same("ends early: while it runs, the windows up to its last snapshot",
     [ns(m["window_end"]) for m in lv.maps[1:] if m.get("type") == "snapshot"], want)
second, rest = cut_at(rest, 2)         # its stats record and final snapshot
lv.send(second)
want = [e for e in ends if e <= min(last["web"], last["tcp"])]
lv.wait_for(lambda ms: n_snaps(ms) >= len(want))
same("ends early: its final come, the windows up to where the others are, before the end",
     [ns(m["window_end"]) for m in lv.maps[1:] if m.get("type") == "snapshot"], want)
rc, err = lv.finish(rest)
same("ends early: exit 0", (rc, err), (0, ""))
check_sums(same, "ends early", lv.maps[1:-1], early)

# Every sensor ended: the merged final comes at once, before the input ends.
data = collected(sensors, 5, live=True)
lv = Live(settings="MergeLag = 365d\n")
endrec = msgpack.packb(tsatest.end_record())
lv.send(data[:-len(endrec)])
same("all ended: the merged final before the input's end",
     lv.wait_for(lambda ms: any(isinstance(m, dict) and m.get("type") == "snapshot" and
                                m.get("final") for m in ms)), True)
rc, err = lv.finish(endrec)
same("all ended: exit 0", (rc, err), (0, ""))

# ---- a silent sensor ----
# The header lists "quiet", which never sends a thing: windows wait for it
# until another sensor is MergeLag of stream time past them, then no
# longer; the final waits for the end of the input.
quiet = dict(sensors)
quiet["quiet"] = ({"tsa": 1, "kind": "snapshots", "tools": []}, [], None)
data = collected(quiet, 6, timed=True, live=True)
head = data[:-len(endrec)]
ends = sorted({ns(s["window_end"]) for _, r, _ in sensors.values()
               for s in snapshots(r) if not s.get("final")})
lv = Live(settings="MergeLag = 365d\n")
lv.send(head)
lv.wait_for(lambda ms: n_snaps(ms) > 0, limit=2)
same("silent, no lag: every window held", n_snaps(lv.maps), 0)
rc, err = lv.finish(endrec)
same("... until the input ends: exit 0", (rc, err), (0, ""))
check_sums(same, "silent, no lag", lv.maps[1:-1], sensors)

lv = Live(settings="MergeLag = 10s\n")
lv.send(head)
lv.wait_for(lambda ms: n_snaps(ms) > len(ends), limit=3)
same("silent, MergeLag 10s: every window before the end, not the final",
     [(ns(m["window_end"]), m.get("final", False)) for m in lv.maps[1:]
      if m.get("type") == "snapshot"], [(e, False) for e in ends])
rc, err = lv.finish(endrec)
same("... exit 0, the silent sensor named once",
     (rc, err), (0, "tsa-aggregate: sensor quiet: windows written without it (nothing "
                 "from it for MergeLag)\n"))
check_sums(same, "silent, MergeLag 10s", lv.maps[1:-1], sensors)

# MergeMemory: 3000 snapshots of 2 KB from one sensor while the other is
# silent; the lag would hold them for a year, the memory bound does not.
T = 1700000000
big = [{"type": "snapshot", "window_start": msgpack.Timestamp(T + i - 60, 0),
        "window_end": msgpack.Timestamp(T + i, 0), "window": "60s", "packets": 1,
        "bytes": 100, "countries": [], "domains": [], "os": [], "hosts": [],
        "bandwidth": {"start": msgpack.Timestamp(T + i - 60, 0), "bucket_ns": 60 * 10**9,
                      "bps": [0.0], "bytes": [100], "avg_bps": 0.0},
        "alerts": [], "pad": "x" * 2000} for i in range(3000)]
mem = {"busy": ({"tsa": 1, "kind": "snapshots"}, big, None),
       "quiet": ({"tsa": 1, "kind": "snapshots"}, [], None)}
data = collected(mem, 7)
head = data[:-len(msgpack.packb(tsatest.end_record()))]
lv = Live(settings="MergeLag = 365d\nMergeMemory = 1048576\n")
lv.send(head)
ok = lv.wait_for(lambda ms: n_snaps(ms) >= 2000)
same("MergeMemory 1 MiB: windows written before the end", ok, True)
rc, err = lv.finish(data[len(head):])
same("... exit 0, said once", (rc, err.count("\n"), "MergeMemory" in err), (0, 1, True))
same("... every window once, in order, each of one sensor",
     [(ns(m["window_end"]), m["packets"], m["sensors"]) for m in lv.maps[1:-1]],
     [((T + i) * 10**9, 1, 1) for i in range(3000)])

# ---- a sensor that comes back behind ----
# "other" is silent until the others have ended; it is behind, its windows
# are written without it, its late snapshots are left out and counted; its
# final still counts.
others = {n: sensors[n] for n in ("web", "tcp")}
h, out, _ = tsatest.read(collected(others, 9, timed=True, live=True))
h["sensors"].append({"sensor": "other"})
h["end_record"] = False
out += [dict(r, sensor="other") for r in sensors["other"][1]]
rc, err, (_, out, end) = merge(tsatest.pack(h, out), settings="MergeLag = 10s\n")
late = [("other", ns(s["window_end"])) for s in snapshots(sensors["other"][1])
        if not s.get("final")]
same("behind: exit 0, named, the late snapshots counted",
     (rc, "sensor other: windows written without it (nothing from it for MergeLag)" in err,
      f"{len(late)} snapshots came after their window was written" in err), (0, True, True))
check_sums(same, "behind", out, sensors, left_out=set(late))

# ---- a sensor that comes back ----
# b stops for six windows (a live sensor's link down, its backlog sent
# when the link comes back): the windows go without it after MergeLag, its
# backlog is too late, and it is in the windows again from the next one.
def snap(name, i, p):
    return {"type": "snapshot", "sensor": name, "window": "10s", "packets": p, "bytes": p,
            "window_start": msgpack.Timestamp(T + 2 * i - 10, 0),
            "window_end": msgpack.Timestamp(T + 2 * i, 0),
            "countries": [], "domains": [], "os": [], "hosts": [], "alerts": []}


recs = [x for i in range(1, 4) for x in (snap("a", i, 1), snap("b", i, 10))]
recs += [snap("a", i, 1) for i in range(4, 10)] + [snap("b", i, 10) for i in range(4, 10)]
recs += [x for i in range(10, 16) for x in (snap("a", i, 1), snap("b", i, 10))]
hdr = {"tsa": 1, "kind": "snapshots", "live": True, "tools": [],
       "sensors": [{"sensor": "a"}, {"sensor": "b"}]}
rc, err, (_, out, _) = merge(tsatest.pack(hdr, recs), "--merge-lag", "6s")
same("comes back: without it for six windows, then with it again",
     [(x["window_end"].seconds - T, x["sensors"], x["packets"]) for x in snapshots(out)],
     [(2 * i, 2, 11) for i in range(1, 4)] + [(2 * i, 1, 1) for i in range(4, 10)] +
     [(2 * i, 2, 11) for i in range(10, 16)])
same("comes back: said, and its backlog counted", err.splitlines(), [
    "tsa-aggregate: sensor b: windows written without it (nothing from it for MergeLag)",
    "tsa-aggregate: sensor b: snapshots for windows already written left out (it is more "
    "than MergeLag behind)",
    "tsa-aggregate: 6 snapshots came after their window was written without them (a sensor "
    "MergeLag behind) and were left out"])

# A name with control characters (not one tsa-nats lets through, but a
# stream may come from anywhere) is shown tamed: one line, no escapes.
evil = "\x1b]0;owned\x07\nfake line " + "x" * 80
recs = [snap(evil, 1, 10)] + [snap("a", i, 1) for i in range(1, 10)]
hdr = {"tsa": 1, "kind": "snapshots", "live": True, "tools": [],
       "sensors": [{"sensor": "a"}, {"sensor": evil}]}
rc, err, (_, out, _) = merge(tsatest.pack(hdr, recs), "--merge-lag", "6s")
same("a name with control characters: one line, printable, 64 bytes at most",
     err.splitlines(), ["tsa-aggregate: sensor " + ("?]0;owned??fake line " + "x" * 80)[:64] +
                        "...: windows written without it (nothing from it for MergeLag)"])

# Two pipes, one per sensor, as <(ssh sensor1 ...) <(ssh sensor2 ...): one
# goes silent after its first snapshot; the other is still read, and its
# windows go on without the silent one after MergeLag.
ra, wa = os.pipe()
rb, wb = os.pipe()
p = subprocess.Popen([AGG, "--merge", "--merge-lag", "6s", "/dev/fd/%d" % ra, "/dev/fd/%d" % rb],
                     pass_fds=(ra, rb), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
os.close(ra)
os.close(rb)
plain = {"tsa": 1, "kind": "snapshots", "tools": []}
os.write(wb, msgpack.packb(plain) + msgpack.packb(dict(snap("b", 1, 10), sensor=None)))
os.write(wa, msgpack.packb(plain) + b"".join(msgpack.packb(snap("a", i, 1)) for i in range(1, 11)))
fcntl.fcntl(p.stdout, fcntl.F_SETFL, os.O_NONBLOCK)
u, got, end = msgpack.Unpacker(raw=False), [], time.time() + 10
while len([m for m in got if m.get("type") == "snapshot"]) < 10 and time.time() < end:
    if select.select([p.stdout], [], [], 0.1)[0]:
        u.feed(p.stdout.read() or b"")
        got += list(u)
same("two pipes, one silent: the other's windows go on before either ends",
     [(m["window_end"].seconds - T, m["sensors"]) for m in got if m.get("type") == "snapshot"],
     [(2, 2)] + [(2 * i, 1) for i in range(2, 11)])
os.close(wa)
os.close(wb)
out, err = p.communicate()
same("... then the rest at their end, exit 0", p.returncode, 0)

# ---- sensors reading files, one whole run after another ----
# As a server stores the runs of sensors that read captures at full speed:
# not live, so windows wait MergeLag for sensors not met yet, and the
# finals for the end.  Live, the same stream loses the later sensors'
# windows (counted): a live sensor met later joins from its next window.
order = []
for n, (_, r, _) in sensors.items():
    order += [n] * (len(r) + 1 + (n != "web"))     # a sensor record, a sensor_end
data = collected(sensors, 0, order=order, announce=("tcp", "other"))
rc, err, (_, out, end) = merge(data)
same("runs one after another: exit 0, nothing said", (rc, err), (0, ""))
check_sums(same, "runs one after another", out, sensors)
rc, err, (_, out, end) = merge(collected(sensors, 0, order=order, announce=("tcp", "other"),
                                         live=True))
same("... live: the later sensors' windows left out, counted, and two finals",
     ("snapshots came after their window was written" in err,
      sum(1 for m in snapshots(out) if m.get("final"))), (True, 3))

# ---- a sensor's stream ended incomplete ----
rc, err, (_, out, end) = merge(collected(sensors, 8, complete=False))
same("incomplete: exit 1, the merged final says so, the end record too",
     (rc, snapshots(out)[-1].get("incomplete"), end["complete"]), (1, True, False))

# ---- hostile: a flood of sensor names ----
# 20,000 names, one snapshot each, 100 to a window, with MergeSensors 64:
# the others' snapshots are left out and counted, not lost silently; a few
# lines on stderr; the work per record stays bounded by the table.
flood = [{"type": "snapshot", "sensor": f"s{i}", "window_start": msgpack.Timestamp(T, 0),
          "window_end": msgpack.Timestamp(T + 10 + i // 100, 0), "window": "60s",
          "packets": 1, "bytes": 10, "countries": [], "domains": [], "os": [],
          "hosts": [], "alerts": []} for i in range(20000)]
hdr = {"tsa": 1, "kind": "snapshots", "tools": [],
       "sensors": [{"sensor": f"h{i}"} for i in range(50000)]}
rc, err, (_, out, end) = merge(tsatest.pack(hdr, flood), "-v",
                               settings="MergeSensors = 64\nMergeLag = 5s\n")
ms = snapshots(out)
import re
# (the peak RSS of a process started by this one counts this one's: from sh)
path = os.path.join(TMP, "flood.tsa")
with open(path, "wb") as f:
    f.write(tsatest.pack(hdr, flood))
p = subprocess.run(["sh", "-c", f"{AGG} --merge -v --merge-sensors 64 --merge-lag 5s "
                    f"<{path} >/dev/null; exit $?"], capture_output=True)
rss = re.search(r"peak RSS (\d+) KiB", p.stderr.decode())
print("flood: peak RSS %s KiB" % (rss and rss.group(1)))
if "asan" not in BIN:       # (ASan's quarantine keeps what is freed)
    same("flood: memory bounded (peak RSS under 16 MiB)", rss and int(rss.group(1)) < 16384, True)
left = sum(int(x) for x in re.findall(r"(\d+) snapshots (?:of sensors beyond MergeSensors left "
                                       r"out|came after their window)", err))
same("flood: exit 0, a few lines on stderr (8 sensors named at most)",
     (rc, err.count("\n") <= 13), (0, True))
same("flood: merged + left out (too many, too late) = every snapshot",
     sum(x["packets"] for x in ms) + left, 20000)
same("flood: at most 64 sensors in a window", max(x["sensors"] for x in ms) <= 64, True)
# (names quiet for MergeLag make room: 64 of the 500 that come in 5 s)
same("flood: names gone quiet make room for new ones to the end",
     (sum(x["packets"] for x in ms) >= 40 * 64, ns(ms[-1]["window_end"]) >= (T + 200) * 10**9),
     (True, True))
same("flood: the windows in order", [ns(x["window_end"]) for x in ms],
     sorted(ns(x["window_end"]) for x in ms))
print(err)
done()
