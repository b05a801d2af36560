/*
 * The per-record key scan, the hot loop of tsa-filter.  A packet record is
 * a map of a dozen or two short keys with mostly scalar values; the forms
 * that dominate (fixstr keys, fixint/str/bin/timestamp values) are sized
 * inline here, and anything else (containers, long keys) goes through the
 * general mp_next/mp_skip.  (A call to mp_skip per value costs a tenth of
 * tsa-filter's time.)  Every step is still checked against the end of the
 * record.
 */
#include <string.h>

#include "expr.h"
#include "mp.h"

/*
 * Bytes of the object at p if it is a scalar, SIZE_MAX if its own header
 * is cut short, 0 for containers and anything else left to mp_skip.
 */
static inline size_t scalar_len(const uint8_t *p, size_t avail)
{
	uint8_t c = p[0];
	if (c <= 0x7f || c >= 0xe0)
		return 1;
	if (c >= 0xa0 && c <= 0xbf)
		return 1 + (size_t)(c & 0x1f);
	switch (c) {
	case 0xc0: case 0xc2: case 0xc3:
		return 1;
	case 0xcc: case 0xd0:
		return 2;
	case 0xcd: case 0xd1: case 0xd4:
		return 3;
	case 0xd5:
		return 4;
	case 0xca: case 0xce: case 0xd2:
		return 5;
	case 0xd6:
		return 6;
	case 0xcb: case 0xcf: case 0xd3:
		return 9;
	case 0xd7:
		return 10;
	case 0xd8:
		return 18;
	case 0xc4: case 0xd9:	/* bin 8, str 8 */
		return avail >= 2 ? 2 + (size_t)p[1] : SIZE_MAX;
	case 0xc7:		/* ext 8 */
		return avail >= 2 ? 3 + (size_t)p[1] : SIZE_MAX;
	}
	return 0;
}

int scan_record(const struct filter *f, const uint8_t *rec, size_t len,
    struct val *vals, uint64_t *found)
{
	const uint8_t *p = rec, *end = rec + len;
	struct mp_obj o;
	uint64_t got = 0;
	uint32_t left;
	if (len > 0 && (*p & 0xf0) == 0x80) {	/* fixmap */
		left = *p++ & 0x0f;
	} else {
		if (mp_next(&p, end, &o) < 0 || o.type != MP_MAP)
			return -1;
		left = o.len;
	}
	for (; left > 0; left--) {
		/* the key */
		const uint8_t *key;
		size_t klen;
		if (p < end && (*p & 0xe0) == 0xa0) {
			klen = *p & 0x1f;
			key = p + 1;
			if (klen > (size_t)(end - key))
				return -1;
			p = key + klen;
		} else {
			const uint8_t *k0 = p;
			if (mp_next(&p, end, &o) < 0)
				return -1;
			if (o.type != MP_STR) {
				/*
				 * Not a name: no field of an expression, but
				 * the record is well-formed and passes on its
				 * other keys, as in every other stage.  The
				 * key may be a container: skip it whole.
				 */
				if ((p = mp_skip_value(k0, end)) == NULL ||
				    (p = mp_skip_value(p, end)) == NULL)
					return -1;
				continue;
			}
			key = o.ptr;
			klen = o.len;
		}
		/* the value */
		const uint8_t *v = p;
		if (p >= end)
			return -1;
		size_t n = scalar_len(p, (size_t)(end - p));
		if (n == 0) {
			if (mp_skip(&p, end) < 0)
				return -1;
		} else if (n > (size_t)(end - p)) {
			return -1;
		} else {
			p += n;
		}
		/* One of ours?  Most keys differ in length from all of ours;
		   the rest are compared as 8-byte words, then bytes. */
		if (!(f->klen_mask >> (klen & 63) & 1))
			continue;
		uint64_t head = 0;
		if (klen >= 8)
			memcpy(&head, key, 8);
		for (int i = 0; i < f->nkeys; i++) {
			if (klen != f->klen[i] || head != f->khead[i])
				continue;
			const char *fk = f->keys[i];
			size_t j = klen >= 8 ? 8 : 0;
			while (j < klen && key[j] == (uint8_t)fk[j])
				j++;
			if (j < klen)
				continue;
			if (i == 0)	/* keys[0] is "type" */
				return 1;
			if (!(got >> i & 1)) {	/* the first of duplicates */
				vals[i].end = p;
				if (mp_next(&v, p, &vals[i].o) < 0)
					return -1;
				vals[i].elems = v;
				got |= 1ull << i;
			}
			break;
		}
	}
	*found = got;
	return 0;
}
