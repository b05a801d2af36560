#!/usr/bin/python3
# One declaration per option: each tool's option table (--list-options) is
# what settings.ini, --help and the man page say.  Every option is in the
# tool's --help and man page; every setting it reads is in settings.ini
# with the table's default; every key of settings.ini is some tool's.
import configparser
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import BIN, check, done  # noqa: E402

TOP = os.environ.get("TSA_TOP", ".")
ini = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",),
                                strict=False)
ini.optionxform = str
ini.read(os.path.join(TOP, "settings.ini"))
in_ini = {(s.lower(), k.lower()): v for s in ini.sections() for k, v in ini[s].items()}
claimed = set()
tools = sorted(os.path.basename(p) for p in glob.glob(os.path.join(BIN, "tsa-*")))
check(len(tools) >= 8, "tools in %s: %s" % (BIN, tools))
for tool in tools:
    p = subprocess.run([os.path.join(BIN, tool), "--list-options"],
                       capture_output=True, text=True)
    if not check(p.returncode == 0, "%s --list-options: exit %d %s"
                 % (tool, p.returncode, p.stderr.strip())):
        continue
    helptext = subprocess.run([os.path.join(BIN, tool), "--help"],
                              capture_output=True, text=True).stdout
    man = open(os.path.join(TOP, tool, tool + ".1")).read().replace("\\-", "-")
    man = re.sub(r"\\f[BIRP]|\\f\(..|^\.[A-Z]+ ?", "", man, flags=re.M)
    n = 0
    for line in p.stdout.splitlines():
        name, short, typ, section, key, default, lo, hi = line.split("\t")
        n += 1
        check("--" + name in helptext, "%s: --%s in --help" % (tool, name))
        check(re.search(r"(^|[^-\w])--%s\b" % re.escape(name), man) is not None,
              "%s: --%s in %s.1" % (tool, name, tool))
        if short != "-":
            check(re.search(r"(^|[^-\w])-%s\b" % re.escape(short), man) is not None,
                  "%s: -%s in %s.1" % (tool, short, tool))
        if section == "-":
            continue
        claimed.add((section.lower(), key.lower()))
        want = in_ini.get((section.lower(), key.lower()))
        check(want is not None, "%s: [%s] %s in settings.ini" % (tool, section, key))
        check(want is None or want == default,
              "%s: [%s] %s = %r in settings.ini, the table's default is %r"
              % (tool, section, key, want, default))
    check(n > 4, "%s: %d options" % (tool, n))
for (s, k) in sorted(set(in_ini) - claimed):
    check(False, "settings.ini: [%s] %s is no tool's option" % (s, k))
done()
