/*
 * IPv4 and IPv6 fragment reassembly, bounded: at most a set number of
 * datagrams and bytes held at once, each given a set stream time to
 * complete.  Used only for what the records need (transport headers and
 * the start of the payload), so only datagrams of the protocols the decoder
 * reads are held; see ip.c.
 */
#ifndef TSA_CAPTURE_FRAG_H
#define TSA_CAPTURE_FRAG_H

#include <stddef.h>
#include <stdint.h>

#define FRAG_MAX_DATAGRAM 65535	/* bytes of payload a datagram can have */

struct frag_limits {
	uint32_t datagrams;	/* held at once (at least 1) */
	uint64_t memory;	/* bytes held at once, bookkeeping included */
	uint64_t timeout_ns;	/* stream time from a datagram's first fragment */
};

/* What happened to fragments; counters for the stats records. */
struct frag_counts {
	uint64_t reassembled;	/* datagrams completed */
	uint64_t timed_out;	/* datagrams given up incomplete */
	uint64_t dropped;	/* fragments not held: limits, bad geometry */
	uint64_t overlaps;	/* fragments whose bytes differed from held ones */
};

/*
 * A datagram's identity: RFC 791's (source, destination, protocol, id) and
 * RFC 8200's (source, destination, id).  Zero it before filling it in: it is
 * hashed and compared as bytes.
 */
struct frag_key {
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t version, proto;	/* proto: IPv4 only */
	uint8_t pad[2];
};

struct frag_table;

struct frag_table *frag_new(const struct frag_limits *lim);
void frag_free(struct frag_table *t);
/* Give up every datagram still incomplete (the input ended): counted as
   timed out. */
void frag_flush(struct frag_table *t);
const struct frag_counts *frag_counts(const struct frag_table *t);

enum { FRAG_NOT_HELD, FRAG_HELD, FRAG_DONE };

/* A fragment that cannot be held (cut by the snapshot length): counted in
   dropped. */
void frag_cut(struct frag_table *t);

/*
 * Add the len bytes at p, found at byte offset off of the datagram k's
 * payload (more: more fragments follow), seen at stream time now_ns.
 * FRAG_HELD: kept, the datagram is not complete yet.  FRAG_DONE: this
 * fragment completed it; *data and *dlen are its payload and *nfrags the
 * number of fragments, valid until the next call.  FRAG_NOT_HELD: refused
 * (table or memory full, a fragment no datagram can have); counted in
 * dropped.  The work is proportional to len, plus a few datagrams timed out.
 */
int frag_add(struct frag_table *t, const struct frag_key *k, uint32_t off,
    int more, const uint8_t *p, size_t len, int64_t now_ns,
    const uint8_t **data, size_t *dlen, unsigned *nfrags);

#endif
