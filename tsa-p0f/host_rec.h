/*
 * Host records: {"type": "host", "addr": ..., "os": ..., ...}, what is
 * known of one host, written when tsa-p0f first learns something of it
 * and again whenever any of it changes, before the packet record that
 * brought the change (docs/stream.md, "Host records").  A packet record
 * carries only its endpoints' OS (host_pairs.c); every other fact is read
 * from the host's latest record.
 */
#ifndef P0F_HOST_REC_H
#define P0F_HOST_REC_H

#include "hosts.h"
#include "sig_read.h"
#include "tsa.h"

/* The header key that says the stream carries host records. */
#define HOST_REC_HDR "host_records"

void host_rec_init(const struct p0f_db *db);
void host_rec_free(void);

/*
 * Pack the host record of h onto b if what it says differs from the last
 * one written for h (or none was); true if one was packed.
 */
bool host_rec_put(struct mp_buf *b, struct host *h);

/*
 * The records of the hosts forgotten since the last call ({"type":
 * "host", "addr": ...} alone: nothing is known of them any more), onto b.
 */
void host_rec_put_forgotten(struct mp_buf *b);

#endif
