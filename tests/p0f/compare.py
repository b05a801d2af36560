#!/usr/bin/python3
"""Compare tsa-p0f --compat with p0f 3.09b (the oracle) on capture files.

Both directions:
- for every observation p0f logs (p0f -r FILE -o LOG) of the kinds syn,
  syn+ack, mtu, http request, http response and uptime, the record tsa-p0f
  annotated for the same connection and direction (in order) must carry
  the same OS or application label, raw signature, link, language and
  uptime; p0f's first "host change" and "ip sharing" report for a host must
  fall on the packet where tsa-p0f first flags it;
- every fingerprint, MTU, uptime and flag tsa-p0f --compat writes must be
  one p0f logged: the others count as kinds "unreported syn", "unreported
  mtu", ... and are differences too.

The stream comes from $TSA_BIN/tsa-capture -r FILE.  The exits of
tsa-capture, tsa-p0f and p0f are checked: a failure is an error of the
comparison, unless the file is one tsa-capture refuses (CAPTURE_REFUSES).

usage: compare.py [--json] FILE...
Prints one line per difference and a summary per kind; with --json the
summary is a JSON object on the last line.  tests/p0f/oracle.t uses it as
a module.
"""
import ipaddress
import json
import os
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("TSA_BIN", os.path.join(HERE, "..", "..", "bin"))
TMP = os.environ.get("TSA_TMP", "/tmp")

# Captures tsa-capture stops reading part way, with the reason: tsa-capture
# must say so and exit 1, tsa-p0f must then report the incomplete stream
# and exit 1.  Any other failure of any of the three programs is an error.
CAPTURE_REFUSES = {
    "ppp-many_interfaces-1.pcapng":
        "libpcap reads a pcapng file only while its interfaces have the "
        "first one's link type; this one mixes them (tsa-capture says so)",
}


def p0f_addr(b):
    """An address as p0f prints it: IPv6 as 8 unpadded hex groups."""
    if len(b) == 4:
        return str(ipaddress.IPv4Address(b))
    return ":".join("%x" % (b[i] << 8 | b[i + 1]) for i in range(0, 16, 2))


def run_p0f(path, errors):
    """p0f's observations, as dicts of their fields."""
    log = os.path.join(TMP, "p0f.log")
    if os.path.exists(log):
        os.unlink(log)
    p = subprocess.run(["p0f", "-r", path, "-o", log],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode != 0:
        errors.append("p0f -r %s: exit %d: %s" % (
            path, p.returncode, p.stderr.decode("latin-1")[-300:]))
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


def run_tsa(path, errors, compat=True):
    """tsa-capture -r path | tsa-p0f [--compat]: the packet records."""
    src = subprocess.Popen([os.path.join(BIN, "tsa-capture"), "-r", path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    args = [os.path.join(BIN, "tsa-p0f")] + (["--compat"] if compat else [])
    p = subprocess.run(args, stdin=src.stdout, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    src.stdout.close()
    err = src.stderr.read().decode()
    refused = os.path.basename(path) in CAPTURE_REFUSES
    want = 1 if refused else 0
    if src.wait() != want:
        errors.append("tsa-capture -r %s: exit %d (want %d): %s" % (
            path, src.returncode, want, err.strip()))
    if p.returncode != want:
        errors.append("tsa-p0f on %s: exit %d (want %d): %s" % (
            path, p.returncode, want, p.stderr.decode().strip()))
    return [r for r in tsatest.host_view(tsatest.maps(p.stdout)[1:])
            if "src_addr" in r]


def compare(path):
    """Returns a dict: stats (kind -> [observations, agreeing]), diffs
    (tuples, kind first), labelled (syn and syn+ack observations with an
    OS label, os=, that agree) and errors (the tools' failures)."""
    errors = []
    obs = run_p0f(path, errors)
    recs = run_tsa(path, errors)
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
    reports = defaultdict(list)     # (host, kind) -> [(ports, reason)]
    used = defaultdict(int)
    stats = defaultdict(lambda: [0, 0])
    labelled = defaultdict(int)
    diffs = []
    # Records whose p0f_mtu and p0f_uptime_min an observation of p0f's
    # accounts for, by id().
    mtu_seen, uptime_seen = set(), set()

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
            cli, srv = o["cli"].rsplit("/", 1), o["srv"].rsplit("/", 1)
            host, ports = ((cli[0], (int(cli[1]), int(srv[1])))
                           if o.get("subj") == "cli" else
                           (srv[0], (int(srv[1]), int(cli[1]))))
            reports[(host, mod)].append((ports, o.get("reason", "")))
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
            if ok and o.get("os", "???") != "???":
                labelled[mod] += 1
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
            if r is not None:
                mtu_seen.add(id(r))
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
            if r is not None:
                uptime_seen.add(id(r))
            if r and "p0f_uptime_min" in r:
                m = r["p0f_uptime_min"]
                got = "%d days %d hrs %d min (modulo %d days)" % (
                    m // 1440, m // 60 % 24, m % 60, r["p0f_uptime_mod_days"])
            ok = got == want
            stats[mod][1] += ok
            if not ok:
                diffs.append((mod, fwd, want, got))
    # p0f's first report for a host: tsa-p0f's flag must first show on a
    # packet of the same connection from that host.  A report for the HTTP
    # Date among its reasons may be p0f's date bug (tests/p0f/oracle.t): if
    # tsa-p0f does not flag it, p0f's next report is the one to match.  When no
    # report is matched, the difference names the last one looked at.
    for (host, kind), lst in reports.items():
        got = flagged.get((host, kind))
        stats[kind][0] += 1
        for ports, reason in lst:
            if got == ports or "date" not in reason.split():
                break
        if got == ports:
            stats[kind][1] += 1
        else:
            diffs.append((kind, host, ports, reason, got))
    # The other direction: what tsa-p0f --compat wrote and p0f never
    # logged (in compat mode it reports what p0f reports, no more).
    for key, lst in by.items():
        for r in lst[used[key]:]:
            kind = "unreported " + key[-1]
            stats[kind][0] += 1
            diffs.append((kind, key[:4], r.get("p0f_label",
                          r.get("p0f_http_label")),
                          r.get("p0f_raw_sig", r.get("p0f_http_raw_sig"))))
        for r in lst[:used[key]]:
            if "p0f_mtu" in r and id(r) not in mtu_seen:
                stats["unreported mtu"][0] += 1
                diffs.append(("unreported mtu", key[:4], r["p0f_mtu"],
                              r.get("p0f_link")))
            if "p0f_uptime_min" in r and id(r) not in uptime_seen:
                stats["unreported uptime"][0] += 1
                diffs.append(("unreported uptime", key[:4],
                              r["p0f_uptime_min"]))
    for (host, kind), ports in sorted(flagged.items()):
        if (host, kind) not in reports:
            stats["unreported " + kind][0] += 1
            diffs.append(("unreported " + kind, host, ports))
    return {"stats": stats, "diffs": diffs, "labelled": labelled,
            "errors": errors}


def main():
    args = sys.argv[1:]
    as_json = bool(args) and args[0] == "--json"
    if as_json:
        args = args[1:]
    total = defaultdict(lambda: [0, 0])
    for path in args:
        res = compare(path)
        for e in res["errors"]:
            print("ERROR", e)
        for k, (n, ok) in res["stats"].items():
            total[k][0] += n
            total[k][1] += ok
        for d in res["diffs"]:
            print("DIFF %s %s" % (os.path.basename(path),
                                  " | ".join(str(x) for x in d)))
    for k, (n, ok) in sorted(total.items()):
        print("%-14s %5d observations, %5d agree" % (k, n, ok))
    if as_json:
        print(json.dumps({k: v for k, v in total.items()}))


if __name__ == "__main__":
    main()
