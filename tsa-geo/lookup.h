/*
 * Address to answer, through a cache of recently seen addresses.  Answers
 * are kept as the packed msgpack bytes of their key-value pairs, so a cache
 * hit costs a hash, a compare and a copy: no database walk, no packing.
 */
#ifndef TSA_GEO_LOOKUP_H
#define TSA_GEO_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/*
 * An answer: a byte with one bit per enum geo_field present, then the pairs
 * for the source ("src_country": "DE", ...), then those for the destination.
 * Pairs are a count byte, a 2-byte little-endian length and the packed keys
 * and values.
 */
static inline size_t geo_pairs_len(const uint8_t *pairs)
{
	return (size_t)pairs[1] | (size_t)pairs[2] << 8;
}

/* The pairs of an answer for side 0 (src) or 1 (dst). */
static inline const uint8_t *geo_answer_pairs(const uint8_t *ans, int side)
{
	const uint8_t *p = ans + 1;
	return side ? p + 3 + geo_pairs_len(p) : p;
}

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
 * Before the lookups of one record: make room for the answers of two
 * addresses, so that the first answer stays valid while the second address
 * is looked up.  (When the answer store is full, everything is forgotten
 * here, between records.)
 */
void geo_lookup_begin(struct geo_lookup *g);

/*
 * Resolve a 4- or 16-byte address (IPv4-mapped IPv6 is looked up as IPv4).
 * Returns false for another length.  The answer bytes stay valid until the
 * next geo_lookup_begin.
 */
bool geo_lookup(struct geo_lookup *g, const uint8_t *a, size_t len,
    struct geo_result *r);

/*
 * Start loading the cache line where the address's entry would be: the
 * table is larger than the CPU caches the stream passes through, so a
 * lookup otherwise waits for memory.  Call as soon as the address is known.
 */
void geo_lookup_prefetch(const struct geo_lookup *g, const uint8_t *a,
    size_t len);

/* Forget every cached answer (after the databases were reopened). */
void geo_lookup_flush(struct geo_lookup *g);

const struct geo_stats *geo_lookup_stats(const struct geo_lookup *g);

#endif
