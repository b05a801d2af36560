/*
 * What is known of a host, as the src_... or dst_... pairs appended to
 * every record it sends or receives.  They are packed once, when the host
 * changes, for both spellings, so that a record costs a copy, not a
 * dozen keys packed one by one.
 */
#ifndef P0F_HOST_PAIRS_H
#define P0F_HOST_PAIRS_H

#include <stdint.h>

#include "hosts.h"
#include "sig_read.h"
#include "tsa.h"

/* Room for max_hosts hosts' pairs, sized by the longest names in db. */
void host_pairs_init(const struct p0f_db *db, uint32_t max_hosts);
void host_pairs_free(void);

/*
 * Append what is known of a record's source (as src_... keys) and
 * destination (dst_...), addresses of alen bytes, to the record being
 * written to w.  ms is the record's time, for the uptime.
 */
void host_pairs_put(struct tsa_writer *w, const uint8_t *src,
    const uint8_t *dst, uint8_t alen, int64_t ms);

#endif
