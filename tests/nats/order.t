#!/usr/bin/python3
# A run stored out of order, by hand: message 2 before 1, and 2 stored a
# second time (a resend the server's duplicate window missed).  The
# subscriber writes 1, 2, 3 once each.  A gap that never closes is given
# up after --gap-wait: the rest is written and the output says what was
# lost (exit 1).  A message with broken contents loses its records, and
# the output says so.  A record in pieces survives a subscriber's restart
# in the middle of it.
import os
import subprocess
import sys

import msgpack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from natslib import *  # noqa: E402,F403

need_server()
srv = Server().start()
url = srv.url
# The stream first, so that the first message is stream message 1.
sp, out = sub(url, ["tsa.nobody"], "--idle", "0.1", name="make")
wait(sp, 10, "sub")

recs = packets(30, "a")
P = lambda rs: b"".join(msgpack.packb(r) for r in rs)  # noqa: E731
END = msgpack.packb(tsatest.end_record())


def run(subject, sensor, runid, messages):
    """Publish (seq, kind, payload, msg_id) in the order given; the header
    is stream message first_seq (returned)."""
    first = sum(d["state"]["messages"] for a in srv.jsz().get("account_details", [])
                for d in a.get("stream_detail", []) if d["name"] == "TSA") + 1
    hdr = msgpack.packb(dict(header(sensor), sensor=sensor, end_record=True))
    raw_publish(url, subject, hdr, wire(sensor, runid, 0, "header"))
    for seq, kind, payload, msg_id in messages:
        h = wire(sensor, runid, seq, kind, first, msg_id is not False)
        if msg_id == "zstd":
            h["Tsa-Encoding"] = "zstd"
        raw_publish(url, subject, payload, h)


run("tsa.a", "a", "00000000000000aa", [
    (2, "records", P(recs[10:20]), True),
    (1, "records", P(recs[:10]), True),
    (2, "records", P(recs[10:20]), False),
    (3, "records", P(recs[20:]), True),
    (4, "end", END, True)])
sp, out = sub(url, ["tsa.a"], "--since", "all", "--ends", "1", name="a")
same("sub exit status", wait(sp, 20, "sub"), 0)
hdr, got, end = read_out(out)
same("messages stored 2, 1, 2 again, 3: records written in order, once",
     by_sensor(got).get("a"), recs)
same("end record", end, {"type": "end", "complete": True})
check("and waited" in err_text(out), "sub said a message waited")

run("tsa.b", "b", "00000000000000bb", [
    (1, "records", P(recs[:10]), True),
    (3, "records", P(recs[20:]), True),
    (4, "end", END, True)])
sp, out = sub(url, ["tsa.b"], "--since", "all", "--ends", "1", "--gap-wait", "1s", name="b")
same("a gap that never closes: sub exit status", wait(sp, 20, "sub"), 1)
hdr, got, end = read_out(out)
same("... the records around it", by_sensor(got).get("b"), recs[:10] + recs[20:])
same("... the output is incomplete", end.get("complete"), False)
check("message 2 lost" in end.get("reason", ""), "... and says why: %r" % end.get("reason"))

run("tsa.c", "c", "00000000000000cc", [
    (1, "records", P(recs[:10]), True),
    (2, "records", b"\xc1 not msgpack", True),
    (3, "records", P(recs[20:]), True),
    (4, "end", END, True)])
sp, out = sub(url, ["tsa.c"], "--since", "all", "--ends", "1", name="c")
same("a message with broken contents: sub exit status", wait(sp, 20, "sub"), 1)
hdr, got, end = read_out(out)
same("... the records of the others", by_sensor(got).get("c"), recs[:10] + recs[20:])
check(not end["complete"] and "message 2" in end.get("reason", ""),
      "... the output is incomplete, and says why: %r" % end.get("reason"))
# A record in three pieces, the subscriber stopped (--idle) after two: the
# next run of the durable consumer gets all three again, and the record.
big = msgpack.packb({"type": "blob", "data": bytes(range(256)) * 40})
third = len(big) // 3 + 1
pieces = [big[i:i + third] for i in range(0, len(big), third)]
first = sum(d["state"]["messages"] for a in srv.jsz().get("account_details", [])
            for d in a.get("stream_detail", []) if d["name"] == "TSA") + 1
raw_publish(url, "tsa.e", msgpack.packb(dict(header("e"), sensor="e", end_record=True)),
            wire("e", "00000000000000ee", 0, "header"))
for i in range(2):
    raw_publish(url, "tsa.e", pieces[i], wire("e", "00000000000000ee", i + 1, "part", first,
                                              part=(i * third, len(big))))
sp, out = sub(url, ["tsa.e"], "--since", "all", "--durable", "e", "--idle", "1", name="e1")
same("two pieces of three: sub exit status", wait(sp, 20, "sub"), 0)
same("... no record yet", by_sensor(read_out(out)[1]).get("e"), None)
raw_publish(url, "tsa.e", pieces[2], wire("e", "00000000000000ee", 3, "part", first,
                                          part=(2 * third, len(big))))
raw_publish(url, "tsa.e", END, wire("e", "00000000000000ee", 4, "end", first))
sp, out = sub(url, ["tsa.e"], "--durable", "e", "--ends", "1", name="e2")
same("the durable's next run: exit status", wait(sp, 20, "sub"), 0)
same("... the whole record", by_sensor(read_out(out)[1]).get("e"),
     [msgpack.unpackb(big)])

# A compressed batch that is not zstd, and one that says it holds 100 MB.
bomb = subprocess.run(["zstd", "-q", "-c", "-"], input=bytes(100 << 20),
                      capture_output=True, check=True).stdout
run("tsa.d", "d", "00000000000000dd", [
    (1, "records", P(recs[:10]), True),
    (2, "records", b"not zstd at all", "zstd"),
    (3, "records", bomb, "zstd"),
    (4, "records", P(recs[20:]), True),
    (5, "end", END, True)])
sp, out = sub(url, ["tsa.d"], "--since", "all", "--ends", "1", name="d")
same("broken compressed batches: sub exit status", wait(sp, 20, "sub"), 1)
hdr, got, end = read_out(out)
same("... the records of the others", by_sensor(got).get("d"), recs[:10] + recs[20:])
err = err_text(out)
check("message 2: not zstd data" in err, "... the first is not zstd")
check("message 3: compressed data of unknown or excessive size" in err,
      "... the second is refused unopened (%d bytes saying 100 MB)" % len(bomb))
srv.stop()
finish()
