/*
 * A host's OS, as the src_os and src_os_class (or dst_...) pairs appended
 * to every record it sends or receives, and its host record, written
 * before the record when its facts changed.  The pairs are packed once,
 * when the host changes, for both spellings, so that a record costs a
 * copy, not keys packed one by one.
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
 * Append the OS of a record's source (as src_... keys) and destination
 * (dst_...), addresses of alen bytes, to the record being written to w
 * (between tsa_rec_begin and tsa_rec_end), and write before it to w the
 * host records of the two whose facts changed.
 */
void host_pairs_put(struct tsa_writer *w, const uint8_t *src,
    const uint8_t *dst, uint8_t alen);

#endif
