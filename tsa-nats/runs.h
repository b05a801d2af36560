/*
 * What the subscriber knows of each publisher's run (wire.h): its sensor
 * and header, and which of its messages comes next.  A message is written
 * when it is the next of its run; an earlier one is a duplicate (a
 * redelivery, or a resend the server's window no longer caught); a later
 * one waits, unacknowledged, until the gap before it is filled.  The
 * server stores a run out of order only after a failure (a message lost in
 * a leader election while the next was stored, then resent), and the
 * publisher resends until it is stored, so a gap closes within seconds
 * unless the publisher died; after --gap-wait it is given up as lost.
 */
#ifndef TSA_NATS_RUNS_H
#define TSA_NATS_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#include "mp.h"
#include "wire.h"

struct held {
	uint64_t seq;
	uint64_t stream_seq;
	natsMsg *m;
};

struct run {
	uint64_t id;
	char sensor[WIRE_SENSOR_MAX + 1];
	char *subject;
	uint64_t header_seq;		/* stream sequence of its header message */
	uint8_t *hdr;			/* the publisher's header map, or NULL */
	size_t hdrlen;
	struct mp_buf pair;		/* "sensor": name, packed once */
	bool dedup;			/* its records may carry "sensor" already */
	bool announced;			/* in the output header or a sensor record */
	bool ended;			/* its end message was written */
	uint64_t next;			/* the message to write next */
	uint64_t base;			/* the first this process met */
	bool started;			/* next and base are set */
	struct held *held;		/* waiting for a gap, by seq */
	size_t nheld, capheld;
	uint64_t held_bytes;
	int64_t gap_since;		/* mono_ns when the oldest gap opened */
	uint64_t *late;			/* written below base (see run_place) */
	size_t nlate;
	struct mp_buf part;		/* a record arriving in pieces */
	natsMsg **pieces;		/* ... its messages, acknowledged once it */
	size_t npieces, cappieces;	/*     is written (or found broken) */
	uint64_t records;		/* written */
	struct run *chain;		/* hash chain */
};

struct runs {
	struct run **tab;		/* hash by id */
	size_t mask;
	struct run **all;		/* in the order met */
	size_t n, cap;
	uint64_t held_bytes;		/* over every run */
};

struct run *runs_find(struct runs *rs, uint64_t id);
/* A new run (the caller sets its header). */
struct run *runs_add(struct runs *rs, uint64_t id, const char *sensor,
    const char *subject);
/* Its header map (copied); sets the "sensor" pair and dedup. */
void run_set_header(struct run *r, const uint8_t *hdr, size_t len);

enum place {
	PLACE_WRITE,		/* the next one: write it */
	PLACE_DUP,		/* written before: acknowledge and drop */
	PLACE_HOLD,		/* after a gap: hold it */
	PLACE_LATE,		/* before the first one met, never written: write it */
};
/* Where message seq of the run stands. */
enum place run_place(struct run *r, uint64_t seq);
/* After writing message seq (PLACE_WRITE or PLACE_LATE). */
void run_written(struct run *r, uint64_t seq);
/* Hold m (a later copy of the same message replaces the earlier). */
void run_hold(struct runs *rs, struct run *r, uint64_t seq,
    uint64_t stream_seq, natsMsg *m, int64_t now);
/* The held message that is now next, taken out; NULL if none. */
natsMsg *run_take_next(struct runs *rs, struct run *r);
/*
 * Give up the gap before the oldest held message: the numbers lost are
 * [*from, *to]; next becomes the held one.
 */
void run_skip_gap(struct run *r, uint64_t *from, uint64_t *to);
/* Forget every run (held messages must have been given back). */
void runs_free(struct runs *rs);
/* The smallest stream sequence held, or UINT64_MAX. */
uint64_t runs_min_held(const struct runs *rs);

#endif
