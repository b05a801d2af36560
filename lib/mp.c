/*
 * Raw msgpack decoding and packing.  The decoder never trusts a length: every
 * read is checked against the end pointer first, and lengths are compared by
 * subtraction so that a huge 32-bit length cannot wrap a pointer.
 */
#include <stdlib.h>

#include "mp.h"
#include "util.h"

/* Set o to a str/bin/ext payload of n bytes starting at p + hdr. */
static int payload(const uint8_t **pp, const uint8_t *end, size_t hdr,
    uint32_t n, struct mp_obj *o)
{
	const uint8_t *p = *pp;

	if ((size_t)(end - p) < hdr || (size_t)(end - p) - hdr < n)
		return -1;
	o->ptr = p + hdr;
	o->len = n;
	*pp = p + hdr + n;
	return 0;
}

int mp_next(const uint8_t **pp, const uint8_t *end, struct mp_obj *o)
{
	const uint8_t *p = *pp;
	size_t avail = (size_t)(end - p);
	uint8_t c;

	if (avail < 1)
		return -1;
	c = p[0];
	if (c <= 0x7f) {
		o->type = MP_UINT;
		o->u = c;
		*pp = p + 1;
		return 0;
	}
	if (c >= 0xe0) {
		o->type = MP_INT;
		o->i = (int8_t)c;
		*pp = p + 1;
		return 0;
	}
	if (c >= 0xa0 && c <= 0xbf) {
		o->type = MP_STR;
		return payload(pp, end, 1, c & 0x1f, o);
	}
	if (c >= 0x80 && c <= 0x8f) {
		o->type = MP_MAP;
		o->len = c & 0x0f;
		o->ptr = *pp = p + 1;
		return 0;
	}
	if (c >= 0x90 && c <= 0x9f) {
		o->type = MP_ARRAY;
		o->len = c & 0x0f;
		o->ptr = *pp = p + 1;
		return 0;
	}

/* Fixed-size bodies after the type byte. */
#define NEED(n) do { if (avail < 1 + (size_t)(n)) return -1; } while (0)
	switch (c) {
	case 0xc0:
		o->type = MP_NIL;
		*pp = p + 1;
		return 0;
	case 0xc2: case 0xc3:
		o->type = MP_BOOL;
		o->b = c == 0xc3;
		*pp = p + 1;
		return 0;
	case 0xc4: NEED(1); o->type = MP_BIN; return payload(pp, end, 2, p[1], o);
	case 0xc5: NEED(2); o->type = MP_BIN; return payload(pp, end, 3, tsa_be16(p + 1), o);
	case 0xc6: NEED(4); o->type = MP_BIN; return payload(pp, end, 5, tsa_be32(p + 1), o);
	case 0xc7: NEED(2); o->type = MP_EXT; o->ext = (int8_t)p[2];
		return payload(pp, end, 3, p[1], o);
	case 0xc8: NEED(3); o->type = MP_EXT; o->ext = (int8_t)p[3];
		return payload(pp, end, 4, tsa_be16(p + 1), o);
	case 0xc9: NEED(5); o->type = MP_EXT; o->ext = (int8_t)p[5];
		return payload(pp, end, 6, tsa_be32(p + 1), o);
	case 0xca: {
		NEED(4);
		uint32_t u = tsa_be32(p + 1);
		float f;
		memcpy(&f, &u, 4);
		o->type = MP_FLOAT;
		o->f = f;
		*pp = p + 5;
		return 0;
	}
	case 0xcb: {
		NEED(8);
		uint64_t u = tsa_be64(p + 1);
		memcpy(&o->f, &u, 8);
		o->type = MP_FLOAT;
		*pp = p + 9;
		return 0;
	}
	case 0xcc: NEED(1); o->type = MP_UINT; o->u = p[1]; *pp = p + 2; return 0;
	case 0xcd: NEED(2); o->type = MP_UINT; o->u = tsa_be16(p + 1); *pp = p + 3; return 0;
	case 0xce: NEED(4); o->type = MP_UINT; o->u = tsa_be32(p + 1); *pp = p + 5; return 0;
	case 0xcf: NEED(8); o->type = MP_UINT; o->u = tsa_be64(p + 1); *pp = p + 9; return 0;
	/* Signed encodings of non-negative values are normalised to MP_UINT. */
	case 0xd0: NEED(1); o->i = (int8_t)p[1]; *pp = p + 2; goto sint;
	case 0xd1: NEED(2); o->i = (int16_t)tsa_be16(p + 1); *pp = p + 3; goto sint;
	case 0xd2: NEED(4); o->i = (int32_t)tsa_be32(p + 1); *pp = p + 5; goto sint;
	case 0xd3: NEED(8); o->i = (int64_t)tsa_be64(p + 1); *pp = p + 9; goto sint;
	case 0xd4: NEED(1); o->type = MP_EXT; o->ext = (int8_t)p[1]; return payload(pp, end, 2, 1, o);
	case 0xd5: NEED(1); o->type = MP_EXT; o->ext = (int8_t)p[1]; return payload(pp, end, 2, 2, o);
	case 0xd6: NEED(1); o->type = MP_EXT; o->ext = (int8_t)p[1]; return payload(pp, end, 2, 4, o);
	case 0xd7: NEED(1); o->type = MP_EXT; o->ext = (int8_t)p[1]; return payload(pp, end, 2, 8, o);
	case 0xd8: NEED(1); o->type = MP_EXT; o->ext = (int8_t)p[1]; return payload(pp, end, 2, 16, o);
	case 0xd9: NEED(1); o->type = MP_STR; return payload(pp, end, 2, p[1], o);
	case 0xda: NEED(2); o->type = MP_STR; return payload(pp, end, 3, tsa_be16(p + 1), o);
	case 0xdb: NEED(4); o->type = MP_STR; return payload(pp, end, 5, tsa_be32(p + 1), o);
	case 0xdc: NEED(2); o->type = MP_ARRAY; o->len = tsa_be16(p + 1); o->ptr = *pp = p + 3; return 0;
	case 0xdd: NEED(4); o->type = MP_ARRAY; o->len = tsa_be32(p + 1); o->ptr = *pp = p + 5; return 0;
	case 0xde: NEED(2); o->type = MP_MAP; o->len = tsa_be16(p + 1); o->ptr = *pp = p + 3; return 0;
	case 0xdf: NEED(4); o->type = MP_MAP; o->len = tsa_be32(p + 1); o->ptr = *pp = p + 5; return 0;
	default:	/* 0xc1 is never used */
		return -2;
	}
#undef NEED
sint:
	if (o->i >= 0) {
		o->type = MP_UINT;
		o->u = (uint64_t)o->i;
	} else {
		o->type = MP_INT;
	}
	return 0;
}

/*
 * Skipping counts the objects still owed instead of recursing, so nesting
 * depth costs nothing.  Every object takes at least one byte, so a count
 * larger than the bytes left is malformed and is refused at once rather than
 * looped over.  The one-byte-header types that make up most of a record
 * (small integers, short strings, small maps and arrays) are handled inline:
 * every stage frames every record with this loop.
 */
const uint8_t mp_fixed_size[256] = {
	[0x00 ... 0x7f] = 1,				/* positive fixint */
	[0xa0] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, /* fixstr */
	[0xc0] = 1, [0xc2] = 1, [0xc3] = 1,		/* nil, bool */
	[0xca] = 5, [0xcb] = 9,				/* float */
	[0xcc] = 2, 3, 5, 9,				/* uint */
	[0xd0] = 2, 3, 5, 9,				/* int */
	[0xd4] = 3, 4, 6, 10, 18,			/* fixext: timestamps */
	[0xe0 ... 0xff] = 1,				/* negative fixint */
};

int mp_skip(const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	uint64_t owed = 1;
	struct mp_obj o;
	int rc;

	while (owed > 0) {
		uint8_t c;

		if (p >= end)
			return -1;
		c = *p;
		owed--;
		if (mp_fixed_size[c]) {
			size_t n = mp_fixed_size[c];
			if ((size_t)(end - p) < n)
				return -1;
			p += n;
			continue;
		}
		if ((c == 0xc4 || c == 0xd9) && end - p >= 2) {	/* bin8, str8 */
			size_t n = 2 + (size_t)p[1];
			if ((size_t)(end - p) < n)
				return -1;
			p += n;
			continue;
		}
		if (c <= 0x8f) {
			owed += 2 * (uint64_t)(c & 0x0f);
			p++;
		} else if (c <= 0x9f) {
			owed += c & 0x0f;
			p++;
		} else {
			if ((rc = mp_next(&p, end, &o)) < 0)
				return rc;
			if (o.type == MP_ARRAY)
				owed += o.len;
			else if (o.type == MP_MAP)
				owed += 2 * (uint64_t)o.len;
			else
				continue;
		}
		if (owed > (uint64_t)(end - p))
			return -1;
	}
	*pp = p;
	return 0;
}

bool mp_obj_int(const struct mp_obj *o, int64_t *v)
{
	if (o->type == MP_UINT && o->u <= INT64_MAX) {
		*v = (int64_t)o->u;
		return true;
	}
	if (o->type == MP_INT) {
		*v = o->i;
		return true;
	}
	return false;
}

bool mp_obj_num(const struct mp_obj *o, double *v)
{
	switch (o->type) {
	case MP_UINT: *v = (double)o->u; return true;
	case MP_INT: *v = (double)o->i; return true;
	case MP_FLOAT: *v = o->f; return true;
	default: return false;
	}
}

bool mp_obj_time_other(const struct mp_obj *o, int64_t *sec, uint32_t *nsec)
{
	if (o->type != MP_EXT || o->ext != MP_EXT_TIMESTAMP)
		return false;
	switch (o->len) {
	case 4:
		*sec = tsa_be32(o->ptr);
		*nsec = 0;
		return true;
	case 12:
		*nsec = tsa_be32(o->ptr);
		*sec = (int64_t)tsa_be64(o->ptr + 4);
		return *nsec < 1000000000u;
	default:
		return false;
	}
}

int mp_map_begin(struct mp_map_iter *it, const uint8_t *rec, size_t len)
{
	it->p = rec;
	it->end = rec + len;
	return mp_map_header(&it->p, it->end, &it->left);
}

int mp_map_step(struct mp_map_iter *it, struct mp_obj *key,
    const uint8_t **vstart, const uint8_t **vend)
{
	if (it->left == 0)
		return 0;
	if (mp_next(&it->p, it->end, key) < 0 || key->type != MP_STR)
		return -1;
	*vstart = it->p;
	if (mp_skip(&it->p, it->end) < 0)
		return -1;
	*vend = it->p;
	it->left--;
	return 1;
}

/*
 * A key is known by its words (tsa_str_words) and its length: they hold
 * keys of up to 16 bytes whole; the bytes between, of longer keys, are
 * compared by memcmp.  Its slot in a set is hashed from them.
 */
static inline unsigned key_hash(uint64_t head, uint64_t tail, size_t len,
    uint64_t mult)
{
	return (unsigned)(((head + (tail << 1 | tail >> 63) + len) * mult) >> 54);
}

/*
 * The index in k of the key of klen bytes at kp, or -1.  end bounds the
 * buffer kp is in: where 8 bytes can be loaded, a short key's word is
 * loaded whole and masked instead of copied byte by byte.
 */
static inline int key_index(const struct mp_keys *k, const uint8_t *kp,
    size_t klen, const uint8_t *end)
{
	uint64_t head, tail;
	unsigned s;

	if (klen < 8 && end - kp >= 8) {
		memcpy(&head, kp, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		head &= ~0ULL >> 1 >> (63 - 8 * klen);
#else
		head &= ~(~0ULL >> (8 * klen));
#endif
		tail = 0;
	} else {
		tsa_str_words(kp, klen, &head, &tail);
	}
	s = k->slot[key_hash(head, tail, klen, k->mult)];
	if (s-- == 0 || k->head[s] != head || k->tail[s] != tail ||
	    k->len[s] != klen)
		return -1;
	if (klen > 16 && memcmp(kp + 8, k->keys[s] + 8, klen - 16) != 0)
		return -1;
	return (int)s;
}

void mp_keys_init(struct mp_keys *k, const char *const *keys, int n)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	memset(k, 0, sizeof *k);
	k->keys = keys;
	k->n = n > MP_KEYS_MAX ? MP_KEYS_MAX : n;
	for (int i = 0; i < k->n; i++) {
		size_t l = strlen(keys[i]);
		int dup = 0;

		k->len[i] = (uint32_t)l;
		tsa_str_words(keys[i], l, &k->head[i], &k->tail[i]);
		for (int j = 0; j < i && !dup; j++)
			dup = k->len[j] == l && strcmp(keys[j], keys[i]) == 0;
		if (!dup)
			k->all |= 1ULL << i;
	}
	/* With at most 64 keys in 1024 slots, a few tries find a multiplier. */
	for (int t = 0; t < 100000; t++, x = x * 6364136223846793005ULL + 1442695040888963407ULL) {
		int i;

		memset(k->slot, 0, sizeof k->slot);
		k->mult = x | 1;
		for (i = 0; i < k->n; i++) {
			unsigned h;
			if (!(k->all >> i & 1))
				continue;
			h = key_hash(k->head[i], k->tail[i], k->len[i], k->mult);
			if (k->slot[h])
				break;
			k->slot[h] = (uint8_t)(i + 1);
		}
		if (i == k->n)
			return;
	}
	tsa_die("internal error: no hash separates the %d keys from \"%s\"",
	    k->n, keys[0]);
}

/*
 * A key that is not a fixstr (a longer string, or not a string at all):
 * its bytes in *kp and *klen (*kp NULL if it is no string), and the
 * position after it, or NULL.
 */
static const uint8_t *odd_key(const uint8_t *p, const uint8_t *end,
    const uint8_t **kp, size_t *klen)
{
	const uint8_t *q = p;
	struct mp_obj o;

	if (mp_next(&q, end, &o) < 0)
		return NULL;
	if (o.type == MP_STR) {
		*kp = o.ptr;
		*klen = o.len;
		return q;
	}
	*kp = NULL;
	return mp_skip_value(p, end);
}

/* The end of n pairs at p; a fixstr key is sized without the table. */
static const uint8_t *walk_frame(const uint8_t *p, const uint8_t *end, uint32_t n)
{
	for (; n > 0; n--) {
		if (p < end && (*p & 0xe0) == 0xa0 &&
		    (size_t)(end - p) > (size_t)(*p & 0x1f))
			p += 1 + (*p & 0x1f);
		else if ((p = mp_skip_value(p, end)) == NULL)
			return NULL;
		if ((p = mp_skip_value(p, end)) == NULL)
			return NULL;
	}
	return p;
}

const uint8_t *mp_map_walk(const uint8_t *p, const uint8_t *end,
    const struct mp_keys *k, struct mp_obj *vals, uint64_t *found)
{
	uint64_t f = 0;
	uint32_t n;

	if (mp_map_header(&p, end, &n) < 0 || 2 * (uint64_t)n > (uint64_t)(end - p))
		return NULL;
	if (!k)
		return walk_frame(p, end, n);
	for (uint32_t i = n; i > 0; i--) {
		const uint8_t *kp;
		size_t klen;
		int j;

		/* the key: nearly always a fixstr */
		if (p < end && (*p & 0xe0) == 0xa0 &&
		    (size_t)(end - p) > (size_t)(*p & 0x1f)) {
			klen = *p & 0x1f;
			kp = p + 1;
			p = kp + klen;
		} else if ((p = odd_key(p, end, &kp, &klen)) == NULL) {
			return NULL;
		} else if (kp == NULL) {
			goto skip;
		}
		j = key_index(k, kp, klen, end);
		if (j >= 0 && !(f >> j & 1)) {
			const uint8_t *v = p;
			if (mp_next_inline(&v, end, &vals[j]) < 0)
				return NULL;
			f |= 1ULL << j;
			/* a scalar is skipped by decoding it */
			if (vals[j].type != MP_ARRAY && vals[j].type != MP_MAP) {
				p = v;
				continue;
			}
		}
skip:
		if ((p = mp_skip_value(p, end)) == NULL)
			return NULL;
	}
	if (found)
		*found = f;
	return p;
}

int64_t mp_map_get(const uint8_t *rec, size_t len, const char *const *keys,
    int nkeys, struct mp_obj *vals)
{
	const uint8_t *end = rec + len, *vs, *ve;
	struct mp_map_iter it;
	struct mp_obj key;
	uint64_t found = 0, all;
	size_t klen[64];

	if (nkeys > 64 || mp_map_begin(&it, rec, len) < 0)
		return -1;
	all = nkeys == 64 ? ~0ULL : (1ULL << nkeys) - 1;
	for (int j = 0; j < nkeys; j++)
		klen[j] = strlen(keys[j]);
	while (found != all) {
		int rc = mp_map_step(&it, &key, &vs, &ve);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		for (int j = 0; j < nkeys; j++) {
			if (found >> j & 1 || klen[j] != key.len ||
			    memcmp(key.ptr, keys[j], key.len) != 0)
				continue;
			if (mp_next(&vs, end, &vals[j]) < 0)
				return -1;
			found |= 1ULL << j;
			break;
		}
	}
	return (int64_t)found;
}

int mp_map_get1(const uint8_t *rec, size_t len, const char *key,
    struct mp_obj *val)
{
	int64_t m = mp_map_get(rec, len, &key, 1, val);

	return m < 0 ? -1 : (int)m;
}

/* ---- packing ---- */

void mp_buf_grow(struct mp_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 4096;

	while (cap - b->len < need)
		cap *= 2;
	b->p = tsa_realloc(b->p, cap);
	b->cap = cap;
}

void mp_buf_free(struct mp_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static inline void put1(struct mp_buf *b, uint8_t c)
{
	*mp_buf_reserve(b, 1) = c;
	b->len++;
}

static inline void put_be(struct mp_buf *b, uint8_t tag, uint64_t v, int n)
{
	uint8_t *p = mp_buf_reserve(b, 1 + (size_t)n);
	int i;

	*p++ = tag;
	for (i = n - 1; i >= 0; i--)
		*p++ = (uint8_t)(v >> (8 * i));
	b->len += 1 + (size_t)n;
}

void mp_put_nil(struct mp_buf *b) { put1(b, 0xc0); }
void mp_put_bool(struct mp_buf *b, bool v) { put1(b, v ? 0xc3 : 0xc2); }

void mp_put_uint_any(struct mp_buf *b, uint64_t v)
{
	if (v < 128)
		put1(b, (uint8_t)v);
	else if (v < 256)
		put_be(b, 0xcc, v, 1);
	else if (v < 65536)
		put_be(b, 0xcd, v, 2);
	else if (v < 4294967296ULL)
		put_be(b, 0xce, v, 4);
	else
		put_be(b, 0xcf, v, 8);
}

void mp_put_int(struct mp_buf *b, int64_t v)
{
	if (v >= 0)
		mp_put_uint(b, (uint64_t)v);
	else if (v >= -32)
		put1(b, (uint8_t)(int8_t)v);
	else if (v >= INT8_MIN)
		put_be(b, 0xd0, (uint64_t)v, 1);
	else if (v >= INT16_MIN)
		put_be(b, 0xd1, (uint64_t)v, 2);
	else if (v >= INT32_MIN)
		put_be(b, 0xd2, (uint64_t)v, 4);
	else
		put_be(b, 0xd3, (uint64_t)v, 8);
}

void mp_put_double(struct mp_buf *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	put_be(b, 0xcb, u, 8);
}

static void put_len(struct mp_buf *b, uint8_t fix, uint8_t t8, uint8_t t16,
    uint8_t t32, size_t n, size_t fixmax)
{
	if (n <= fixmax && fix)
		put1(b, (uint8_t)(fix | n));
	else if (n < 256 && t8)
		put_be(b, t8, n, 1);
	else if (n < 65536)
		put_be(b, t16, n, 2);
	else
		put_be(b, t32, n, 4);
}

void mp_put_str_any(struct mp_buf *b, const void *s, size_t n)
{
	put_len(b, 0xa0, 0xd9, 0xda, 0xdb, n, 31);
	mp_put_raw(b, s, n);
}

void mp_put_cstr(struct mp_buf *b, const char *s) { mp_put_str(b, s, strlen(s)); }

void mp_put_bin(struct mp_buf *b, const void *s, size_t n)
{
	put_len(b, 0, 0xc4, 0xc5, 0xc6, n, 0);
	mp_put_raw(b, s, n);
}

void mp_put_array(struct mp_buf *b, uint32_t n) { put_len(b, 0x90, 0, 0xdc, 0xdd, n, 15); }
void mp_put_map(struct mp_buf *b, uint32_t n)
{
	b->len += mp_map_hdr_store(mp_buf_reserve(b, 5), n);
}

/* One byte is kept for the header: most maps have fewer than 16 pairs. */
void mp_map_open(struct mp_buf *b, struct mp_map_w *m)
{
	mp_buf_reserve(b, 1);
	m->at = b->len++;
	m->n = 0;
}

void mp_map_close(struct mp_buf *b, struct mp_map_w *m)
{
	uint8_t hdr[5];
	size_t n = mp_map_hdr_store(hdr, m->n);

	if (n > 1) {		/* move the pairs to make room */
		mp_buf_reserve(b, n - 1);
		memmove(b->p + m->at + n, b->p + m->at + 1, b->len - m->at - 1);
		b->len += n - 1;
	}
	memcpy(b->p + m->at, hdr, n);
}

static void store_be(uint8_t *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--)
		*p++ = (uint8_t)(v >> (8 * i));
}

/* The smallest of msgpack's three timestamp forms that holds the value. */
void mp_put_time(struct mp_buf *b, int64_t sec, uint32_t nsec)
{
	uint8_t *p;

	if (sec >= 0 && (uint64_t)sec >> 34 == 0) {
		uint64_t v = (uint64_t)nsec << 34 | (uint64_t)sec;
		if (v >> 32 == 0) {
			p = mp_buf_reserve(b, 6);
			p[0] = 0xd6, p[1] = 0xff;
			store_be(p + 2, v, 4);
			b->len += 6;
		} else {
			p = mp_buf_reserve(b, 10);
			p[0] = 0xd7, p[1] = 0xff;
			store_be(p + 2, v, 8);
			b->len += 10;
		}
	} else {
		p = mp_buf_reserve(b, 15);
		p[0] = 0xc7, p[1] = 12, p[2] = 0xff;
		store_be(p + 3, nsec, 4);
		store_be(p + 7, (uint64_t)sec, 8);
		b->len += 15;
	}
}

void mp_put_raw(struct mp_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;	/* p may be NULL then, which memcpy must not see */
	memcpy(mp_buf_reserve(b, n), p, n);
	b->len += n;
}
