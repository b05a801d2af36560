"""Helpers for the tsa-plot tests: read PNGs without any imaging library,
project lat/lon independently of tsa-plot, and compute the colour a value
must get on the map's scale.
"""
import math
import re
import struct
import zlib


def png_size(path):
    """Width and height from the IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "%s: not a PNG" % path
    assert head[12:16] == b"IHDR", "%s: no IHDR first" % path
    return struct.unpack(">II", head[16:24])


class Png:
    """An 8-bit RGB or RGBA, non-interlaced PNG, decoded to rows."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        pos, idat = 8, b""
        while pos < len(data):
            n, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + n]
            if kind == b"IHDR":
                (self.width, self.height, depth, ctype, _, _,
                 interlace) = struct.unpack(">IIBBBBB", body)
                assert depth == 8 and ctype in (2, 6) and not interlace, \
                    "unsupported PNG %s: depth %d type %d" % (path, depth,
                                                              ctype)
                self.bpp = 3 if ctype == 2 else 4
            elif kind == b"IDAT":
                idat += body
            pos += 12 + n
        raw = zlib.decompress(idat)
        stride = self.width * self.bpp
        rows, prev = [], bytearray(stride)
        for y in range(self.height):
            ft = raw[y * (stride + 1)]
            line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            bpp = self.bpp
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                if ft == 1:
                    line[i] = (line[i] + a) & 255
                elif ft == 2:
                    line[i] = (line[i] + b) & 255
                elif ft == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                elif ft == 4:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                    line[i] = (line[i] + pr) & 255
            rows.append(bytes(line))
            prev = line
        self.rows = rows

    def pixel(self, x, y):
        r = self.rows[y]
        i = x * self.bpp
        return tuple(r[i:i + 3])

    def colours(self):
        """Count of every RGB colour in the picture."""
        out = {}
        for r in self.rows:
            for i in range(0, len(r), self.bpp):
                c = r[i:i + 3]
                out[c] = out.get(c, 0) + 1
        return out


def natural_earth(lon, lat):
    """Savric et al. 2011, written out from the paper's polynomial."""
    lam, phi = math.radians(lon), math.radians(lat)
    x = lam * (0.870700 - 0.131979 * phi ** 2 - 0.013791 * phi ** 4 +
               0.003971 * phi ** 10 - 0.001529 * phi ** 12)
    y = phi * (1.007226 + 0.015085 * phi ** 2 - 0.044475 * phi ** 6 +
               0.028874 * phi ** 8 - 0.005916 * phi ** 10)
    return x, y


class MapFrame:
    """Where the script puts its plot area (margins at screen fractions,
    ranges in projected units), read back from the script's text."""

    def __init__(self, script_path, width, height):
        text = open(script_path, encoding="utf-8").read()

        def num(pat):
            m = re.search(pat, text, re.M)
            assert m, "no %r in %s" % (pat, script_path)
            return [float(v) for v in m.groups()]
        self.l, = num(r"^set lmargin at screen ([-\d.]+)")
        self.r, = num(r"^set rmargin at screen ([-\d.]+)")
        self.b, = num(r"^set bmargin at screen ([-\d.]+)")
        self.t, = num(r"^set tmargin at screen ([-\d.]+)")
        self.x0, self.x1 = num(r"^set xrange \[([-\d.]+):([-\d.]+)\]")
        self.y0, self.y1 = num(r"^set yrange \[([-\d.]+):([-\d.]+)\]")
        self.w, self.h = width, height

    def pixel(self, lon, lat):
        x, y = natural_earth(lon, lat)
        sx = self.l + (x - self.x0) / (self.x1 - self.x0) * (self.r - self.l)
        sy = self.b + (y - self.y0) / (self.y1 - self.y0) * (self.t - self.b)
        return int(round(sx * self.w)), int(round((1 - sy) * self.h))


YLORRD = [0xffeda0, 0xfeb24c, 0xfd8d3c, 0xe31a1c, 0x800026]


def scale_colour(v, lo, hi):
    """The colour of v on a log scale from lo to hi over the YlOrRd stops,
    linear in RGB between stops."""
    t = (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    t = min(max(t, 0.0), 1.0)
    seg = min(int(t * 4), 3)
    f = t * 4 - seg
    a, b = YLORRD[seg], YLORRD[seg + 1]
    return tuple(int(((a >> s) & 255) * (1 - f) + ((b >> s) & 255) * f)
                 for s in (16, 8, 0))


def decades(values):
    """The colour bar's range: whole decades around the non-zero values."""
    vals = [v for v in values if v > 0]
    lo = 10 ** math.floor(math.log10(min(vals)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    return lo, hi if hi > lo else lo * 10


def near(c1, c2, tol=3):
    return all(abs(a - b) <= tol for a, b in zip(c1, c2))
