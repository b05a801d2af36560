#!/usr/bin/python3
# Bad input: signature files with a bad line (file:line and what is wrong),
# a missing file, SYN records without or with cut-short or garbled
# tcp_headers, HTTP header blocks cut anywhere, records that are not packet
# records.  Nothing crashes; what cannot be fingerprinted passes through
# unannotated and is counted on stderr.
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p0flib import *  # noqa: E402,F401,F403

FP = "/etc/p0f/p0f.fp"
if not os.path.exists(FP):
    skip("p0f.fp (Debian's p0f package) is not installed")

empty = stream([])

# ---- signature files ----
GOOD_HEAD = "classes = win,unix\n[tcp:request]\nlabel = s:unix:Linux:3.x\n"
bad_files = [
    # (text, line, words the message must contain)
    (GOOD_HEAD + "sig = 5:64:0:*:mss*10,7:mss:df:0\n", 4, "IP version"),
    (GOOD_HEAD + "sig = *:300:0:*:mss*10,7:mss:df:0\n", 4, "TTL"),
    (GOOD_HEAD + "sig = *:64:0:*:mss*10,7:mss,foo:df:0\n", 4, "option 'foo'"),
    (GOOD_HEAD + "sig = *:64:0:*:mss*10,7:mss:df,zz:0\n", 4, "quirk 'zz'"),
    (GOOD_HEAD + "sig = *:64:0:*:mss*10,7:mss:df:x\n", 4, "payload class"),
    (GOOD_HEAD + "sig = *:64:0:*:mss*0,7:mss:df:0\n", 4, "multiplier"),
    (GOOD_HEAD + "sig = 6:64:0:*:mss*10,7:mss:df:0\n", 4, "'df' is not valid"),
    (GOOD_HEAD + "sig = *:64:0:*:mss*10,7:eol+1,mss:df:0\n", 4, "last"),
    ("classes = win\n[tcp:request]\nlabel = s:unix:Linux:3.x\n", 3,
     "unknown class 'unix'"),
    ("classes = win\n[tcp:sideways]\n", 2, "direction"),
    ("classes = win\n[smtp:request]\n", 2, "unknown section"),
    ("classes = win\nsig = *:64:0:*:mss*10,7:mss:df:0\n", 2, "label"),
    ("classes = win\n[http:request]\nlabel = s:!:curl:\nsig = *:Host::\n",
     4, "'sys'"),
    ("classes = win\n[http:request]\nlabel = s:win:IE:\nsig = 1:Host=[x::\n",
     4, "header value"),
    ("classes = win\n[mtu]\nlabel = Ethernet\nsig = 70000\n", 4, "MTU"),
    ("classes = win\nfoo = bar\n", 2, "unknown directive 'foo'"),
    ("classes = win\n[tcp:request]\nlabel = x:win:A:\n", 3, "label type"),
    ("classes = win\n[tcp:request]\ngarbage line\n", 3, "name = value"),
]
for i, (text, line, words) in enumerate(bad_files):
    path = os.path.join(TMP, "bad%d.fp" % i)
    with open(path, "w") as f:
        f.write(text)
    rc, _, _, err = run(["-f", path], empty, check_rc=False)
    want = "tsa-p0f: %s:%d: " % (path, line)
    check(rc == 1, "%s: exit status %d" % (words, rc))
    check(err.startswith(want) and words in err and err.count("\n") == 1,
          "bad line %d (%s): message %r" % (line, words, err))
rc, _, _, err = run(["-f", os.path.join(TMP, "nonexistent.fp")], empty,
                    check_rc=False)
check(rc == 1 and "nonexistent.fp: No such file or directory" in err,
      "missing file: %r" % err)
path = os.path.join(TMP, "nosigs.fp")
with open(path, "w") as f:
    f.write("; nothing\nclasses = win\n")
rc, _, _, err = run(["-f", path], empty, check_rc=False)
check(rc == 1 and "no signatures" in err, "file without signatures: %r" % err)

# ---- records ----
C, S = [10, 1, 1, 1], [10, 2, 2, 2]
good = ipv4(C, S, tcp_hdr(40000, 80, 0x02, 29200, linux_opts(ws=7)))


def syn_rec(hdrs, port=40000, **kw):
    r = {"timestamp": msgpack.Timestamp(1700000000, 0), "ip_version": 4,
         "src_addr": bytes(C), "dst_addr": bytes(S), "protocol": "tcp",
         "src_port": port, "dst_port": 80, "tcp_flags": 2}
    if hdrs is not None:
        r["tcp_headers"] = hdrs
    r.update(kw)
    return r


# the complete SYN is fingerprinted
_, _, out, _ = run([], stream([syn_rec(good)]))
check(out[0].get("p0f_label") == "Linux 3.11 and newer",
      "complete SYN: %s" % out[0].get("p0f_label"))

# without tcp_headers, and cut at every length: passed through
recs = [syn_rec(None, port=1)] + [syn_rec(good[:n], port=100 + n)
                                  for n in range(len(good))]
rc, _, out, err = run([], stream(recs))
check(len(out) == len(recs), "every record passed through")
for r, o in zip(recs, out):
    check(not any(k.startswith("p0f_") for k in o),
          "port %d: no fingerprint from %d header bytes" %
          (r["src_port"], len(r.get("tcp_headers", b""))))
    check(list(o.items())[:len(r)] == list(r.items()),
          "port %d: the record's own keys unchanged" % r["src_port"])
check("1 SYN/SYN+ACK records without tcp_headers, %d with cut-short" %
      len(good) in err, "counted on stderr: %r" % err)

# garbage headers: no crash, and whatever is decoded is bounded
rng = random.Random(3)
recs = []
for i in range(3000):
    h = bytearray(good)
    for _ in range(rng.randrange(1, 6)):
        h[rng.randrange(len(h))] = rng.randrange(256)
    if i % 3 == 0:
        h = bytes(rng.randrange(256) for _ in range(rng.randrange(80)))
    recs.append(syn_rec(bytes(h), port=1000 + i, tcp_flags=rng.choice(
        [2, 0x12, 0x02 | 0x40])))
rc, _, out, err = run([], stream(recs))
check(rc == 0 and len(out) == len(recs), "garbled headers: %d records" %
      len(out))
check(all(len(o.get("p0f_raw_sig", "")) < 320 for o in out),
      "raw signatures bounded")

# wrong types for the keys tsa-p0f reads: passed through untouched
odd = [{"src_addr": "10.0.0.1", "dst_addr": b"\x0a\0\0\x02", "x": 1},
       {"src_addr": b"\x0a\0\0\x01", "dst_addr": b"\x0a\0\0\x02" * 4},
       syn_rec(good, tcp_flags="SYN"), syn_rec("text", port=5),
       syn_rec(good, timestamp=-5, port=6),
       syn_rec(good, timestamp=msgpack.Timestamp(2 ** 62, 0), port=7),
       syn_rec(good, timestamp=msgpack.Timestamp(-2 ** 62, 5), port=8),
       {"type": "stats", "final": True, "received": 5},
       {"type": "new-kind", "src_addr": b"\x0a\0\0\x01", "nested": {"a": [1]}}]
rc, _, out, _ = run([], stream(odd))
check(rc == 0 and len(out) == len(odd), "odd records passed through")
for r, o in zip(odd, out):
    own = [k for k in o if k not in r]
    check(all(k.startswith(("p0f_", "src_", "dst_")) for k in own),
          "only tsa-p0f's keys added to %r" % r)
check(out[7] == odd[7], "stats record unchanged")

# HTTP header blocks cut at every length, after a handshake: no crash
# a request p0f labels "Firefox 3.x" in zeek-wikipedia.pcap
req = (b"GET /w/index.php HTTP/1.1\r\nHost: en.wikipedia.org\r\n"
       b"User-Agent: Mozilla/5.0 (X11; U; Linux x86_64; en-US; rv:1.9.2.15) "
       b"Gecko/20110303 Ubuntu/10.04 (lucid) Firefox/3.6.15\r\n"
       b"Accept: text/css,*/*;q=0.1\r\nAccept-Language: en-us,en;q=0.5\r\n"
       b"Accept-Encoding: gzip,deflate\r\n"
       b"Accept-Charset: ISO-8859-1,utf-8;q=0.7,*;q=0.7\r\n"
       b"Keep-Alive: 115\r\nConnection: keep-alive\r\n\r\n")
recs = []
for n in range(len(req) + 1):
    port = 2000 + n
    recs.append(syn_rec(ipv4(C, S, tcp_hdr(port, 80, 2, 29200,
                                           linux_opts())), port=port))
    sa = syn_rec(ipv4(S, C, tcp_hdr(80, port, 0x12, 28960, linux_opts(),
                                    ack=1001)), port=80, tcp_flags=0x12,
                 src_addr=bytes(S), dst_addr=bytes(C), dst_port=port)
    recs.append(sa)
    recs.append(syn_rec(None, port=port, tcp_flags=0x18,
                        http_headers=req[:n]))
rc, _, out, _ = run([], stream(recs))
check(rc == 0 and len(out) == len(recs), "cut HTTP blocks passed through")
full = out[-1]
check(full.get("p0f_http_label") == "Firefox 3.x" and
      full.get("p0f_lang") == "English",
      "complete request: %s, %s" % (full.get("p0f_http_label"),
                                    full.get("p0f_lang")))
done()
