/*
 * The activity scheduler: a binary min-heap of activities ordered by the
 * time of their next packet (ties by creation order, so the output does
 * not depend on heap internals).  Finished activities are kept on a free
 * list and reused: in the steady state nothing is allocated.
 */
#ifndef GEN_SCHED_H
#define GEN_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct act;

struct sched {
	struct act **heap;
	size_t n, cap;
	struct act **free;
	size_t nfree, freecap;
	uint64_t order;
};

struct act *sched_new(struct sched *s);		/* an unscheduled activity */
void sched_push(struct sched *s, struct act *a);	/* at a->t */
struct act *sched_pop(struct sched *s);		/* earliest; NULL if none */
void sched_release(struct sched *s, struct act *a);
void sched_free(struct sched *s);

#endif
