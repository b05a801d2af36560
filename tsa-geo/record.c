/*
 * The keys tsa-geo needs from a record, in one pass of mp_map_find, with
 * the addresses' cache lines prefetched before they are looked up.
 */
#include "record.h"

static const char *const names[] = { "src_addr", "dst_addr", "type" };
static struct mp_keys keys;

void geo_rec_init(void)
{
	mp_keys_init(&keys, names, 3);
}

bool geo_rec_scan(const uint8_t *rec, size_t len, struct geo_rec *out,
    const struct geo_lookup *g)
{
	struct mp_obj v[3];
	int64_t found = mp_map_find(rec, len, &keys, v);

	if (found < 0)
		return false;
	out->typed = found >> 2 & 1;
	for (int side = 0; side < 2; side++) {
		out->has[side] = found >> side & 1;
		if (!out->has[side])
			continue;
		out->addr[side] = v[side];
		if (g && v[side].type == MP_BIN)
			geo_lookup_prefetch(g, v[side].ptr, v[side].len);
	}
	return true;
}
