#!/usr/bin/python3
# Another user against tsa-plot running as root (issue 16, items 1 and 2),
# each attack replayed as the unprivileged user nobody:
#  - an output directory another user can write is refused, in one line;
#  - links planted at every name tsa-plot might write (the final names and
#    every temporary name an attacker could predict) are never followed:
#    a root-owned mode-600 file stays as it was, no file appears through a
#    link;
#  - a loop swapping a malicious os.gp (and every other script) in while
#    tsa-plot runs never gets its system() run, nor its picture drawn;
#  - a gnuplot another user could have written, or found through a
#    relative PATH entry, is not run; the one that is runs with a clean
#    environment and no descriptor but its script, its PNG and stderr.
import os
import shutil
import stat
import subprocess
import sys
import time

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
from pngcheck import png_size
import snapshot

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
PY = os.environ.get("PY", "/usr/bin/python3")
PLOT = os.path.join(BIN, "tsa-plot")
if os.geteuid() != 0:
    print("needs root: the attacks are on tsa-plot running as root")
    sys.exit(77)
if not shutil.which("setpriv"):
    print("no setpriv")
    sys.exit(77)
NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
# nobody must reach the directories below.
os.chmod(TMP, 0o755)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done  # noqa: E402


def stream(n=2):
    recs = [snapshot.snapshot(k, final=k == n - 1) for k in range(n)]
    return msgpack.packb({"tsa": 1, "kind": "snapshots", "tools": []}) + \
        b"".join(msgpack.packb(r) for r in recs)


def plot(args, data=None, **kw):
    r = subprocess.run([PLOT] + args, input=data if data is not None else
                       stream(), capture_output=True, timeout=600, **kw)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def mkdir(name, mode, owner=0):
    path = os.path.join(TMP, name)
    os.mkdir(path)
    os.chmod(path, mode)
    os.chown(path, owner, owner)
    return path


NOBODY_UID = int(subprocess.run(["id", "-u", "nobody"], capture_output=True,
                                text=True).stdout)

# 1. Directories another user can write: one line, nothing written.
TAIL = (", so another user could replace what tsa-plot writes (use a "
        "directory only you can write, or --allow-shared-dir)\n")
for name, mode, owner, why in (
        ("world-writable", 0o777, 0, "writable by every user (mode 0777)"),
        ("group-writable", 0o775, 0, "writable by its group (mode 0775)"),
        ("nobodys", 0o755, NOBODY_UID,
         "owned by uid %d (nobody)" % NOBODY_UID)):
    d = mkdir(name, mode, owner)
    rc, err = plot(["-o", d + "/"])
    want = "tsa-plot: %s: refusing to write there: %s%s" % (d, why, TAIL)
    check(rc == 1 and err == want, "%s directory refused: %r" % (name, err))
    check(os.listdir(d) == [], "%s directory: nothing written" % name)
sticky = mkdir("sticky", 0o1777)
rc, err = plot(["--script-only", "-o", sticky])
check(rc == 0 and err == "", "a sticky directory (as /tmp) is used: %r"
      % err)
own = mkdir("own", 0o755)
link = os.path.join(TMP, "link")
os.symlink(own, link)
for arg in (link, link + "/"):
    rc, err = plot(["--script-only", "-o", arg])
    check(rc == 1 and err.count("\n") == 1 and "a symbolic link" in err,
          "output directory through a link (%s) refused: %r" % (arg, err))
check(os.listdir(own) == [], "nothing written through the link")
# A link on the way to the output directory that another user could have
# put there (in a directory of theirs, or theirs in a sticky directory) is
# not followed: it would steer tsa-plot into a directory of root's.
# root's own links are followed.
rootdir = mkdir("rootdir", 0o755)
os.mkdir(os.path.join(rootdir, "plots"))
eves = mkdir("eves", 0o755, NOBODY_UID)
for d, name in ((eves, "x"), (sticky, "y")):
    subprocess.run(NOBODY + ["ln", "-s", rootdir, os.path.join(d, name)],
                   check=True)
for via, why in ((os.path.join(eves, "x"), "its directory is owned by"),
                 (os.path.join(sticky, "y"), "the link is owned by")):
    rc, err = plot(["--script-only", "-o", via + "/plots"])
    want = ("tsa-plot: %s/plots: refusing to follow the symbolic link %s: "
            "another user could have put it there (%s uid %d (nobody); name "
            "the directory without it, or --allow-shared-dir)\n"
            % (via, os.path.basename(via), why, NOBODY_UID))
    check(rc == 1 and err == want, "-o through %s refused: %r" % (via, err))
    check(os.listdir(os.path.join(rootdir, "plots")) == [],
          "nothing written through %s" % via)
rootlink = os.path.join(TMP, "rootlink")
os.symlink(rootdir, rootlink)
rc, err = plot(["--script-only", "-o", rootlink + "/plots"])
check(rc == 0 and "world.gp" in os.listdir(os.path.join(rootdir, "plots")),
      "a link of root's on the way is followed: %r" % err)

# 2. Links planted at every name tsa-plot might use, by nobody, in a
# world-writable directory (with the override) and in a sticky one: half
# point at a root-owned mode-600 file, half at a file that does not exist.
secret = os.path.join(TMP, "secret")
with open(secret, "w") as f:
    f.write("root's secret\n")
os.chmod(secret, 0o600)
created = os.path.join(TMP, "created")
FIGURES = ["world", "europe", "countries", "domains", "os", "bandwidth"]
NAMES = ["index.html"] + [f + e for f in FIGURES for e in (".png", ".gp")]
PLANT = r"""
import os, sys
d, secret, created, first = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
names = sys.argv[5:]
n = 0
def plant(name):
    global n
    try:
        os.symlink(secret if n % 2 else created, os.path.join(d, name))
        n += 1
    except FileExistsError:
        pass
for name in names:
    plant(name)
    plant("." + name + ".tmp")
    plant(name + ".tmp")
    plant("." + name + ".tmp")
    for pid in range(first, first + 1500):
        plant(".%s.%d.tmp" % (name, pid))
print(n)
"""
for d, args in ((mkdir("shared", 0o777), ["--allow-shared-dir"]),
                (mkdir("sticky2", 0o1777), [])):
    last_pid = int(open("/proc/sys/kernel/ns_last_pid").read())
    r = subprocess.run(NOBODY + [PY, "-c", PLANT, d, secret, created,
                                 str(last_pid + 1)] + NAMES,
                       capture_output=True, text=True)
    planted = int(r.stdout or 0)
    check(planted > 10000, "nobody planted %d links in %s" % (planted, d))
    rc, err = plot(args + ["-o", d, "--size", "800x450", "-r", "europe"])
    check(rc == 0 and err == "", "%s: tsa-plot exits 0, says nothing: %r"
          % (d, err))
    st = os.stat(secret)
    check(open(secret).read() == "root's secret\n" and
          stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0,
          "the root-owned mode-600 file is untouched")
    check(not os.path.lexists(created), "no file created through a link")
    for name in NAMES:
        p = os.path.join(d, name)
        check(stat.S_ISREG(os.lstat(p).st_mode) and os.lstat(p).st_uid == 0,
              "%s is root's own regular file, not the link" % name)
    check(png_size(os.path.join(d, "world.png")) == (800, 450) and
          png_size(os.path.join(d, "europe.png")) == (800, 450),
          "world.png and europe.png are 800x450 PNGs")
    left = [n for n in os.listdir(d) if n.startswith(".") and
            not os.path.islink(os.path.join(d, n))]
    check(not left, "no temporary file left: %s" % left[:3])
    links = sum(os.path.islink(os.path.join(d, n)) for n in os.listdir(d))
    check(links == planted - len(NAMES), "the other %d links are where "
          "they were (%d)" % (planted - len(NAMES), links))

# 3. A loop swapping malicious scripts in over every .gp while tsa-plot
# runs (in a world-writable directory, with the override: without it the
# directory is refused).  Each would run system() and draw a 100x100 PNG.
swap = mkdir("swap", 0o777)
pwned_dir = mkdir("pwned", 0o1777)
pwned = os.path.join(pwned_dir, "pwned")
stop = os.path.join(TMP, "stop-swapping")
evil = ("system('id > %s')\nset terminal pngcairo size 100,100\n"
        "set output\nplot x\n" % pwned)
SWAP = r"""
import os, sys
d, stop, evil = sys.argv[1], sys.argv[2], sys.argv[3]
names = [f + ".gp" for f in sys.argv[4:]]
n = 0
while not os.path.exists(stop):
    for name in names:
        tmp = os.path.join(d, ".evil-" + name)
        try:
            with open(tmp, "w") as f:
                f.write(evil)
            os.rename(tmp, os.path.join(d, name))
            n += 1
        except OSError:
            pass
print(n)
"""
swapper = subprocess.Popen(NOBODY + [PY, "-c", SWAP, swap, stop, evil] +
                           FIGURES, stdout=subprocess.PIPE, text=True)
time.sleep(0.3)
rc, err = plot(["--allow-shared-dir", "-o", swap, "--size", "640x360", "-r",
                "europe"], stream(5))
open(stop, "w").close()
swaps = int(swapper.communicate(timeout=60)[0] or 0)
check(swaps > 100, "nobody swapped %d scripts in while tsa-plot ran"
      % swaps)
check(rc == 0 and err == "", "tsa-plot exits 0, says nothing: %r" % err)
check(not os.path.exists(pwned), "the swapped-in script's system() never "
      "ran (%s)" % (open(pwned).read().strip() if os.path.exists(pwned)
                    else "no file"))
check(png_size(os.path.join(swap, "os.png")) == (640, 150 + 26 * 5),
      "os.png is tsa-plot's picture (640x280), not the swapped script's")
check(png_size(os.path.join(swap, "world.png")) == (640, 360),
      "world.png is tsa-plot's picture (640x360)")

# 4. The gnuplot program: nobody's, or writable by others, or in a
# directory others can write: refused as root, in one line, before
# anything is drawn (the rule is the library's, tsa_path_trusted, with its
# override TSA_SAFE_PATHS), also when a settings file the library trusts
# names it.
evil_dir = mkdir("evil-dir", 0o777)
evil_sh = os.path.join(evil_dir, "evil.sh")
pwned2 = os.path.join(pwned_dir, "pwned2")
with open(evil_sh, "w") as f:
    f.write("#!/bin/sh\nid > %s\n" % pwned2)
os.chown(evil_sh, NOBODY_UID, NOBODY_UID)
os.chmod(evil_sh, 0o755)
out = mkdir("out4", 0o755)
REFUSE = ("tsa-plot: %s: not trusted as root: %s; to trust it anyway, set "
          "TSA_SAFE_PATHS=%s\n")
SHARED = ("directory %s is writable by every user (mode 0777), so another "
          "user could put a file of theirs there" % evil_dir)
rc, err = plot(["--gnuplot", "./evil.sh", "-o", out], cwd=evil_dir)
check(rc == 1 and err == REFUSE % ("./evil.sh", SHARED, evil_sh),
      "--gnuplot ./evil.sh (nobody's) refused: %r" % err)
ini = os.path.join(evil_dir, "settings.ini")
with open(ini, "w") as f:
    f.write("[plot]\nGnuplot = ./evil.sh\n")
os.chmod(ini, 0o644)
rc, err = plot(["--settings", ini, "-o", out], cwd=evil_dir)
check(rc != 0 and err.count("\n") == 1 and err.startswith(
      "tsa-plot: %s: not trusted as root: " % ini),
      "a settings file in that directory is refused (the library): %r" % err)
env = dict(os.environ, TSA_SAFE_PATHS=ini)
rc, err = plot(["--settings", ini, "-o", out], cwd=evil_dir, env=env)
check(rc == 1 and err == REFUSE % (os.path.join(evil_dir, "./evil.sh"),
      SHARED, evil_sh), "trusted anyway, it still cannot name nobody's "
      "program: %r" % err)
root_dir = mkdir("root-dir", 0o755)
root_sh = os.path.join(root_dir, "evil.sh")
shutil.copy(evil_sh, root_sh)
os.chmod(root_sh, 0o777)
rc, err = plot(["--gnuplot", root_sh, "-o", out])
check(rc == 1 and err == REFUSE % (root_sh, "%s is writable by every user "
      "(mode 0777)" % root_sh, root_sh),
      "root's mode-777 program refused: %r" % err)
os.chown(evil_sh, 0, 0)
rc, err = plot(["--gnuplot", evil_sh, "-o", out])
check(rc == 1 and err == REFUSE % (evil_sh, SHARED, evil_sh),
      "root's program in a world-writable directory refused: %r" % err)
check(not os.path.exists(pwned2) and os.listdir(out) == [],
      "none ran, nothing was drawn")
# A bare name: relative PATH entries are skipped, so nobody's "gnuplot"
# in the current directory is not even considered.
fake = os.path.join(evil_dir, "gnuplot")
shutil.copy(evil_sh, fake)
os.chown(fake, NOBODY_UID, NOBODY_UID)
env = dict(os.environ, PATH=".:/usr/bin:/bin")
rc, err = plot(["--size", "640x360", "-o", out], cwd=evil_dir, env=env)
check(rc == 0 and err == "" and png_size(os.path.join(out, "world.png")) ==
      (640, 360), "PATH=.:/usr/bin: the real gnuplot drew world.png: %r"
      % err)
check(not os.path.exists(pwned2), "no evil program ran")
check(os.listdir(out) and all(os.lstat(os.path.join(out, n)).st_uid == 0
                              for n in os.listdir(out)),
      "every output file is root's")

# 5. What the gnuplot that runs gets: a fixed environment whatever the
# caller's, and no descriptor but 0 (the script), 1 (the PNG) and 2.
rootbin = mkdir("rootbin", 0o755)
spy = os.path.join(rootbin, "gnuplot")
seen = os.path.join(pwned_dir, "seen")
gnuplot = shutil.which("gnuplot", path="/usr/bin:/bin")
with open(spy, "w") as f:
    f.write("""#!%s -I
import os, sys
open("%s.env", "wb").write(open("/proc/self/environ", "rb").read())
fds = {}
for x in os.listdir("/proc/self/fd"):
    try:  # the listing's own descriptor is closed by now
        fds[int(x)] = os.readlink("/proc/self/fd/" + x)
    except OSError:
        pass
kinds = [os.path.isfile("/proc/self/fd/%%d" %% i) for i in (0, 1)]
open("%s.fd", "w").write(" ".join(str(i) for i in sorted(fds)))
open("%s.kind", "w").write(" ".join(fds.get(i, "") for i in (0, 1))
                           if all(kinds) else "")
os.execv("%s", ["%s"] + sys.argv[1:])
""" % (PY, seen, seen, seen, gnuplot, gnuplot))
os.chmod(spy, 0o755)
env = dict(os.environ, LD_PRELOAD="", LD_LIBRARY_PATH="/nonexistent",
           GNUPLOT_LIB="/nonexistent", GNUPLOT_DRIVER_DIR="/nonexistent",
           HOME=evil_dir, FONTCONFIG_FILE="/nonexistent")
out5 = mkdir("out5", 0o755)
rc, err = plot(["--gnuplot", spy, "--size", "640x360", "-o", out5], env=env)
check(rc == 0 and err == "", "tsa-plot with the spy gnuplot exits 0: %r"
      % err)
got = sorted(open(seen + ".env").read().split("\0")[:-1])
check(got == ["LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin"],
      "gnuplot's environment is the fixed one: %s" % got)
fds = sorted(open(seen + ".fd").read().split())
check(fds == ["0", "1", "2"], "gnuplot's descriptors are 0, 1, 2 only: %s"
      % fds)
kind = open(seen + ".kind").read().split()
check(len(kind) == 2 and kind[0].startswith(out5 + "/") and
      kind[0].endswith(".gp") and kind[1].startswith(out5 + "/.") and
      ".png." in kind[1], "its input is the script tsa-plot wrote, its "
      "output a temporary file tsa-plot made: %s" % kind)
done()
