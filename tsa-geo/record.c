/*
 * The keys tsa-geo needs from a record, found by the reader in the walk
 * that frames the record, with the addresses' cache lines prefetched
 * before they are looked up.
 */
#include "record.h"

static const char *const names[] = { "src_addr", "dst_addr", "type" };
static struct mp_keys keys;

void geo_rec_init(void)
{
	mp_keys_init(&keys, names, 3);
}

int geo_rec_read(struct tsa_reader *r, const uint8_t **rec, size_t *len,
    struct geo_rec *out, const struct geo_lookup *g)
{
	struct mp_obj v[3];
	uint64_t found;
	int rc = tsa_read_find(r, &keys, rec, len, v, &found);

	if (rc <= 0)
		return rc;
	out->typed = found >> 2 & 1;
	for (int side = 0; side < 2; side++) {
		out->has[side] = found >> side & 1;
		if (!out->has[side])
			continue;
		out->addr[side] = v[side];
		if (g && v[side].type == MP_BIN)
			geo_lookup_prefetch(g, v[side].ptr, v[side].len);
	}
	return 1;
}
