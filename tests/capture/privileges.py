#!/usr/bin/python3
"""The privileges of a running tsa-capture, read from /proc/PID/status once
its capture is open (its header has reached the output), for each way it
can be started (issue 16.2 and 16.11); and the permission errors an
unprivileged user gets."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tsatest  # noqa: E402
from pktlib import check, finish  # noqa: E402

BIN = os.environ.get("TSA_BIN", "bin")
TMP = os.environ.get("TSA_TMP", "/tmp")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
tsatest.need_pcaps()
CAP = os.path.abspath(os.path.join(BIN, "tsa-capture"))
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
AMBIENT = ["--inh-caps=+net_raw,+net_admin", "--ambient-caps=+net_raw,+net_admin"]
CAP_NET_ADMIN, CAP_NET_RAW = 12, 13

# The tree may sit where nobody cannot read (under /root): files for that
# user go to a directory it can.
os.chmod(TMP, 0o755)
ini = os.path.join(TMP, "settings.ini")
shutil.copy(os.environ["TSA_SETTINGS"], ini)
os.chmod(ini, 0o644)


def status(pid):
    """The Uid line's real uid and the capability sets of /proc/PID/status."""
    st = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            st[k] = v.split()
    return (int(st["Uid"][0]), {k: int(st[k][0], 16) for k in
                                ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")},
            int(st["NoNewPrivs"][0]))


def live(name, prefix, args, settings=ini):
    """Start tsa-capture -i lo through prefix, wait for its header, read its
    status, send it one datagram of its own, stop it with SIGTERM.
    Returns (uid, caps, no_new_privs, status, stderr, records)."""
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    port = rx.getsockname()[1]
    out_path = os.path.join(TMP, name + ".tsa")
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        p = subprocess.Popen(prefix + [CAP, "--settings", settings, "-i", "lo"] +
                             args + ["udp", "dst", "port", str(port)],
                             stdout=out, stderr=err)
        for _ in range(100):
            if os.path.getsize(out_path) > 0 or p.poll() is not None:
                break
            time.sleep(0.05)
        try:
            uid, caps, nnp = status(p.pid)
        except (OSError, KeyError):
            uid, caps, nnp = None, {}, None
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
            b"privileges", ("127.0.0.1", port))
        time.sleep(1.2)             # output is flushed at least once a second
        p.send_signal(signal.SIGTERM)
        rc = p.wait(10)
    recs = tsatest.records(open(out_path, "rb").read())
    mine = [r for r in recs if r.get("dst_port") == port]
    return uid, caps, nnp, rc, open(out_path + ".err").read(), mine


def sets(caps, names):
    return {k: caps.get(k) for k in names}


EMPTY = ("CapInh", "CapPrm", "CapEff", "CapAmb")
ALL = EMPTY + ("CapBnd",)

# 1. Root, the default user (nobody): another uid, nothing left.
uid, caps, nnp, rc, err, mine = live("default", [], [])
check(uid == 65534 and all(caps.get(k) == 0 for k in ALL) and nnp == 1,
      "as root, default user: uid %s, no capability in any set, no_new_privs: %r"
      % (uid, caps))
check(rc == 0 and len(mine) == 1, "and it still captures (status %d, %d records)"
      % (rc, len(mine)))

# 2. Told to stay root, by -Z root or by an empty [capture] User: uid 0,
# every set empty, bounding set too, and one line saying so.
noroot = os.path.join(TMP, "stay-root.ini")
with open(ini) as f, open(noroot, "w") as g:
    g.write("".join(l for l in f if not l.startswith("User")).replace(
        "[capture]\n", "[capture]\nUser =\n"))
for name, args, settings, user in (("Z-root", ["-Z", "root"], ini, "root"),
                                   ("empty-user", [], noroot, "")):
    uid, caps, nnp, rc, err, mine = live(name, [], args, settings)
    check(uid == 0 and all(caps.get(k) == 0 for k in ALL) and nnp == 1,
          "%s: stays uid 0 with no capability in any set: uid %s %r" % (name, uid, caps))
    lines = err.splitlines()
    check(lines[:1] == ['tsa-capture: staying root as asked (user "%s"), but '
                        'with no capabilities' % user] and rc == 0 and len(mine) == 1,
          "%s: one line says so, and it captures: %r" % (name, lines[:1]))
uid, caps, nnp, rc, err, mine = live("Z-root-q", [], ["-q", "-Z", "root"])
check(uid == 0 and caps.get("CapEff") == 0 and err == "",
      "-q -Z root: no capabilities, nothing on stderr: %r" % err)

# 3. An ordinary user with ambient CAP_NET_RAW and CAP_NET_ADMIN: it can
# open lo, and keeps none of them (the bounding set is not its to change).
uid, caps, nnp, rc, err, mine = live("ambient", NOBODY + AMBIENT, [])
check(uid == 65534 and all(caps.get(k) == 0 for k in EMPTY) and nnp == 1,
      "nobody with ambient net_raw,net_admin: every set empty after opening "
      "lo: %r" % sets(caps, EMPTY))
check(caps.get("CapBnd", 0) >> CAP_NET_RAW & 1, "(its bounding set is left as it was)")
check(rc == 0 and len(mine) == 1 and err.startswith("1 packets captured"),
      "and it captures: status %d, %d records, stderr %r" % (rc, len(mine), err))

# 4. The same user without capabilities: refused, in one line.


def refused(what, argv, pattern):
    p = subprocess.run(NOBODY + ["env", "TSA_SETTINGS=" + ini, CAP] + argv,
                       capture_output=True, text=True)
    check(p.returncode == 1 and p.stderr.count("\n") == 1 and
          p.stderr.startswith(pattern), "%s: status %d, %r" %
          (what, p.returncode, p.stderr))


secret = os.path.join(TMP, "secret.pcap")
shutil.copy(os.path.join(PCAPS, "zeek-wikipedia.pcap"), secret)
os.chmod(secret, 0o600)
refused("a file nobody may not read", ["-r", secret],
        "tsa-capture: %s: Permission denied" % secret)
refused("a live capture without capabilities", ["-i", "lo"],
        "tsa-capture: lo: permission denied (capturing needs root or "
        "CAP_NET_RAW and CAP_NET_ADMIN)")
finish()
