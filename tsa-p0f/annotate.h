/*
 * The per-record work: fingerprint SYN, SYN+ACK and HTTP records, keep
 * the host and connection tables up to date the way p0f does, and append
 * what is known of both endpoints to every packet record.
 */
#ifndef P0F_ANNOTATE_H
#define P0F_ANNOTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "sig_read.h"
#include "tsa.h"

struct annotate_stats {
	uint64_t no_headers;		/* SYN or SYN+ACK without tcp_headers */
	uint64_t bad_headers;		/* tcp_headers cut short or malformed */
};
extern struct annotate_stats annotate_stats;

/*
 * compat: reproduce p0f 3.09b exactly (the IPv6 flow label counts as a
 * quirk; frames p0f does not read change nothing: cut short, with IPv6
 * extension headers, or of a link type where it finds no IP header).
 * link_type: the stream header's, -1 if it has none.  rerun: tsa-p0f ran
 * on the stream before; its host records are replaced by this run's.
 */
void annotate_init(const struct p0f_db *db, bool compat, int64_t link_type,
    bool rerun);

/*
 * Read the next record from r and copy it to w with the fingerprint keys
 * appended.  Returns tsa_read's value: 1, 0 at the end, -1 on bad input.
 */
int annotate_next(struct tsa_reader *r, struct tsa_writer *w);

#endif
