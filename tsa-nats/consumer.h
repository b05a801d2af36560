/*
 * The subscriber's JetStream consumers: one pull consumer per subject,
 * durable (--durable: it keeps its place on the server between runs) or
 * not, starting at --since or at new messages; fetched from in batches,
 * and made again where the server lost it (a server restarted without the
 * consumer's state) from the first message not yet acknowledged.
 */
#ifndef TSA_NATS_CONSUMER_H
#define TSA_NATS_CONSUMER_H

#include <stdbool.h>
#include <stdint.h>

#include "nats.h"

struct consumer {
	const char *subject;
	char name[256];			/* the consumer's name on the server */
	bool durable;
	natsSubscription *sub;
	uint64_t last_stream_seq;	/* the last message fetched */
	int64_t checked;		/* mono_ns of the last look at it */
	int missing;			/* looks in a row that did not find it */
};

/* Find or make the consumer for subject; errors end the program. */
void consumer_open(struct consumer *k, struct link *l, const struct conf *c,
    const char *subject, int nsubjects);
/*
 * Up to a batch of messages, as soon as there are any, or none within ms.
 * Returns how many (the list is then the caller's).  resume: where to make
 * the consumer again if the server lost it (the oldest stream sequence
 * held, or UINT64_MAX).
 */
int consumer_fetch(struct consumer *k, struct link *l, const struct conf *c,
    natsMsgList *list, int ms, uint64_t resume);
void consumer_close(struct consumer *k, struct link *l, const struct conf *c);

#endif
