#!/usr/bin/python3
"""The domain arena attack (issue 16): 40,000 long names (244 bytes), each
by the SNI of a packet to a new destination, then short ones until no name
fits, then an ordinary name.  Before, every new name then ran a collection
that freed nothing (18.8 s against 0.04 s) and the ordinary name was lost.
Now the oldest addresses forget their names to make room: the ordinary name
is kept, and the attack costs about what as many ordinary names do (CPU
time of tsa-aggregate, the best of three runs each, within 3 times)."""
import os, random, resource, subprocess, sys
sys.path.insert(0, os.path.join(os.environ["TSA_TOP"], "tests/aggregate"))
from agg import *

T = 1700000000
ME = "192.168.1.10"
rng = random.Random(16)


def name(n):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n)) + ".com"


def dst(i):
    return f"{11 + (i >> 16)}.{i >> 8 & 255}.{i & 255}.1"


def write(path, names):
    recs = [pkt(T + i * 1e-4, ME, dst(i), tls_sni=n) for i, n in enumerate(names)]
    # the ordinary name, then more packets to it: the busiest domain
    recs.append(pkt(T + 10, ME, "9.9.9.9", tls_sni="www.ordinary-example.org"))
    recs += [pkt(T + 11 + i, ME, "9.9.9.9") for i in range(5)]
    with open(path, "wb") as f:
        f.write(stream(recs))


attack = os.path.join(TMP, "attack.tsa")
plain = os.path.join(TMP, "plain.tsa")
write(attack, [name(240) for _ in range(40000)] + [name(4) for _ in range(2000)])
write(plain, [name(12) for _ in range(42000)])


def cpu(path):
    """tsa-aggregate's CPU seconds on path (best of three), and its output."""
    best = None
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run([os.path.join(BIN, "tsa-aggregate"), path], capture_output=True,
                           check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        best = t if best is None else min(best, t)
    return best, read(p.stdout)[1]


ta, out = cpu(attack)
tp, _ = cpu(plain)
print(f"attack {ta:.3f} s, ordinary names {tp:.3f} s, ratio {ta / tp:.2f}")
top = snapshots(out)[-1]["domains"][0]
same("an ordinary name learned after the attack is kept",
     (top["domain"], top["packets"]), ("ordinary-example.org", 6))
same("the attack costs at most 3 times as much as ordinary names", ta <= 3 * tp, True)
done()
