#!/usr/bin/python3
"""A tool's output file as root (issue 16.1's attack on every other tool):
README's `tsa-filter --fail dns.tsa` run as root in a directory another
user can write, where that user planted dns.tsa -> a root-only file, wrote
the stream over that file.  Now an existing output that another user could
have put there (a link, or a file of theirs) is refused in one line and
left alone; a new file is created exclusively (no link followed), and
pipes and /dev/null are written as before."""
import os
import pwd
import shutil
import subprocess
import sys

BIN = os.environ["TSA_BIN"]
TMP = os.environ["TSA_TMP"]
PCAP = os.path.join(os.environ["PCAPS"], "zeek-wikipedia.pcap")
if os.geteuid() != 0:
    print("not root: the attack is on a tool running as root")
    sys.exit(77)
nobody = pwd.getpwnam("nobody")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tsatest import check, done, read  # noqa: E402


def passed(out):
    """Whether out is the stream tsa-geo makes of the input: a header, and
    as many records."""
    try:
        h, recs, _ = read(out)
    except Exception:
        return False
    return h.get("tsa") == 1 and len(recs) == len(read(stream)[1])


os.chmod(TMP, 0o755)                 # nobody may reach the shared dir
victim = os.path.join(TMP, "victim")
with open(victim, "w") as f:
    f.write("root's secret\n")
os.chmod(victim, 0o600)
shared = os.path.join(TMP, "shared")
os.mkdir(shared)
os.chown(shared, nobody.pw_uid, nobody.pw_gid)


def as_nobody(fn):
    pid = os.fork()
    if pid == 0:
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
        fn()
        os._exit(0)
    os.waitpid(pid, 0)


as_nobody(lambda: (os.symlink(victim, os.path.join(shared, "dns.tsa")),
                   os.symlink(victim, os.path.join(shared, "out.pcap")),
                   open(os.path.join(shared, "hers.tsa"), "w").close()))
stream = subprocess.run([os.path.join(BIN, "tsa-capture"), "-q", "-c", "30", "-r", PCAP],
                        capture_output=True, check=True).stdout


def run(argv, data=b""):
    p = subprocess.run([os.path.join(BIN, argv[0])] + argv[1:], input=data,
                       capture_output=True)
    return p.returncode, p.stderr.decode()


cases = [
    (["tsa-filter", "--fail", os.path.join(shared, "dns.tsa"), "protocol == tcp"], stream,
     "a symbolic link"),
    (["tsa-geo", "-o", os.path.join(shared, "dns.tsa")], stream, "a symbolic link"),
    (["tsa-gen", "-n", "10", "-o", os.path.join(shared, "out.pcap")], b"", "a symbolic link"),
    (["tsa-aggregate", "-o", os.path.join(shared, "hers.tsa")], stream, "owned by nobody"),
    (["tsa-print", "-o", os.path.join(shared, "dns.tsa")], stream, "a symbolic link"),
]
for argv, data, why in cases:
    rc, err = run(argv, data)
    check(rc == 1 and len(err.splitlines()) == 1 and why in err,
          "%s: refused in one line (%s): %d %r" % (" ".join(argv[:3]), why, rc, err))
check(open(victim).read() == "root's secret\n", "the root-only file is untouched")
check(os.path.getsize(os.path.join(shared, "hers.tsa")) == 0, "nobody's file is untouched")

new = os.path.join(shared, "new.tsa")
rc, err = run(["tsa-geo", "-o", new], stream)
check(rc == 0 and err == "" and os.stat(new).st_uid == 0 and
      passed(open(new, "rb").read()),
      "a new file in that directory is created and written: %d %r" % (rc, err))
rc, err = run(["tsa-geo", "-o", "/dev/null"], stream)
check(rc == 0 and err == "", "/dev/null: %d %r" % (rc, err))
p = subprocess.run(["sh", "-c", 'exec "$0" -o /dev/fd/3 3>&1 >/dev/null',
                    os.path.join(BIN, "tsa-geo")], input=stream, capture_output=True)
check(p.returncode == 0 and passed(p.stdout), "a pipe as /dev/fd/3: %d %r"
      % (p.returncode, p.stderr.decode()))
mine = os.path.join(TMP, "mine.tsa")
for k in range(2):                   # created, then truncated and written again
    rc, err = run(["tsa-geo", "-o", mine], stream)
    check(rc == 0 and err == "", "root's own directory, run %d: %d %r" % (k + 1, rc, err))
done()
