/*
 * Names and strings from the wire (DNS names, HTTP request lines, TLS server
 * names) become msgpack str values, which must be valid UTF-8 for consumers
 * such as Python's msgpack.  Printable ASCII and well-formed UTF-8 pass
 * unchanged; any other byte is written as \DDD (decimal, as in DNS master
 * files and dig), and a backslash as \\.  Inside a DNS label a dot is \. so
 * that it cannot be mistaken for a label boundary.
 */
#include <string.h>

#include "pkt.h"

/* Length of the well-formed UTF-8 sequence at s (2 to 4), or 0. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)	/* no UTF-16 surrogates */
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/*
 * Escape s[0, n) into out; returns the length written, or (size_t)-1 if it
 * does not fit in cap.
 */
size_t text_escape(char *out, size_t cap, const uint8_t *s, size_t n,
    int escape_dot)
{
	size_t o = 0, i = 0, u;

	while (i < n) {
		uint8_t c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && !(escape_dot && c == '.')) {
			if (o + 1 > cap)
				return (size_t)-1;
			out[o++] = (char)c;
			i++;
		} else if (c == '\\' || c == '.') {
			if (o + 2 > cap)
				return (size_t)-1;
			out[o++] = '\\';
			out[o++] = (char)c;
			i++;
		} else if (c >= 0x80 && (u = utf8_len(s + i, n - i)) > 0) {
			if (o + u > cap)
				return (size_t)-1;
			memcpy(out + o, s + i, u);
			o += u;
			i += u;
		} else {
			if (o + 4 > cap)
				return (size_t)-1;
			out[o++] = '\\';
			out[o++] = (char)('0' + c / 100);
			out[o++] = (char)('0' + c / 10 % 10);
			out[o++] = (char)('0' + c % 10);
			i++;
		}
	}
	return o;
}

/* Pack s[0, n) as a str, escaped only when it has to be. */
void put_text(struct mp_buf *b, const uint8_t *s, size_t n)
{
	size_t i, hdr, len;
	uint8_t *d;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '\\')
			break;
	if (i == n) {
		mp_put_str(b, s, n);
		return;
	}
	/* Escape behind room for the largest header, then close the gap. */
	d = mp_buf_reserve(b, 5 + 4 * n);
	len = text_escape((char *)d + 5, 4 * n, s, n, 0);
	hdr = len < 32 ? 1 : len < 256 ? 2 : len < 65536 ? 3 : 5;
	if (hdr == 1)
		d[0] = (uint8_t)(0xa0 | len);
	else if (hdr == 2) {
		d[0] = 0xd9;
		d[1] = (uint8_t)len;
	} else if (hdr == 3) {
		d[0] = 0xda;
		d[1] = (uint8_t)(len >> 8);
		d[2] = (uint8_t)len;
	} else {
		d[0] = 0xdb;
		d[1] = (uint8_t)(len >> 24);
		d[2] = (uint8_t)(len >> 16);
		d[3] = (uint8_t)(len >> 8);
		d[4] = (uint8_t)len;
	}
	memmove(d + hdr, d + 5, len);
	b->len += hdr + len;
}
