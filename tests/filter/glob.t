#!/usr/bin/python3
# Glob matching against Python's fnmatch on random patterns and texts (with
# and without case folding), and patterns that make a backtracking matcher
# take exponential time, on long text.
import fnmatch
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filterlib import check_split, fail, finish, stream, text, value

rng = random.Random(11)


def rand_text():
    return "".join(rng.choice("abAB.-") for _ in range(rng.randint(0, 8)))


def rand_pattern():
    out = []
    for _ in range(rng.randint(0, 6)):
        k = rng.random()
        if k < 0.25:
            out.append("*")
        elif k < 0.4:
            out.append("?")
        elif k < 0.55:
            neg = "!" if rng.random() < 0.3 else ""
            body = rng.choice(["ab", "a-b", "A-Z", ".-", "]a", "b"])
            out.append("[" + neg + body + "]")
        else:
            out.append(rng.choice("abAB.-"))
    return "".join(out)


records = []
for _ in range(400):
    records.append({"label": rand_text(), "tls_sni": rand_text()})
data, raws = stream(records)

for _ in range(40):
    pat = rand_pattern()
    q = '"' + pat + '"'
    check_split(f"label ~ {q}", data, raws,
                lambda r: value(r, "label", text(
                    lambda v: fnmatch.fnmatchcase(v, pat))), records)
    check_split(f"tls_sni ~ {q}", data, raws,
                lambda r: value(r, "tls_sni", text(
                    lambda v: fnmatch.fnmatchcase(v, pat.lower()), True)),
                records)
print("random patterns done")

# Patterns that cost a backtracking matcher 2^n steps: must stay fast.
long = "a" * 60000
records = [{"label": long}, {"label": long + "b"}, {"label": "ab" * 30000}]
data, raws = stream(records)
for pat, want in (("*a*a*a*a*a*a*a*a*a*a*a*a*b", [False, True, True]),
                  ("*a*a*a*a*a*a*a*a*a*a*a*a*c", [False, False, False]),
                  ("a*" * 40 + "b", [False, True, True]),
                  ("*" + "?" * 59999 + "b", [False, True, True])):
    t0 = time.time()
    check_split(f"label ~ '{pat}'", data, raws,
                lambda r: want[records.index(r)], records)
    dt = time.time() - t0
    if dt > 5:
        fail(f"{pat[:30]!r}: took {dt:.1f} s")
    else:
        print(f"ok {pat[:30]!r} in {dt:.2f} s")
finish()
