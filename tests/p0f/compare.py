#!/usr/bin/python3
"""Compare tsa-p0f with p0f 3.09b (the oracle) on capture files.

For every observation p0f logs (p0f -r FILE -o LOG) of the kinds syn,
syn+ack, mtu, http request, http response and uptime, find the record
tsa-p0f annotated for the same connection and direction (in order) and
compare the OS or application label, the raw signature, the link, the
language and the uptime.

usage: compare.py [--json] FILE...
The stream comes from $TSA_BIN/tsa-capture -r FILE.  Prints one line per
difference and a summary per kind; with --json the summary is a JSON
object on the last line.  tests/p0f/oracle.t uses it as a module.
"""
import ipaddress
import json
import os
import subprocess
import sys
from collections import defaultdict

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("TSA_BIN", os.path.join(HERE, "..", "..", "bin"))
TMP = os.environ.get("TSA_TMP", "/tmp")


def p0f_addr(b):
    """An address as p0f prints it: IPv6 as 8 unpadded hex groups."""
    if len(b) == 4:
        return str(ipaddress.IPv4Address(b))
    return ":".join("%x" % (b[i] << 8 | b[i + 1]) for i in range(0, 16, 2))


def run_p0f(path):
    log = os.path.join(TMP, "p0f.log")
    if os.path.exists(log):
        os.unlink(log)
    subprocess.run(["p0f", "-r", path, "-o", log], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    obs = []
    if not os.path.exists(log):
        return obs
    with open(log, encoding="latin-1") as f:
        for line in f:
            line = line.rstrip("\n")
            fields = {}
            for part in line.split("] ", 1)[1].split("|"):
                k, _, v = part.partition("=")
                fields.setdefault(k, v)
            # raw_sig may itself contain '|': keep everything after it
            if "raw_sig=" in line:
                fields["raw_sig"] = line.split("|raw_sig=", 1)[1]
            obs.append(fields)
    return obs


# Captures tsa-capture stops reading part way, with the reason; any other
# failure of either tool fails the comparison.
CAPTURE_REFUSES = {
    "ppp-many_interfaces-1.pcapng":
        "libpcap reads a pcapng file only while its interfaces have the "
        "first one's link type; this one mixes them (tsa-capture says so)",
}


def run_tsa(path, compat=True):
    src = subprocess.Popen([os.path.join(BIN, "tsa-capture"), "-r", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    args = [os.path.join(BIN, "tsa-p0f")] + (["--compat"] if compat else [])
    p = subprocess.run(args, stdin=src.stdout, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    src.stdout.close()
    err = src.stderr.read().decode()
    refused = os.path.basename(path) in CAPTURE_REFUSES
    if src.wait() != 0 and not refused:
        raise SystemExit("tsa-capture -r %s: exit %d: %s" % (path, src.returncode, err))
    if p.returncode != (1 if refused else 0):
        raise SystemExit("tsa-p0f on %s: exit %d: %s" % (path, p.returncode,
                                                         p.stderr.decode()))
    return [r for r in tsatest.maps(p.stdout)[1:] if "src_addr" in r]


def compare(path):
    obs = run_p0f(path)
    recs = run_tsa(path)
    # Records by (src, sport, dst, dport, kind), in stream order.
    by = defaultdict(list)
    for r in recs:
        if "src_port" not in r:
            continue
        k = (p0f_addr(r["src_addr"]), r["src_port"], p0f_addr(r["dst_addr"]),
             r["dst_port"])
        if "p0f_raw_sig" in r:
            kind = "syn+ack" if r["tcp_flags"] & 0x10 else "syn"
            by[k + (kind,)].append(r)
        if "p0f_http_raw_sig" in r:
            by[k + ("http",)].append(r)
    # The first record on which each host's NAT / host-change flag shows.
    flagged = {}
    for r in recs:
        for key, kind in (("src_os_change", "host change"),
                          ("src_nat", "ip sharing")):
            if r.get(key) and "src_port" in r:
                flagged.setdefault((p0f_addr(r["src_addr"]), kind),
                                   (r["src_port"], r["dst_port"]))
    reported = set()
    used = defaultdict(int)
    stats = defaultdict(lambda: [0, 0])
    diffs = []

    def find(key, want):
        """The record p0f's observation is about, matching in order."""
        lst = by.get(key, [])
        i = used[key]
        if want == "next":
            if i < len(lst):
                used[key] += 1
                return lst[i]
            return None
        return lst[i - 1] if 0 < i <= len(lst) else None

    prev = {}
    for o in obs:
        last, prev = prev, o
        mod = o.get("mod")
        if mod in ("host change", "ip sharing"):
            # p0f's first report for a host: tsa-p0f's flag must first
            # show on a packet of the same connection from that host.
            cli, srv = o["cli"].rsplit("/", 1), o["srv"].rsplit("/", 1)
            host, ports = ((cli[0], (int(cli[1]), int(srv[1])))
                           if o.get("subj") == "cli" else
                           (srv[0], (int(srv[1]), int(cli[1]))))
            if (host, mod) in reported:
                continue
            reported.add((host, mod))
            stats[mod][0] += 1
            ok = flagged.get((host, mod)) == ports
            stats[mod][1] += ok
            if not ok:
                diffs.append((mod, host, ports, o.get("reason"),
                              flagged.get((host, mod))))
            continue
        if mod not in ("syn", "syn+ack", "mtu", "http request",
                       "http response", "uptime"):
            continue
        cli, srv = o["cli"].rsplit("/", 1), o["srv"].rsplit("/", 1)
        cli = (cli[0], int(cli[1]))
        srv = (srv[0], int(srv[1]))
        subj_cli = o.get("subj") == "cli"
        fwd = cli + srv if subj_cli else srv + cli
        if mod in ("syn", "syn+ack"):
            r = find(fwd + (mod,), "next")
            want_label = o.get("os", o.get("app"))
            got = r and (r.get("p0f_label", "???") if r["p0f_match"] != "none"
                         else "???")
            ok = r is not None and got == want_label and \
                r["p0f_raw_sig"] == o["raw_sig"]
            stats[mod][0] += 1
            stats[mod][1] += ok
            if not ok:
                diffs.append((mod, fwd, want_label, o["raw_sig"],
                              got, r and r["p0f_raw_sig"]))
        elif mod == "mtu":
            # the SYN or SYN+ACK just fingerprinted for this subject
            r = find(fwd + ("syn" if subj_cli else "syn+ack",), "last")
            want = o.get("link")
            got = r and r.get("p0f_link", "???")
            ok = r is not None and got == want and \
                str(r.get("p0f_mtu")) == o.get("raw_mtu")
            stats[mod][0] += 1
            stats[mod][1] += ok
            if not ok:
                diffs.append((mod, fwd, want, o.get("raw_mtu"), got,
                              r and r.get("p0f_mtu")))
        elif mod.startswith("http"):
            r = find(fwd + ("http",), "next")
            want_app = o.get("app", o.get("os"))
            got_app = r and r.get("p0f_http_label", "???")
            want_lang = o.get("lang")
            got_lang = r and r.get("p0f_lang", want_lang
                                   if want_lang in ("none", "???") else None)
            ok = r is not None and got_app == want_app and \
                got_lang == want_lang and \
                r["p0f_http_raw_sig"] == o["raw_sig"] and \
                ("dishonest" in o.get("params", "")) == \
                bool(r.get("p0f_http_dishonest"))
            stats[mod][0] += 1
            stats[mod][1] += ok
            if not ok:
                diffs.append((mod, fwd, want_app, want_lang, o["raw_sig"],
                              got_app, got_lang, r and r["p0f_http_raw_sig"]))
        elif mod == "uptime":
            # p0f measures on the SYN or SYN+ACK (logged right after it)
            # and on later packets of the connection; records carry TCP
            # timestamps only on SYN and SYN+ACK.
            same = all(last.get(k) == o.get(k) for k in ("cli", "srv", "subj"))
            if not (same and last.get("mod") in ("syn", "syn+ack", "mtu")):
                stats["uptime (later packet)"][0] += 1
                continue
            stats[mod][0] += 1
            want = o.get("uptime")
            r = find(fwd + ("syn" if subj_cli else "syn+ack",), "last")
            got = None
            if r and "p0f_uptime_min" in r:
                m = r["p0f_uptime_min"]
                got = "%d days %d hrs %d min (modulo %d days)" % (
                    m // 1440, m // 60 % 24, m % 60, r["p0f_uptime_mod_days"])
            ok = got == want
            stats[mod][1] += ok
            if not ok:
                diffs.append((mod, fwd, want, got))
    return stats, diffs


def main():
    args = sys.argv[1:]
    as_json = bool(args) and args[0] == "--json"
    if as_json:
        args = args[1:]
    total = defaultdict(lambda: [0, 0])
    for path in args:
        stats, diffs = compare(path)
        for k, (n, ok) in stats.items():
            total[k][0] += n
            total[k][1] += ok
        for d in diffs:
            print("DIFF %s %s" % (os.path.basename(path),
                                  " | ".join(str(x) for x in d)))
    for k, (n, ok) in sorted(total.items()):
        print("%-14s %5d observations, %5d agree" % (k, n, ok))
    if as_json:
        print(json.dumps({k: v for k, v in total.items()}))


if __name__ == "__main__":
    main()
