"""The tests' shared harness (tests/lib.sh is the shell side).

Verdicts: check(), same(), done() (exit 1 if any check failed), skip()
(exit 77 with the reason, for a test whose inputs are missing), need()
(skip unless a file exists).  Tools: tool(), run(), pipeline() (every
stage's exit checked, as pipefail).  Streams: reading and building TSA
streams the way docs/stream.md defines them, independently of the C
library.  A stream is a header map, then records; a stream whose header
has "end_record": true ends with {"type": "end", "complete": bool, ...}."""
import io
import os
import subprocess
import sys
import threading

import msgpack

BIN = os.environ.get("TSA_BIN", "bin")
PCAPS = os.environ.get("PCAPS", "../shared/pcaps")
TMP = os.environ.get("TSA_TMP", "/tmp")
fails = 0


def check(ok, what, quiet=False):
    """One verdict line ("ok" or "FAIL"; quiet: only a failure's, for a
    check made thousands of times); done() exits 1 if any failed."""
    global fails
    if not ok or not quiet:
        print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        fails += 1
    return bool(ok)


def fail(what):
    """A failure the test found its own way (check(False, what))."""
    return check(False, what)


def same(what, got, want):
    """check() that got equals want, both shown when not (long texts from
    their first difference)."""
    if got == want:
        return check(True, what)
    g, w = repr(got), repr(want)
    if len(g) + len(w) > 400:
        i = next((i for i, (a, b) in enumerate(zip(g, w)) if a != b), min(len(g), len(w)))
        start = max(0, i - 60)
        return check(False, "%s: differ at character %d of the repr: got ...%s..., want ...%s..."
                     % (what, i, g[start:i + 120], w[start:i + 120]))
    return check(False, "%s: got %s, want %s" % (what, g, w))


def done():
    """The end of a test: the count of failures, exit 1 if any."""
    print("%d failed" % fails)
    sys.exit(1 if fails else 0)


def skip(why):
    """The test cannot run here (an input is missing): exit 77 saying why.
    Never for a part of a test that then passes: that would hide it."""
    print(why, flush=True)      # tests/run shows it after "skip  NAME:"
    sys.exit(77)


def need(path, what="needed"):
    """Skip the test (77) unless path exists."""
    if not os.path.exists(path):
        skip("%s: no such file (%s)" % (path, what))
    return path


def need_pcaps():
    """Skip the test (77) without the shared captures."""
    if not os.path.isdir(PCAPS):
        skip("%s: no such directory (the shared captures; set PCAPS)" % PCAPS)


def tool(name):
    return os.path.join(BIN, name)


def run(args, data=b"", rc=0, **kw):
    """Run a tool (args[0] a name in $TSA_BIN or a path) with data on its
    stdin; check its exit status is rc (None: any); return the process."""
    cmd = [args[0] if "/" in args[0] else tool(args[0])] + list(args[1:])
    p = subprocess.run(cmd, input=data, capture_output=True, **kw)
    if rc is not None:
        check(p.returncode == rc, "%s: exit %d (want %d)%s" % (
            " ".join(args), p.returncode, rc,
            "" if p.returncode == rc else ": " + p.stderr[-600:].decode(errors="replace")))
    return p


def pipeline(stages, data=None, stdin=None):
    """Run stages (lists of args) as a shell pipeline would, data (bytes)
    or stdin (a file) into the first, and check that every stage exits 0:
    no stage's exit is lost, as with pipefail.  Returns the last stage's
    output, or None if a stage failed (its stderr is in the verdict)."""
    procs, prev = [], stdin if data is None else subprocess.PIPE
    errs = []
    for i, args in enumerate(stages):
        cmd = [args[0] if "/" in args[0] else tool(args[0])] + list(args[1:])
        err = open(os.path.join(TMP, "stage%d.err" % i), "w+b")
        errs.append(err)
        p = subprocess.Popen(cmd, stdin=prev, stdout=subprocess.PIPE, stderr=err)
        if procs:
            procs[-1].stdout.close()    # the stage before gets SIGPIPE, as in a shell
        procs.append(p)
        prev = p.stdout
    if data is not None:
        def feed():
            try:
                procs[0].stdin.write(data)
                procs[0].stdin.close()
            except BrokenPipeError:
                pass
        t = threading.Thread(target=feed)
        t.start()
    out = procs[-1].stdout.read()
    if data is not None:
        t.join()
    ok = True
    for args, p, err in zip(stages, procs, errs):
        p.wait()
        err.seek(0)
        msg = err.read().decode(errors="replace")
        err.close()
        if p.returncode != 0:
            ok = check(False, "%s: exit %d: %s" % (" ".join(args), p.returncode, msg[-600:]))
    return out if ok else None

END_KEY = "end_record"


def end_record(complete=True, reason=None):
    e = {"type": "end", "complete": complete}
    if reason is not None:
        e["reason"] = reason
    return e


def is_end(rec):
    return isinstance(rec, dict) and rec.get("type") == "end"


def unpack_all(data, raw=False):
    """Every map of a stream's bytes, header first; raw=True gives each as
    its own bytes instead."""
    u = msgpack.Unpacker(io.BytesIO(data), raw=False, strict_map_key=False,
                         max_buffer_size=1 << 30)
    if not raw:
        return list(u)
    out, pos = [], 0
    while True:    # skipped, not decoded: a key may be a map
        try:
            u.skip()
        except msgpack.OutOfData:
            break
        out.append(data[pos:u.tell()])
        pos = u.tell()
    return out


def _is_end_raw(b):
    try:
        return is_end(msgpack.unpackb(b, raw=False, strict_map_key=False))
    except Exception:
        return False


def read(data, raw=False):
    """(header, records, end): the end record (None if the stream has none)
    is taken off the records; it must be the last map."""
    if raw:
        raws = unpack_all(data, raw=True)
        if not raws:
            return None, [], None
        end = None
        if len(raws) > 1 and _is_end_raw(raws[-1]):
            end = msgpack.unpackb(raws.pop(), raw=False)
        if any(_is_end_raw(r) for r in raws[1:] if len(r) < 64):
            raise ValueError("end record not last")
        return msgpack.unpackb(raws[0], raw=False, strict_map_key=False), raws[1:], end
    objs = unpack_all(data)
    if not objs:
        return None, [], None
    header, recs = objs[0], objs[1:]
    ends = [i for i, r in enumerate(recs) if is_end(r)]
    end = None
    if ends:
        if ends != [len(recs) - 1]:
            raise ValueError("end record not last: at %r of %d" % (ends, len(recs)))
        end = recs.pop()
    return header, recs, end


def records(data):
    """The records of a whole stream (header and end record off); raises if
    the stream promised an end record and has none, or an incomplete one."""
    header, recs, end = read(data)
    if header is not None and header.get(END_KEY) and (end is None or not end.get("complete")):
        raise ValueError("stream not whole: end record %r" % (end,))
    return recs


def pack(header, recs, end=True):
    """A stream's bytes: header, records (dicts or packed bytes), and an end
    record when end is true (then the header promises it)."""
    header = dict(header)
    if end:
        header[END_KEY] = True
    out = [msgpack.packb(header, use_bin_type=True)]
    for r in recs:
        out.append(r if isinstance(r, (bytes, bytearray)) else
                   msgpack.packb(r, use_bin_type=True))
    if end:
        out.append(msgpack.packb(end_record() if end is True else end))
    return b"".join(out)


def maps(data):
    """Header and records as one list, as a reader that knows nothing of
    end records saw them: the end record (if any) taken off the end."""
    objs = unpack_all(data)
    if objs and is_end(objs[-1]) and len(objs) > 1:
        objs.pop()
    return objs


def import_path():
    """For tests in tests/NAME/: sys.path.insert(0, tsatest.import_path())."""
    import os
    return os.path.dirname(os.path.abspath(__file__))


# tsa-p0f's host facts: the keys of a host record that packet records
# carried as src_... and dst_... before host records, in that order.
HOST_FACTS = ("os", "os_name", "os_class", "dist", "link", "uptime_min",
              "app", "app_name", "lang", "nat", "os_change", "bad_sw")


def _ms(t):
    """A msgpack.Timestamp in milliseconds, as tsa-p0f counts them."""
    return t.seconds * 1000 + t.nanoseconds // 1000000


def host_fact(h, key, t):
    """Fact key of the host record h (None: absent) at time t (a
    msgpack.Timestamp): the uptime is as measured plus the minutes since."""
    if key != "uptime_min":
        return h.get(key)
    if "uptime_min" not in h:
        return None
    ms, up = _ms(t) if t is not None else 0, _ms(h["uptime_time"])
    return h["uptime_min"] + ((ms - up) // 60000 if ms > up else 0)


def host_view(recs):
    """Records as the stream carried them before host records: host records
    taken out, and every packet record with its endpoints' facts as
    src_... then dst_... keys (HOST_FACTS order), from the latest host
    records before it.  Keys in the record's own order otherwise."""
    facts = {}
    out = []
    for r in recs:
        if r.get("type") == "host":
            facts[r["addr"]] = r
            continue
        if "type" in r or "src_addr" not in r or "dst_addr" not in r:
            out.append(r)
            continue
        r = {k: v for k, v in r.items() if k not in
             ("src_os", "src_os_class", "dst_os", "dst_os_class")}
        t = r.get("timestamp")
        for side in ("src", "dst"):
            h = facts.get(r[side + "_addr"])
            if h is None:
                continue
            for k in HOST_FACTS:
                v = host_fact(h, k, t)
                if v is not None:
                    r[side + "_" + k] = v
        out.append(r)
    return out
