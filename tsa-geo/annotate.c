/*
 * Keys out.  The values come pre-packed from the cache (lookup.c), so a
 * record costs a key pack and a copy per field.
 */
#include <string.h>

#include "addr.h"
#include "annotate.h"

static const char *const keys[2][GEO_NFIELDS] = {
	{ "src_country", "src_continent", "src_lat", "src_lon", "src_city",
	  "src_asn", "src_as_org" },
	{ "dst_country", "dst_continent", "dst_lat", "dst_lon", "dst_city",
	  "dst_asn", "dst_as_org" },
};
static const char *const scope_keys[2] = { "src_scope", "dst_scope" };

#define NSCOPES (TSA_SCOPE_RESERVED + 1)
/* Pairs "src_scope": "link-local" and the like, packed at start. */
static uint8_t scope_pairs[2][NSCOPES][48];

const char *geo_key(int side, enum geo_field f)
{
	return keys[side][f];
}

void geo_annotate_init(void)
{
	for (int side = 0; side < 2; side++)
		for (int s = 0; s < NSCOPES; s++) {
			uint8_t *p = scope_pairs[side][s];
			struct mp_buf b = { p + 3, 0, sizeof scope_pairs[0][0] - 3 };
			mp_put_cstr(&b, scope_keys[side]);
			mp_put_cstr(&b, tsa_scope_name((enum tsa_addr_scope)s));
			/* The names are short: the buffer never grows. */
			p[0] = 1;
			p[1] = (uint8_t)b.len;
			p[2] = 0;
		}
}

int geo_result_pairs(const struct geo_result *r, int side,
    const uint8_t **out)
{
	int n = 0;

	if (r->scope != TSA_SCOPE_PUBLIC && r->scope < NSCOPES) {
		out[0] = scope_pairs[side][r->scope];
		return 1;
	}
	if (r->loc)
		out[n++] = geo_answer_pairs(r->loc, side);
	if (r->asn)
		out[n++] = geo_answer_pairs(r->asn, side);
	return n;
}

void geo_write(struct tsa_writer *w, const uint8_t *rec, size_t len,
    const uint8_t *const *pairs, int npairs)
{
	struct mp_buf *out = tsa_out(w);
	uint32_t n, add = 0;
	size_t hl, extra = 0;

	for (int i = 0; i < npairs; i++) {
		add += pairs[i][0];
		extra += geo_pairs_len(pairs[i]);
	}
	if (add == 0) {
		mp_put_raw(out, rec, len);
		tsa_wrote(w);
		return;
	}
	/* The caller has checked that rec is a whole map. */
	if (rec[0] >= 0x80 && rec[0] <= 0x8f) {
		n = rec[0] & 0x0f;
		hl = 1;
	} else if (rec[0] == 0xde) {
		n = (uint32_t)rec[1] << 8 | rec[2];
		hl = 3;
	} else {
		n = (uint32_t)rec[1] << 24 | (uint32_t)rec[2] << 16 |
		    (uint32_t)rec[3] << 8 | rec[4];
		hl = 5;
	}
	mp_buf_reserve(out, 5 + len + extra);
	mp_put_map(out, n + add);
	memcpy(out->p + out->len, rec + hl, len - hl);
	out->len += len - hl;
	for (int i = 0; i < npairs; i++) {
		size_t pl = geo_pairs_len(pairs[i]);
		memcpy(out->p + out->len, pairs[i] + 3, pl);
		out->len += pl;
	}
	tsa_wrote(w);
}

bool geo_is_own_key(const struct mp_obj *key)
{
	static const char *const suffix[] = {
		"country", "continent", "lat", "lon", "city", "asn", "as_org",
		"scope",
	};

	if (key->type != MP_STR || key->len < 7 || key->len > 13 ||
	    (memcmp(key->ptr, "src_", 4) != 0 && memcmp(key->ptr, "dst_", 4) != 0))
		return false;
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++)
		if (key->len - 4 == strlen(suffix[i]) &&
		    memcmp(key->ptr + 4, suffix[i], key->len - 4) == 0)
			return true;
	return false;
}

bool geo_strip(const uint8_t *rec, size_t len, struct mp_buf *out)
{
	const uint8_t *p = rec, *end = rec + len, *kstart, *vstart;
	uint32_t n, kept = 0;
	uint8_t hdr[5];
	struct mp_buf hb = { hdr, 0, sizeof hdr };

	if (mp_map_header(&p, end, &n) < 0)
		return false;
	/*
	 * The kept pairs go after room for the largest map header; the real
	 * header is then written just before them and the whole moved down.
	 */
	out->len = 0;
	mp_buf_reserve(out, 5 + len);
	out->len = 5;
	for (; n > 0; n--) {
		struct mp_obj key;
		kstart = p;
		/*
		 * A key that is not a string (a map, even) is no key of
		 * ours: the pair is kept, as every stage passes it on.
		 */
		if ((vstart = mp_skip_value(p, end)) == NULL ||
		    (p = mp_skip_value(vstart, end)) == NULL)
			return false;
		const uint8_t *k = kstart;
		if (mp_next(&k, vstart, &key) == 0 && geo_is_own_key(&key))
			continue;
		mp_put_raw(out, kstart, (size_t)(p - kstart));
		kept++;
	}
	mp_put_map(&hb, kept);
	memcpy(out->p + 5 - hb.len, hdr, hb.len);
	memmove(out->p, out->p + 5 - hb.len, out->len - (5 - hb.len));
	out->len -= 5 - hb.len;
	return true;
}
