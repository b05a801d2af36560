/*
 * The publisher's bounded buffer: every message it made and the server has
 * not yet acknowledged, in order.  Messages are sent as the in-flight limit
 * allows; when the connection comes back, an acknowledgement is overdue or
 * the server answers "not now", every unacknowledged message is sent again
 * in order (the server drops those it already has, by their Nats-Msg-Id).
 * When the buffer is full, adding waits: the publisher stops reading its
 * input, so the stage before it blocks too.  Nothing is dropped.
 */
#ifndef TSA_NATS_WINDOW_H
#define TSA_NATS_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "nats.h"

struct window;

/* The subject is for messages; limit is the buffer's size in payload bytes. */
struct window *window_new(struct link *l, const char *subject, uint64_t limit);
/*
 * A message for number seq (the next one) with a copy of the payload and
 * the reply subject its acknowledgement comes back on.  The caller sets
 * its headers and gives it to window_add.
 */
natsMsg *window_msg(struct window *w, uint64_t seq, const void *data, size_t len);
/* Take message seq; waits while the buffer is full. */
void window_add(struct window *w, natsMsg *m, uint64_t seq, size_t len);
/* Do what is due (send, resend, forget what is acknowledged); never waits. */
void window_pump(struct window *w);
/* Wait until message 0 is acknowledged; its stream sequence. */
uint64_t window_first_stream_seq(struct window *w);
/* Wait until every message is acknowledged. */
void window_drain(struct window *w);
/* After link_close, so that no acknowledgement arrives meanwhile. */
void window_free(struct window *w);

struct window_stats {
	uint64_t messages, bytes;	/* acknowledged */
	uint64_t resent, duplicates;	/* sent again; of which the server had */
	uint64_t waits;			/* times the full buffer held input */
};
void window_stats(struct window *w, struct window_stats *st);

#endif
