/*
 * Address to answer, through a cache of recently seen addresses.  Answers
 * are kept as the packed msgpack bytes of their values, so a cache hit
 * costs a hash, a compare and a copy: no database walk, no packing.
 */
#ifndef TSA_GEO_LOOKUP_H
#define TSA_GEO_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/*
 * An answer: a byte with one bit per enum geo_field present, then for each
 * present field in order a 2-byte little-endian length and that many bytes
 * of one packed msgpack value.
 */
struct geo_result {
	uint8_t scope;		/* enum tsa_addr_scope; PUBLIC: looked up */
	const uint8_t *loc;	/* location answer, NULL: database has none */
	const uint8_t *asn;	/* ASN answer, NULL: none or no ASN database */
};

struct geo_stats {
	uint64_t addrs;		/* addresses resolved */
	uint64_t hits;		/* of those, from the cache */
	uint64_t local;		/* not looked up (scope other than public) */
	uint64_t found;		/* with a country */
	uint64_t errors;	/* lookups libmaxminddb failed (corrupt file) */
	uint64_t flushes;	/* answer store filled up and was emptied */
};

struct geo_lookup;

/*
 * loc is required; asn may be NULL.  Both are read through the pointers at
 * every miss, so a reopened database takes effect after geo_lookup_flush.
 * cache_size is rounded up to a power of two (at least 4).
 */
struct geo_lookup *geo_lookup_new(const struct geo_db *loc,
    const struct geo_db *asn, uint64_t cache_size);
void geo_lookup_free(struct geo_lookup *g);

/*
 * Resolve a 4- or 16-byte address (IPv4-mapped IPv6 is looked up as IPv4).
 * Returns false for another length.  The answer bytes stay valid until the
 * next call.
 */
bool geo_lookup(struct geo_lookup *g, const uint8_t *a, size_t len,
    struct geo_result *r);

/* Forget every cached answer (after the databases were reopened). */
void geo_lookup_flush(struct geo_lookup *g);

const struct geo_stats *geo_lookup_stats(const struct geo_lookup *g);

#endif
