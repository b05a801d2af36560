"""The tests' shared harness: reading and building TSA streams the way
docs/stream.md defines them, independently of the C library.

A stream is a header map, then records; a stream whose header has
"end_record": true ends with {"type": "end", "complete": bool, ...}."""
import io

import msgpack

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
