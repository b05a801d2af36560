#include <stdlib.h>

#include "util.h"
#include "activity.h"
#include "sched.h"

static int
before(const struct act *a, const struct act *b)
{
	return a->t < b->t || (a->t == b->t && a->order < b->order);
}

struct act *
sched_new(struct sched *s)
{
	if (s->nfree)
		return s->free[--s->nfree];
	return tsa_malloc(sizeof(struct act));
}

void
sched_push(struct sched *s, struct act *a)
{
	size_t i;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->heap = tsa_realloc(s->heap, s->cap * sizeof *s->heap);
	}
	a->order = s->order++;
	i = s->n++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(a, s->heap[p]))
			break;
		s->heap[i] = s->heap[p];
		i = p;
	}
	s->heap[i] = a;
}

struct act *
sched_pop(struct sched *s)
{
	struct act *top, *last;
	size_t i = 0;

	if (s->n == 0)
		return NULL;
	top = s->heap[0];
	last = s->heap[--s->n];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->n)
			break;
		if (c + 1 < s->n && before(s->heap[c + 1], s->heap[c]))
			c++;
		if (!before(s->heap[c], last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->n)
		s->heap[i] = last;
	return top;
}

void
sched_release(struct sched *s, struct act *a)
{
	if (s->nfree == s->freecap) {
		s->freecap = s->freecap ? s->freecap * 2 : 1024;
		s->free = tsa_realloc(s->free, s->freecap * sizeof *s->free);
	}
	s->free[s->nfree++] = a;
}

void
sched_free(struct sched *s)
{
	struct act *a;

	while ((a = sched_pop(s)) != NULL)
		free(a);
	while (s->nfree)
		free(s->free[--s->nfree]);
	free(s->heap);
	free(s->free);
}
