#!/usr/bin/python3
"""tsa-print's tables for snapshot streams: every country, domain, host and
OS row of a snapshot, with its shares, as the JSON of the same snapshot
says; alerts as one line; --json and --tables choose explicitly."""
import json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

PCAPS = os.environ["PCAPS"]
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r",
                      os.path.join(PCAPS, "ndpi-synscan.pcap")],
                     capture_output=True, check=True).stdout
snaps = subprocess.run([os.path.join(BIN, "tsa-aggregate"), "-w", "1h", "-e", "1h"],
                       input=cap, capture_output=True, check=True).stdout


def show(data, *args):
    return subprocess.run([os.path.join(BIN, "tsa-print")] + list(args), input=data,
                          capture_output=True, check=True).stdout.decode()


text = show(snaps)
lines = show(snaps, "--json").splitlines()
recs = [json.loads(l) for l in lines]
same("--json: one JSON line per record", [r["type"] for r in recs],
     ["alert", "alert", "stats", "snapshot"])
snap = recs[-1]


def rows(title):
    """The cells of the table with this title, as lists of stripped strings."""
    out, block = [], text.split(f"\n{title} (")[1]
    for line in block.splitlines()[2:]:
        if not line.strip():
            break
        out.append([c.strip() for c in line.split("|")])
    return out


pk, by = snap["packets"], snap["bytes"]
same("title", f"{pk} packets, {by} bytes" in text, True)
same("countries", rows("Countries"),
     [[c["country"], str(c["packets"]), f"{100 * c['packets'] / pk:.2f}", str(c["bytes"]),
       f"{100 * c['bytes'] / by:.2f}", str(c["hosts"])] for c in snap["countries"]])
same("hosts", [r[:6] for r in rows("Top hosts")],
     [[h["addr"], h["country"], str(h["packets"]), f"{100 * h['packets'] / pk:.2f}",
       str(h["bytes"]), f"{100 * h['bytes'] / by:.2f}"] for h in snap["hosts"]])
same("alerts table", [r[:3] for r in rows("Active alerts")],
     [[a["alert"], a["host_addr"], a["country"]] for a in snap["alerts"]])
same("alert lines", [l.split()[2] for l in text.splitlines() if l.startswith("ALERT ")],
     [r["alert"] for r in recs if r["type"] == "alert"])
same("columns aligned", len({len(l) for l in text.split("\nCountries (")[1].splitlines()[1:3]}), 1)
same("stats record stays JSON", any(l.startswith('{"type":"stats"') for l in text.splitlines()),
     True)

# Long lists are cut at 25 rows, saying how many more there are.
recs = [pkt(1700000000 + i, "10.0.0.1", f"1.1.1.{i}", dst_country=chr(65 + i // 26) + chr(65 + i % 26))
        for i in range(30)]
many = show(subprocess.run([os.path.join(BIN, "tsa-aggregate"), "-e", "0"], input=stream(recs),
                           capture_output=True, check=True).stdout)
block = many.split("\nCountries (30)\n")[1].split("\n\n")[0].splitlines()
same("countries cut at 25", (len(block), block[-1]), (1 + 25 + 1, "  ... and 5 more"))

# --tables on a packet stream: packets stay JSON; a snapshot stream with --json is JSON.
out = show(cap, "--tables").splitlines()
same("--tables on packets", all(l.startswith("{") for l in out) and len(out) == 2012, True)
done()
