/*
 * Host facts: the latest host record of each address (docs/stream.md,
 * "Host records"), so that a stage can answer "the value of key K of the
 * host at address A" at any packet record, as tsa-p0f's host records left
 * it there.  The table is bounded: max_hosts addresses (a setting of each
 * tool that keeps one), the least recently updated out first, and each
 * record kept to TSA_HOSTFACTS_REC_MAX bytes (whole pairs, the first
 * ones).  Keyed by tsa_addr_hash: the addresses are the senders'.
 */
#ifndef TSA_HOSTFACTS_H
#define TSA_HOSTFACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp.h"

/* tsa-p0f's host records are under 400 bytes. */
#define TSA_HOSTFACTS_REC_MAX 1024

struct tsa_hostfacts;

/* A host's latest record, as kept (a map). */
struct tsa_host {
	const uint8_t *rec;
	uint32_t len;
	uint64_t serial;	/* tsa_hostfacts_serial() when it was put */
	uint64_t user;		/* the caller's (what it decoded), 0 when put */
};

struct tsa_hostfacts_stats {
	uint64_t records;	/* host records taken in */
	uint64_t evicted;	/* addresses dropped for room */
	uint64_t cut;		/* records kept only in part (too large) */
	uint64_t bad;		/* host records without a usable addr */
};

struct tsa_hostfacts *tsa_hostfacts_new(uint32_t max_hosts);
void tsa_hostfacts_free(struct tsa_hostfacts *t);
const struct tsa_hostfacts_stats *tsa_hostfacts_stats(
    const struct tsa_hostfacts *t);

/* Is t (a record's "type" value) the type of host records? */
static inline bool tsa_hostfacts_type(const struct mp_obj *t)
{
	return mp_str_eq(t, "host", 4);
}

/*
 * Take in a host record (a map whose type is "host"): from now on it is
 * its address's, and returned.  One with only its type and address (the
 * host was forgotten) leaves nothing known of the address: NULL.  A record
 * without an address (counted in bad) changes nothing: NULL.
 */
struct tsa_host *tsa_hostfacts_put(struct tsa_hostfacts *t,
    const uint8_t *rec, size_t len);
/* The same for a caller that found the address (alen 4 or 16) already. */
struct tsa_host *tsa_hostfacts_set(struct tsa_hostfacts *t,
    const uint8_t *a, size_t alen, const uint8_t *rec, size_t len);

/*
 * The latest record of the address of alen (4 or 16) bytes at a, or NULL
 * if none.  Valid until the next tsa_hostfacts_put.
 */
const struct tsa_host *tsa_hostfacts_find(const struct tsa_hostfacts *t,
    const uint8_t *a, size_t alen);

/*
 * Changes with every tsa_hostfacts_put, so that what a caller derived from
 * the table can be kept while it stays the same.  Never 0.
 */
uint64_t tsa_hostfacts_serial(const struct tsa_hostfacts *t);

/* The value of key (n bytes) in h's record: true if present. */
bool tsa_host_get(const struct tsa_host *h, const char *key, size_t n,
    struct mp_obj *v);

/*
 * The host's uptime in minutes at stream time sec.nsec: its uptime_min
 * plus the whole minutes since its uptime_time (both to the millisecond),
 * as tsa-p0f's per-packet uptime was.  False if the record has none.
 */
bool tsa_host_uptime(const struct tsa_host *h, int64_t sec, uint32_t nsec,
    uint64_t *min);

#endif
