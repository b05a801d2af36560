#!/usr/bin/python3
# What docs/nats.md and tsa-nats(1) promise: the three-node configuration
# of docs/nats/ is one nats-server accepts, and the users of its
# accounts.conf may do what they need and no more (a sensor may not read,
# a collector may not publish); every [nats] key of settings.ini is an
# option of tsa-nats and the man page names each.
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
docs = os.path.join(TOP, "docs", "nats")
P = make_pki(os.path.join(TMP, "pki"))
conf = os.path.join(TMP, "conf")
os.makedirs(conf)
for f in os.listdir(docs):
    with open(os.path.join(docs, f)) as src, open(os.path.join(conf, f), "w") as dst:
        dst.write(src.read().replace("/etc/nats/", P("")).replace(
            "/var/lib/nats/jetstream", os.path.join(TMP, "js")))
for n in ("n1", "n2", "n3"):
    r = subprocess.run(["nats-server", "-t", "-c", os.path.join(conf, n + ".conf")],
                       capture_output=True, text=True)
    check(r.returncode == 0 and "is valid" in r.stderr,
          "docs/nats/%s.conf: nats-server -t: %s" % (n, r.stderr.strip()))

# The users and their permissions, on one server.
srv = Server("acl", ["-c", os.path.join(TMP, "acl.conf")])
with open(os.path.join(TMP, "acl.conf"), "w") as f:
    f.write(ACCOUNTS + "\n")
srv.start()
a = packets(200, "site1")
p = subprocess.run([TOOL, "pub", "-s", srv.url, "tsa.site1"] + SENSOR,
                   input=stream("site1", a), capture_output=True)
same("the sensor publishes (and makes the stream)", p.returncode, 0)
s = subprocess.run([TOOL, "sub", "-s", srv.url, "--since", "all", "--ends", "1", "tsa.site1",
                    "--durable", "coll"] + COLLECTOR, capture_output=True, timeout=30)
same("the collector reads", (s.returncode, by_sensor(tsatest.read(s.stdout)[1]).get("site1")),
     (0, a))
s = subprocess.run([TOOL, "sub", "-s", srv.url, "--since", "all", "--idle", "1",
                    "tsa.site1"] + SENSOR, capture_output=True, text=True, timeout=30)
same("the sensor may not read: exit status", s.returncode, 1)
check(len(s.stderr.strip().splitlines()) == 1 and "ermission" in s.stderr,
      "... one line: %s" % s.stderr.strip())
p = subprocess.run([TOOL, "pub", "-s", srv.url, "tsa.site1"] + COLLECTOR,
                   input=stream("site1", a), capture_output=True, timeout=30)
err = p.stderr.decode()
same("the collector may not publish: exit status", p.returncode, 1)
check(len(err.strip().splitlines()) == 1 and "ermission" in err,
      "... one line: %s" % err.strip())
srv.stop()

# settings.ini, --list-options and the man page agree.
opts = [l.split("\t") for l in subprocess.run([TOOL, "--list-options"], capture_output=True,
                                               text=True, check=True).stdout.splitlines()]
keys = sorted(o[4] for o in opts if o[3] == "nats")
ini, section = [], None
for line in open(os.path.join(TOP, "settings.ini")):
    m = re.match(r"\s*\[(\w+)\]", line)
    if m:
        section = m.group(1)
    elif section == "nats" and re.match(r"\s*\w+\s*=", line):
        ini.append(line.split("=")[0].strip())
same("settings.ini [nats] has every key tsa-nats reads, and only those", sorted(ini), keys)
man = open(os.path.join(TOP, "tsa-nats", "tsa-nats.1")).read().replace("\\-", "-")
for o in opts:
    if o[2] != "builtin":
        check("--" + o[0] in man, "the man page names --%s" % o[0])
for k in keys:
    check(re.search(r"\b%s\b" % k, man), "the man page names [nats] %s" % k)
finish()
