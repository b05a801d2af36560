/*
 * The keys tsa-geo needs from a record, in one pass.  This is mp_map_get
 * for three keys with the common value types skipped inline: at millions of
 * records a second, a call into the general decoder per key and per value
 * was the largest cost of the whole stage.  Anything unusual (containers,
 * long strings, 16- and 32-bit lengths) goes through mp_skip/mp_next, and
 * every length is checked against the end of the record.
 */
#include <string.h>

#include "record.h"

/*
 * Bytes taken by a value whose size its first byte tells (1 + payload), or
 * 0 when the general decoder must look: containers, types with a length
 * field, 0xc1.  Filled by geo_rec_init.
 */
static uint8_t fixed_size[256];

void geo_rec_init(void)
{
	static const struct { uint8_t c, n; } sizes[] = {
		{ 0xc0, 1 }, { 0xc2, 1 }, { 0xc3, 1 },		/* nil, bool */
		{ 0xca, 5 }, { 0xcb, 9 },			/* float */
		{ 0xcc, 2 }, { 0xcd, 3 }, { 0xce, 5 }, { 0xcf, 9 },
		{ 0xd0, 2 }, { 0xd1, 3 }, { 0xd2, 5 }, { 0xd3, 9 },
		/* fixext 1..16: type byte and data (timestamps: d6, d7) */
		{ 0xd4, 3 }, { 0xd5, 4 }, { 0xd6, 6 }, { 0xd7, 10 }, { 0xd8, 18 },
	};

	for (int c = 0; c < 256; c++)
		fixed_size[c] = c <= 0x7f || c >= 0xe0 ? 1 :	/* fixint */
		    c >= 0xa0 && c <= 0xbf ? (uint8_t)(1 + (c & 0x1f)) : 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		fixed_size[sizes[i].c] = sizes[i].n;
}

/*
 * The end of the value at p, or NULL if it is malformed.  (Pointers are
 * passed by value: through memory, each step of this serial chain of loads
 * would also wait for a store.)
 */
static inline const uint8_t *skip_value(const uint8_t *p, const uint8_t *end)
{
	size_t n;

	if (p >= end)
		return NULL;
	n = fixed_size[*p];
	if (n == 0 && (*p == 0xc4 || *p == 0xd9)) {
		/* bin 8 (addresses, raw headers), str 8 */
		if (end - p < 2)
			return NULL;
		n = 2 + (size_t)p[1];
	}
	if (n == 0) {
		const uint8_t *q = p;
		return mp_skip(&q, end) < 0 ? NULL : q;
	}
	return (size_t)(end - p) < n ? NULL : p + n;
}

bool geo_rec_scan(const uint8_t *rec, size_t len, struct geo_rec *out,
    const struct geo_lookup *g)
{
	const uint8_t *p = rec, *end = rec + len;
	struct mp_obj o;

	out->typed = out->has[0] = out->has[1] = false;
	if (mp_next(&p, end, &o) < 0 || o.type != MP_MAP)
		return false;
	for (uint32_t i = 0; i < o.len; i++) {
		const uint8_t *k;
		size_t klen;

		if (p < end && *p >= 0xa0 && *p <= 0xbf) {
			klen = *p & 0x1f;
			k = p + 1;
			if ((size_t)(end - k) < klen)
				return false;
			p = k + klen;
		} else {
			struct mp_obj key;
			const uint8_t *q = p;
			if (mp_next(&q, end, &key) < 0 || key.type != MP_STR)
				return false;
			k = key.ptr;
			klen = key.len;
			p = q;
		}
		int side = -1;
		if (klen == 8 && memcmp(k, "src_addr", 8) == 0)
			side = 0;
		else if (klen == 8 && memcmp(k, "dst_addr", 8) == 0)
			side = 1;
		else if (klen == 4 && memcmp(k, "type", 4) == 0)
			out->typed = true;
		if (side >= 0 && !out->has[side]) {
			const uint8_t *v = p;
			if (mp_next(&v, end, &out->addr[side]) < 0)
				return false;
			out->has[side] = true;
			if (g && out->addr[side].type == MP_BIN)
				geo_lookup_prefetch(g, out->addr[side].ptr,
				    out->addr[side].len);
		}
		if ((p = skip_value(p, end)) == NULL)
			return false;
	}
	return true;
}
