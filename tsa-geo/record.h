/*
 * Reading a record and finding its addresses: one pass over its keys.
 */
#ifndef TSA_GEO_RECORD_H
#define TSA_GEO_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lookup.h"
#include "mp.h"
#include "stream.h"

struct geo_rec {
	bool typed;		/* has "type": not a packet record */
	bool has[2];		/* src_addr, dst_addr present */
	struct mp_obj addr[2];	/* their values */
};

/* Once, before the first scan. */
void geo_rec_init(void);
/*
 * The next record from r (tsa_read's return value and bounds), with its
 * addresses.  Each address found is prefetched in g's cache (if g is not
 * NULL) while the caller goes on.
 */
int geo_rec_read(struct tsa_reader *r, const uint8_t **rec, size_t *len,
    struct geo_rec *out, const struct geo_lookup *g);

#endif
