#!/usr/bin/python3
# A server whose HTTP Date jumps is a host change for p0f (fp_http.c,
# score_nat: 'date'): two days ahead between two responses a minute apart,
# or a day back.  p0f and tsa-capture | tsa-p0f --compat must flag each
# such server on the same response; a server whose Date keeps time is never
# flagged by tsa-p0f.  (p0f's own Date may shift by an hour at random, see
# DATE_BUG in oracle.t: the jumps here are far larger, and the steady server
# is checked on tsa-p0f's side only.)
import email.utils
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

if not have_p0f():
    skip("p0f is not installed")

CLI = [10, 0, 0, 1]
MSS = struct.pack("!BBH", 2, 4, 1460)
T0 = 1700000000
REQ = (b"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\n"
       b"Accept: */*\r\n\r\n")


def seg(src, dst, sp, dp, fl, seq, ack, data=b"", opts=b""):
    return ipv4(src, dst, tcp_hdr(sp, dp, fl, 29200, opts, seq=seq, ack=ack)
                + data, ttl=64)


def response(date):
    return ("HTTP/1.1 200 OK\r\nDate: %s\r\nServer: Apache/2.4.57\r\n"
            "Content-Type: text/html\r\nContent-Length: 0\r\n\r\n"
            % email.utils.formatdate(date, usegmt=True)).encode()


# server -> (name, the Date of its second response, seconds after the
# first, flagged?)
servers = {
    (192, 0, 2, 10): ("jumps two days ahead", T0 + 60 + 2 * 86400, True),
    (192, 0, 2, 11): ("keeps time", T0 + 60, False),
    (192, 0, 2, 12): ("goes a day back", T0 + 60 - 86400, True),
}
pkts, port = [], 40000
for srv, (name, second, _) in servers.items():
    for i, date in enumerate((T0, second)):
        t = T0 + 60 * i + (srv[3] - 10) * 0.001
        s = list(srv)
        pkts += [
            (t, seg(CLI, s, port, 80, 0x02, 1000, 0, opts=MSS)),
            (t + .01, seg(s, CLI, 80, port, 0x12, 5000, 1001, opts=MSS)),
            (t + .02, seg(CLI, s, port, 80, 0x10, 1001, 5001)),
            (t + .03, seg(CLI, s, port, 80, 0x18, 1001, 5001, REQ)),
            (t + .04, seg(s, CLI, 80, port, 0x18, 5001, 1001 + len(REQ),
                          response(date)))]
        port += 1
pkts.sort(key=lambda p: p[0])
pcap = os.path.join(TMP, "date.pcap")
write_pcap(pcap, pkts)

# p0f's host change reports for the servers: (server, client port).
p0f = {}
for o in run_p0f(pcap):
    if o["mod"] == "host change" and o.get("subj") == "srv":
        srv = tuple(int(x) for x in o["srv"].rsplit("/", 1)[0].split("."))
        p0f.setdefault(srv, (int(o["cli"].rsplit("/", 1)[1]),
                             o.get("reason")))
cap = subprocess.run([os.path.join(BIN, "tsa-capture"), "-r", pcap],
                     capture_output=True)
check(cap.returncode == 0, "tsa-capture: exit %d" % cap.returncode)
_, _, recs, _ = run(["--compat"], cap.stdout)
tsa = {}
for r in recs:
    if r.get("src_os_change") and r.get("src_port") == 80:
        tsa.setdefault(tuple(r["src_addr"]), r["dst_port"])
for srv, (name, _, flagged) in servers.items():
    print("%-22s p0f %s, tsa-p0f %s" % (name, p0f.get(srv), tsa.get(srv)))
    if flagged:
        check(srv in p0f and "date" in p0f[srv][1].split(),
              "%s: p0f reports the Date jump (the test's premise)" % name)
        check(srv in tsa and tsa[srv] == p0f.get(srv, (None,))[0],
              "%s: tsa-p0f flags the server on the response p0f does"
              % name)
    else:
        check(srv not in tsa, "%s: tsa-p0f never flags it" % name)
done()
