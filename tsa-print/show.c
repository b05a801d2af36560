/*
 * Value formatting.  Addresses become text, timestamps RFC 3339, other bin
 * hex, and strings from the wire (which may be any bytes) valid JSON: invalid
 * UTF-8 becomes U+FFFD so that jq never rejects a line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "show.h"

unsigned long show_too_deep;

/* What text is for: a person's screen (control bytes as '?'), JSON, or a
   program reading CSV or TSV (control bytes as they are). */
enum { SHOW_SCREEN, SHOW_JSON, SHOW_EXACT };

/* The most of a non-string key's JSON text shown (show_json). */
#define KEY_TEXT_MAX 256

static void puts_buf(struct mp_buf *b, const char *s)
{
	mp_put_raw(b, s, strlen(s));
}

static void putc_buf(struct mp_buf *b, char c)
{
	*mp_buf_reserve(b, 1) = (uint8_t)c;
	b->len++;
}

int show_is_addr_key(const uint8_t *k, size_t n)
{
	static const char *const ends[] = { "addr", "addrs", "ips" };

	for (size_t i = 0; i < 3; i++) {
		size_t m = strlen(ends[i]);
		if (n >= m && memcmp(k + n - m, ends[i], m) == 0)
			return 1;
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if invalid. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

/* Escaped string contents, without quotes; quote adds JSON escapes. */
static void put_string(struct mp_buf *b, const uint8_t *s, size_t n, int form)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t l;
		if (c == '"' || c == '\\') {
			if (form == SHOW_JSON)
				putc_buf(b, '\\');
			putc_buf(b, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			if (form == SHOW_JSON) {
				char e[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
				if (c == '\n')
					puts_buf(b, "\\n");
				else if (c == '\t')
					puts_buf(b, "\\t");
				else if (c == '\r')
					puts_buf(b, "\\r");
				else
					puts_buf(b, e);
			} else {
				/* no control bytes on a terminal; CSV and
				   TSV quote or escape them themselves */
				putc_buf(b, form == SHOW_EXACT ? (char)c : '?');
			}
			i++;
		} else if ((l = utf8_len(s + i, n - i)) > 0) {
			mp_put_raw(b, s + i, l);
			i += l;
		} else {
			puts_buf(b, "\xef\xbf\xbd");
			i++;
		}
	}
}

static void put_hex(struct mp_buf *b, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t *o;

	if (n == 0)	/* an empty buffer has no pointer to add 0 to */
		return;
	o = mp_buf_reserve(b, 2 * n);

	for (size_t i = 0; i < n; i++) {
		o[2 * i] = (uint8_t)hex[p[i] >> 4];
		o[2 * i + 1] = (uint8_t)hex[p[i] & 15];
	}
	b->len += 2 * n;
}

/* Scalars, shared by JSON and column text; SHOW_JSON quotes what is text. */
static int put_scalar(struct mp_buf *b, const struct mp_obj *o, int addr,
    int form)
{
	char tmp[64];

	switch (o->type) {
	case MP_NIL: puts_buf(b, "null"); break;
	case MP_BOOL: puts_buf(b, o->b ? "true" : "false"); break;
	case MP_UINT:
		snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)o->u);
		puts_buf(b, tmp);
		break;
	case MP_INT:
		snprintf(tmp, sizeof tmp, "%lld", (long long)o->i);
		puts_buf(b, tmp);
		break;
	case MP_FLOAT:
		if (!isfinite(o->f)) {
			puts_buf(b, "null");
			break;
		}
		snprintf(tmp, sizeof tmp, "%.17g", o->f);
		/* Shortest text that reads back to the same double. */
		for (int prec = 1; prec < 17; prec++) {
			char t2[64];
			snprintf(t2, sizeof t2, "%.*g", prec, o->f);
			if (strtod(t2, NULL) == o->f) {
				memcpy(tmp, t2, sizeof t2);
				break;
			}
		}
		puts_buf(b, tmp);
		break;
	case MP_STR:
		if (form == SHOW_JSON)
			putc_buf(b, '"');
		put_string(b, o->ptr, o->len, form);
		if (form == SHOW_JSON)
			putc_buf(b, '"');
		break;
	case MP_BIN:
		if (form == SHOW_JSON)
			putc_buf(b, '"');
		if (addr && (o->len == 4 || o->len == 16)) {
			char a[TSA_ADDR_STRLEN];
			puts_buf(b, tsa_addr_fmt(o->ptr, o->len, a));
		} else {
			put_hex(b, o->ptr, o->len);
		}
		if (form == SHOW_JSON)
			putc_buf(b, '"');
		break;
	case MP_EXT: {
		int64_t sec;
		uint32_t nsec;
		if (mp_obj_time(o, &sec, &nsec)) {
			char t[40];
			tsa_fmt_time(t, sec, nsec);
			if (form == SHOW_JSON)
				putc_buf(b, '"');
			puts_buf(b, t);
			if (form == SHOW_JSON)
				putc_buf(b, '"');
		} else {
			snprintf(tmp, sizeof tmp, "{\"ext\":%d,\"data\":\"", o->ext);
			puts_buf(b, tmp);
			put_hex(b, o->ptr, o->len);
			puts_buf(b, "\"}");
		}
		break;
	}
	default:
		return -1;
	}
	return 0;
}

int show_json(struct mp_buf *b, const uint8_t **p, const uint8_t *end,
    const uint8_t *key, size_t klen, int depth)
{
	int addr = key && show_is_addr_key(key, klen);
	struct mp_obj o;
	const uint8_t *start = *p;

	if (mp_next(p, end, &o) < 0)
		return -1;
	if (o.type != MP_ARRAY && o.type != MP_MAP)
		return put_scalar(b, &o, addr, SHOW_JSON);
	if (depth >= SHOW_MAX_DEPTH) {
		show_too_deep++;
		*p = start;
		puts_buf(b, "null");
		return mp_skip(p, end);
	}
	putc_buf(b, o.type == MP_ARRAY ? '[' : '{');
	for (uint32_t i = 0; i < o.len; i++) {
		if (i)
			putc_buf(b, ',');
		if (o.type == MP_MAP) {
			struct mp_obj k;
			const uint8_t *kp = *p;
			if (mp_next(&kp, end, &k) < 0)
				return -1;
			if (k.type == MP_STR) {
				putc_buf(b, '"');
				put_string(b, k.ptr, k.len, SHOW_JSON);
				putc_buf(b, '"');
				*p = kp;
				key = k.ptr;
				klen = k.len;
			} else {
				/* JSON keys are strings: quote other keys' JSON
				 * text, cut short.  Keys of keys are escaped once
				 * more at each level: whole, a small record of
				 * nested keys would double in size at each. */
				struct mp_buf t = { 0 };
				if (show_json(&t, p, end, NULL, 0, depth + 1) < 0) {
					mp_buf_free(&t);
					return -1;
				}
				putc_buf(b, '"');
				if (t.len > KEY_TEXT_MAX) {
					put_string(b, t.p, KEY_TEXT_MAX, SHOW_JSON);
					puts_buf(b, "...");
				} else if (t.len)
					put_string(b, t.p, t.len, SHOW_JSON);
				putc_buf(b, '"');
				mp_buf_free(&t);
				key = NULL;
				klen = 0;
			}
			putc_buf(b, ':');
		}
		if (show_json(b, p, end, key, klen, depth + 1) < 0)
			return -1;
	}
	putc_buf(b, o.type == MP_ARRAY ? ']' : '}');
	return 0;
}

int show_json_record(struct mp_buf *b, const uint8_t *rec, size_t len)
{
	const uint8_t *p = rec;

	if (show_json(b, &p, rec + len, NULL, 0, 0) < 0)
		return -1;
	putc_buf(b, '\n');
	return 0;
}

static void text(struct mp_buf *b, const uint8_t *p, const uint8_t *end,
    const uint8_t *key, size_t klen, int form)
{
	int addr = key && show_is_addr_key(key, klen);
	struct mp_obj o;
	const uint8_t *start = p;

	if (mp_next(&p, end, &o) < 0)
		return;
	if (o.type == MP_MAP) {
		show_json(b, &start, end, key, klen, 1);
		return;
	}
	if (o.type != MP_ARRAY) {
		put_scalar(b, &o, addr, form);
		return;
	}
	/* Arrays as comma-separated elements; nested containers as JSON. */
	for (uint32_t i = 0; i < o.len; i++) {
		struct mp_obj e;
		const uint8_t *q = p;
		if (i)
			putc_buf(b, ',');
		if (mp_next(&q, end, &e) < 0)
			return;
		if (e.type == MP_ARRAY || e.type == MP_MAP) {
			if (show_json(b, &p, end, key, klen, 1) < 0)
				return;
		} else {
			put_scalar(b, &e, addr, form);
			p = q;
		}
	}
}

void show_text(struct mp_buf *b, const uint8_t *p, const uint8_t *end,
    const uint8_t *key, size_t klen)
{
	text(b, p, end, key, klen, SHOW_SCREEN);
}

void show_text_exact(struct mp_buf *b, const uint8_t *p, const uint8_t *end,
    const uint8_t *key, size_t klen)
{
	text(b, p, end, key, klen, SHOW_EXACT);
}

void show_str(struct mp_buf *b, const char *s)
{
	put_string(b, (const uint8_t *)s, strlen(s), SHOW_SCREEN);
}

void show_json_str(struct mp_buf *b, const char *s)
{
	putc_buf(b, '"');
	put_string(b, (const uint8_t *)s, strlen(s), SHOW_JSON);
	putc_buf(b, '"');
}
