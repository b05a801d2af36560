/*
 * Raw msgpack access: decode one object at a time straight from the bytes,
 * skip whole objects without building them, find keys in a map, and pack
 * values into a growing buffer.  A stage never unpacks a record into a tree:
 * it looks up the few keys it needs and copies the rest through as bytes.
 * Every read is bounded by an end pointer.
 */
#ifndef TSA_MP_H
#define TSA_MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"

enum mp_type {
	MP_NIL, MP_BOOL, MP_UINT, MP_INT, MP_FLOAT, MP_STR, MP_BIN,
	MP_ARRAY, MP_MAP, MP_EXT
};

/* msgpack's timestamp extension type */
#define MP_EXT_TIMESTAMP (-1)

struct mp_obj {
	enum mp_type type;
	int8_t ext;		/* extension type, for MP_EXT */
	uint32_t len;		/* bytes of str/bin/ext, elements of array/map */
	const uint8_t *ptr;	/* data of str/bin/ext; first element of array/map */
	union {
		bool b;
		uint64_t u;	/* MP_UINT */
		int64_t i;	/* MP_INT (always negative) */
		double f;
	};
};

/*
 * Decode the object at *p (for arrays and maps only their header: the
 * elements follow) and advance *p past what was decoded.  Returns 0, -1
 * when the bytes end too soon, or -2 for a byte that is not msgpack (0xc1).
 */
int mp_next(const uint8_t **p, const uint8_t *end, struct mp_obj *o);

/*
 * Skip one complete object, nested ones included, without recursion.
 * Returns 0, -1 when the bytes end too soon (including a container that
 * claims more elements than there are bytes left), or -2 when invalid.
 */
int mp_skip(const uint8_t **p, const uint8_t *end);

/*
 * The header of the map at *pp: its pair count in *n, *pp past it.
 * Returns 0, or -1 if the bytes there are not a map header.
 */
static inline int mp_map_header(const uint8_t **pp, const uint8_t *end,
    uint32_t *n)
{
	const uint8_t *p = *pp;
	struct mp_obj o;

	if (p < end && *p >= 0x80 && *p <= 0x8f) {	/* up to 15 pairs */
		*n = *p & 0x0f;
		*pp = p + 1;
		return 0;
	}
	if (end - p >= 3 && *p == 0xde) {		/* map 16: most records */
		*n = tsa_be16(p + 1);
		*pp = p + 3;
		return 0;
	}
	if (mp_next(&p, end, &o) < 0 || o.type != MP_MAP)
		return -1;
	*n = o.len;
	*pp = p;
	return 0;
}

/*
 * mp_next with the commonest values of a record (small integers, short
 * strings, addresses) decoded inline.
 */
static inline int mp_next_inline(const uint8_t **pp, const uint8_t *end,
    struct mp_obj *o)
{
	const uint8_t *p = *pp;
	size_t avail = (size_t)(end - p), n;

	if (avail >= 1 && *p < 0x80) {
		o->type = MP_UINT;
		o->u = *p;
		*pp = p + 1;
		return 0;
	}
	if (avail >= 1 && (*p & 0xe0) == 0xa0 && avail - 1 >= (n = *p & 0x1f)) {
		o->type = MP_STR;
		o->len = (uint32_t)n;
		o->ptr = p + 1;
		*pp = p + 1 + n;
		return 0;
	}
	if (avail >= 2 && *p == 0xc4 && avail - 2 >= (n = p[1])) {
		o->type = MP_BIN;
		o->len = (uint32_t)n;
		o->ptr = p + 2;
		*pp = p + 2 + n;
		return 0;
	}
	if (avail >= 3 && *p == 0xcd) {		/* ports, lengths */
		o->type = MP_UINT;
		o->u = tsa_be16(p + 1);
		*pp = p + 3;
		return 0;
	}
	if (avail >= 10 && *p == 0xd7) {	/* timestamps */
		o->type = MP_EXT;
		o->ext = (int8_t)p[1];
		o->len = 8;
		o->ptr = p + 2;
		*pp = p + 10;
		return 0;
	}
	return mp_next(pp, end, o);
}

/* Is o a string equal to the C string s? */
static inline bool mp_str_eq(const struct mp_obj *o, const char *s, size_t n)
{
	return o->type == MP_STR && o->len == n && memcmp(o->ptr, s, n) == 0;
}

/* An integer (either sign) as int64_t; false if o is not one or too big. */
bool mp_obj_int(const struct mp_obj *o, int64_t *v);
/* A number of any kind as double; false if o is not a number. */
bool mp_obj_num(const struct mp_obj *o, double *v);
/* mp_obj_time's 32- and 96-bit forms, and the refusal of anything else. */
bool mp_obj_time_other(const struct mp_obj *o, int64_t *sec, uint32_t *nsec);
/*
 * A timestamp extension (32, 64 or 96 bit form); false otherwise.  The
 * 64-bit form, every record's, is read inline.
 */
static inline bool mp_obj_time(const struct mp_obj *o, int64_t *sec,
    uint32_t *nsec)
{
	if (o->type == MP_EXT && o->ext == MP_EXT_TIMESTAMP && o->len == 8) {
		uint64_t v = tsa_be64(o->ptr);

		*nsec = (uint32_t)(v >> 34);
		*sec = (int64_t)(v & 0x3ffffffffULL);
		return *nsec < 1000000000u;
	}
	return mp_obj_time_other(o, sec, nsec);
}

/*
 * The whole size of a value from its first byte (1 + payload) for the types
 * that say it there, or 0 for containers, 16/32-bit lengths and 0xc1.
 */
extern const uint8_t mp_fixed_size[256];

/*
 * The end of the value at p, or NULL if it is truncated or invalid.  The
 * types that make up most of a record are tested one by one, before the
 * table: a walk is a chain in which each value's end is the next one's
 * start, and a predicted branch lets a small integer, a port or a
 * timestamp add its size without waiting for its first byte to load,
 * where the table lookup would put two loads on the chain.  This made the
 * walk of an annotated record 10-15% faster although it runs more
 * instructions.  The rest goes through the table and mp_skip.
 */
static inline const uint8_t *mp_skip_value(const uint8_t *p, const uint8_t *end)
{
	size_t avail = (size_t)(end - p), n;

	if (p >= end)
		return NULL;
	if (*p < 0x80)				/* positive fixint */
		return p + 1;
	if ((*p & 0xe0) == 0xa0)		/* fixstr */
		n = 1 + (size_t)(*p & 0x1f);
	else if (*p == 0xc4 && avail >= 2)	/* bin 8: addresses */
		n = 2 + (size_t)p[1];
	else if (*p == 0xcd)			/* uint 16: ports, lengths */
		n = 3;
	else if (*p == 0xd7)			/* fixext 8: timestamps */
		n = 10;
	else if ((n = mp_fixed_size[*p]) == 0) {
		if (*p == 0xd9 && avail >= 2)	/* str 8 */
			n = 2 + (size_t)p[1];
		else {
			const uint8_t *q = p;
			return mp_skip(&q, end) < 0 ? NULL : q;
		}
	}
	return avail < n ? NULL : p + n;
}

/*
 * A set of keys prepared once: a record's key is hashed from its length and
 * its first and last 8 bytes into a table where no two wanted keys share a
 * slot (the multiplier is searched for at init), so each of a record's keys
 * costs one table load and, on a hit, three word compares; only keys longer
 * than 16 bytes need a memcmp.  Of identical keys in the set the first wins.
 */
#define MP_KEYS_MAX 64
#define MP_KEYS_SLOTS 1024
struct mp_keys {
	const char *const *keys;
	int n;
	uint64_t all;			/* bits of the keys that can match */
	uint64_t mult;			/* hash multiplier */
	uint32_t len[MP_KEYS_MAX];
	uint64_t head[MP_KEYS_MAX];	/* first 8 bytes (fewer: zero-padded) */
	uint64_t tail[MP_KEYS_MAX];	/* last 8 bytes of keys of 8 or more */
	uint8_t slot[MP_KEYS_SLOTS];	/* key index + 1, or 0 */
};
void mp_keys_init(struct mp_keys *k, const char *const *keys, int n);

/*
 * Walk the map at p to its end, which is returned; NULL if the map is
 * truncated or invalid (mp_skip tells which).  With k, the first value of
 * each key of k is decoded into vals[i] (for containers: the header, with
 * ptr at the first element) and bit i set in *found.  Framing a record and
 * finding its keys are one walk: each pair's position depends on the
 * previous value's size, so a second walk would pay the chain twice.
 * Non-string keys are skipped, not matched.
 */
const uint8_t *mp_map_walk(const uint8_t *p, const uint8_t *end,
    const struct mp_keys *k, struct mp_obj *vals, uint64_t *found);


/*
 * Look up several keys of the map at rec in one pass.  keys[i] are
 * NUL-terminated; found values are stored in vals[i] and bit i is set in
 * the returned mask.  For containers the value is the header object and
 * vals[i].ptr points at its first element; the container's bytes run up to
 * the next key.  Returns -1 if rec is not a well-formed map.  At most 64 keys.
 */
int64_t mp_map_get(const uint8_t *rec, size_t len, const char *const *keys,
    int nkeys, struct mp_obj *vals);

/* One key; returns 1 found, 0 absent, -1 malformed. */
int mp_map_get1(const uint8_t *rec, size_t len, const char *key,
    struct mp_obj *val);

/*
 * Iterate a map: mp_map_begin checks the header and leaves *it at the first
 * key; mp_map_step decodes the key (must be a string) and leaves vstart at
 * the value's bytes and *it past the value.  Returns 1 per pair, 0 at the
 * end, -1 on malformed input.
 */
struct mp_map_iter {
	const uint8_t *p, *end;
	uint32_t left;
};
int mp_map_begin(struct mp_map_iter *it, const uint8_t *rec, size_t len);
int mp_map_step(struct mp_map_iter *it, struct mp_obj *key,
    const uint8_t **vstart, const uint8_t **vend);

/* ---- packing ---- */

struct mp_buf {
	uint8_t *p;
	size_t len, cap;
};

void mp_buf_grow(struct mp_buf *b, size_t need);	/* aborts on OOM */
void mp_buf_free(struct mp_buf *b);

static inline uint8_t *mp_buf_reserve(struct mp_buf *b, size_t n)
{
	if (b->cap - b->len < n)
		mp_buf_grow(b, n);
	return b->p + b->len;
}

void mp_put_nil(struct mp_buf *b);
void mp_put_bool(struct mp_buf *b, bool v);
void mp_put_uint_any(struct mp_buf *b, uint64_t v);
static inline void mp_put_uint(struct mp_buf *b, uint64_t v)
{
	if (v < 128) {
		*mp_buf_reserve(b, 1) = (uint8_t)v;
		b->len++;
		return;
	}
	mp_put_uint_any(b, v);
}
void mp_put_int(struct mp_buf *b, int64_t v);
void mp_put_double(struct mp_buf *b, double v);
void mp_put_str_any(struct mp_buf *b, const void *s, size_t n);
/* Short strings, most of a record's keys and values, are packed inline. */
static inline void mp_put_str(struct mp_buf *b, const void *s, size_t n)
{
	if (n < 32) {
		uint8_t *p = mp_buf_reserve(b, n + 1);
		p[0] = (uint8_t)(0xa0 | n);
		if (n)
			memcpy(p + 1, s, n);
		b->len += n + 1;
		return;
	}
	mp_put_str_any(b, s, n);
}
void mp_put_cstr(struct mp_buf *b, const char *s);
void mp_put_bin(struct mp_buf *b, const void *s, size_t n);
void mp_put_array(struct mp_buf *b, uint32_t n);
void mp_put_map(struct mp_buf *b, uint32_t n);
void mp_put_time(struct mp_buf *b, int64_t sec, uint32_t nsec);
void mp_put_raw(struct mp_buf *b, const void *p, size_t n);

/*
 * A map whose size is known only at its end: open it, put each key with
 * mp_map_key (which counts it) and its value, then close it, which writes
 * the header in front, as small as the count allows.  Nothing then counts
 * keys by hand.  Maps nest: each has its own mp_map_w.
 */
struct mp_map_w {
	size_t at;		/* where the header goes */
	uint32_t n;		/* pairs so far */
};
void mp_map_open(struct mp_buf *b, struct mp_map_w *m);
static inline void mp_map_key(struct mp_buf *b, struct mp_map_w *m,
    const char *key)
{
	mp_put_cstr(b, key);
	m->n++;
}
void mp_map_close(struct mp_buf *b, struct mp_map_w *m);
/* A key and an unsigned value: the commonest pair. */
static inline void mp_map_uint(struct mp_buf *b, struct mp_map_w *m,
    const char *key, uint64_t v)
{
	mp_map_key(b, m, key);
	mp_put_uint(b, v);
}

/*
 * Store at o a map header for n pairs (5 bytes at most); returns its
 * length.  mp_put_map writes it too; for a writer that reserves a
 * record's bytes at once.
 */
static inline size_t mp_map_hdr_store(uint8_t *o, uint32_t n)
{
	if (n < 16) {
		o[0] = (uint8_t)(0x80 | n);
		return 1;
	}
	if (n < 65536) {
		o[0] = 0xde;
		o[1] = (uint8_t)(n >> 8);
		o[2] = (uint8_t)n;
		return 3;
	}
	o[0] = 0xdf;
	o[1] = (uint8_t)(n >> 24);
	o[2] = (uint8_t)(n >> 16);
	o[3] = (uint8_t)(n >> 8);
	o[4] = (uint8_t)n;
	return 5;
}

#endif
