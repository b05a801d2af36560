#!/usr/bin/python3
"""tsa-print's tables for snapshot streams: every country, host and alert
row of a snapshot, with its shares, as the snapshot record says when read
here with msgpack (not through tsa-print); the totals as tshark counts
them; alerts as one line; --json and --tables choose explicitly."""
import datetime, json, os, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

PCAPS = os.environ["PCAPS"]
tsatest.need_pcaps()
pcap = os.path.join(PCAPS, "ndpi-synscan.pcap")
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", pcap],
                     capture_output=True, check=True).stdout
snaps = subprocess.run([os.path.join(BIN, "tsa-aggregate")],
                       input=cap, capture_output=True, check=True).stdout


def show(data, *args):
    return subprocess.run([os.path.join(BIN, "tsa-print")] + list(args), input=data,
                          capture_output=True, check=True).stdout.decode()


def text_of(v):
    """A value as tsa-print's JSON has it, made here: addresses and times as text."""
    if isinstance(v, dict):
        return {k: (str(ipaddress.ip_address(x)) if k.endswith("addr") else text_of(x))
                for k, x in v.items()}
    if isinstance(v, list):
        return [text_of(x) for x in v]
    if isinstance(v, msgpack.Timestamp):
        t = datetime.datetime.fromtimestamp(v.seconds, datetime.timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{v.nanoseconds:09d}Z"
    return v


_, out = read(snaps)
snap = snapshots(out)[-1]

# The totals, from tshark.
frames = subprocess.run(["tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.len"],
                        capture_output=True, text=True, check=True).stdout.split()
same("totals as tshark's", (snap["packets"], snap["bytes"]),
     (len(frames), sum(int(x) for x in frames)))

text = show(snaps)
recs = [json.loads(l) for l in show(snaps, "--json").splitlines()]
same("--json: one JSON line per record", [r["type"] for r in recs],
     ["alert", "alert", "stats", "snapshot"])
same("--json: the records as they are", recs, [text_of(r) for r in out])


def rows(title, text=text):
    """The cells of the table with this title, as lists of stripped strings."""
    out, block = [], text.split(f"\n{title} (")[1]
    for line in block.splitlines()[2:]:
        if not line.strip():
            break
        out.append([c.strip() for c in line.split("|")])
    return out


def pct(x, total):
    return f"{100 * x / total:.2f}"


def addr_text(a):
    return str(ipaddress.ip_address(a))


pk, by = snap["packets"], snap["bytes"]
same("title", f"{pk} packets, {by} bytes" in text, True)


def same_tables(what, snap, text):
    """The countries and hosts tables of text, row by row, against snap."""
    pk, by = snap["packets"], snap["bytes"]
    same(what + ": countries", rows("Countries", text),
         [[c["country"], str(c["packets"]), pct(c["packets"], pk), str(c["bytes"]),
           pct(c["bytes"], by), str(c["hosts"])] for c in snap["countries"]])
    same(what + ": hosts", [r[:6] for r in rows("Top hosts", text)],
         [[addr_text(h["addr"]), h["country"], str(h["packets"]), pct(h["packets"], pk),
           str(h["bytes"]), pct(h["bytes"], by)] for h in snap["hosts"]])


same_tables("ndpi-synscan", snap, text)
# A capture of many countries and hosts, through tsa-geo (every stage's
# exit checked): every row of both tables.
mmdb = tsatest.need(os.path.join(os.environ["TSA_TOP"], "data", "dbip-country.mmdb"),
                    "the country database: scripts/setup")
many_snaps = tsatest.pipeline([["tsa-capture", "-r", os.path.join(PCAPS, "suri-tls-subjectaltname.pcap")],
                               ["tsa-geo", "-d", mmdb], ["tsa-aggregate"]]) or b""
big = snapshots(read(many_snaps)[1])[-1]
check(len(big["countries"]) >= 10 and len(big["hosts"]) >= 20,
      "suri-tls-subjectaltname: %d countries, %d hosts" % (len(big["countries"]), len(big["hosts"])))
same_tables("suri-tls-subjectaltname", big, show(many_snaps))
same("alerts table", [r[:4] for r in rows("Active alerts")],
     [[a["alert"], addr_text(a["host_addr"]), a["country"], a["reason"]]
      for a in snap["alerts"]])
same("alert lines", [l.split()[2] for l in text.splitlines() if l.startswith("ALERT ")],
     [r["alert"] for r in out if r.get("type") == "alert"])
same("columns aligned", len({len(l) for l in text.split("\nCountries (")[1].splitlines()[1:3]}), 1)
same("stats record stays JSON", any(l.startswith('{"type":"stats"') for l in text.splitlines()),
     True)

# Long lists are cut at 25 rows, saying how many more there are.
recs = [pkt(1700000000 + i, "10.0.0.1", f"1.1.1.{i}", dst_country=chr(65 + i // 26) + chr(65 + i % 26))
        for i in range(30)]
many = show(subprocess.run([os.path.join(BIN, "tsa-aggregate")], input=stream(recs),
                           capture_output=True, check=True).stdout)
block = many.split("\nCountries (30)\n")[1].split("\n\n")[0].splitlines()
same("countries cut at 25", (len(block), block[-1]), (1 + 25 + 1, "  ... and 5 more"))

# --tables on a packet stream: packets stay JSON; a snapshot stream with --json is JSON.
out = show(cap, "--tables").splitlines()
same("--tables on packets", all(l.startswith("{") for l in out) and len(out) == len(frames) + 1,
     True)
done()
