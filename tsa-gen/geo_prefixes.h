/*
 * Real public address allocations by country, for the remote side of the
 * traffic, and the country-code top-level domains their sites use.
 */
#ifndef GEN_GEO_PREFIXES_H
#define GEN_GEO_PREFIXES_H

#include <stdint.h>

#include "rng.h"

struct prefix {
	const char *cc;		/* ISO 3166 country, as DB-IP places it */
	const char *tld;	/* public suffix its sites use */
	const char *net;	/* network address */
	uint8_t len;		/* prefix length */
};

extern const struct prefix prefixes4[], prefixes6[];
extern const unsigned nprefixes4, nprefixes6;

/* A random host address inside p (not the first or last of a /24). */
void prefix_pick(struct rng *r, const struct prefix *p, uint8_t addr[16]);

#endif
