/*
 * The window's addresses and the (source, destination, port) triples of
 * SYNs, each in a fixed-capacity open-addressing table with linear probing
 * and backward-shift deletion, so that a long run leaves no tombstones.
 * The hash arrays start small and double (at most half full) up to the
 * size the capacity needs: a probe into an array sized for the few
 * thousand hosts a window usually holds stays in the cache, where one
 * into the full-size array (2 MB for the default 131072 hosts) misses.
 */
#include <stdlib.h>

#include "agg.h"

static uint32_t pow2_above(uint32_t n)
{
	uint32_t p = 16;

	while (p < n && p < (1u << 31))
		p <<= 1;
	return p;
}

#define START_MASK 4095

/* Double the index and put the live hosts back into it. */
static void index_grow(struct hosts *t)
{
	uint32_t k, i;

	free(t->index);
	t->mask = 2 * t->mask + 1;
	t->index = tsa_calloc((size_t)t->mask + 1, sizeof *t->index);
	for (k = 0; k < t->nlive; k++) {
		for (i = t->h[t->live[k]].hash & t->mask; t->index[i]; i = (i + 1) & t->mask)
			;
		t->index[i] = t->live[k];
	}
}

void hosts_init(struct hosts *t, uint32_t entries)
{
	uint32_t i;

	if (entries < 16)
		entries = 16;
	t->cap = entries + HOST_FIRST;
	t->h = tsa_calloc(t->cap, sizeof *t->h);
	t->maxmask = pow2_above(2 * t->cap) - 1;
	t->mask = t->maxmask < START_MASK ? t->maxmask : START_MASK;
	t->index = tsa_calloc((size_t)t->mask + 1, sizeof *t->index);
	t->free = tsa_malloc(t->cap * sizeof *t->free);
	t->nfree = 0;
	t->live = tsa_malloc(t->cap * sizeof *t->live);
	t->nlive = 0;
	t->flow = tsa_calloc(1u << FLOW_BITS, sizeof *t->flow);	/* (overflow slots never match) */
	/* Hand out low slots first: they stay warm in the cache. */
	for (i = t->cap - 1; i >= HOST_FIRST; i--)
		t->free[t->nfree++] = i;
	for (i = 0; i < HOST_FIRST; i++) {
		t->h[i].country = C_UNKNOWN;
		t->h[i].dist = 0xff;
	}
}

uint32_t hosts_add(struct hosts *t, const uint8_t *a, uint8_t alen,
    uint32_t h, uint32_t i, uint32_t ovf)
{
	struct host *e;
	uint32_t s;

	if (t->nfree == 0) {
		t->overflow++;
		return ovf;
	}
	if (2 * ((uint64_t)t->nlive + 1) > (uint64_t)t->mask + 1 && t->mask < t->maxmask) {
		index_grow(t);
		for (i = h & t->mask; t->index[i]; i = (i + 1) & t->mask)
			;
	}
	s = t->free[--t->nfree];
	e = &t->h[s];
	memset(e, 0, sizeof *e);
	memcpy(e->addr, a, alen);
	e->alen = alen;
	e->hash = h;
	e->dist = 0xff;
	e->live_pos = t->nlive;
	t->live[t->nlive++] = s;
	t->index[i] = s;
	return s;
}

void hosts_del(struct hosts *t, uint32_t slot)
{
	uint32_t i, j, k;
	struct host *e = &t->h[slot];

	if (slot < HOST_FIRST || e->alen == 0)
		return;
	for (i = e->hash & t->mask; t->index[i] != slot; i = (i + 1) & t->mask)
		;
	/* Backward shift: move later entries of the run into the hole. */
	for (j = i;;) {
		j = (j + 1) & t->mask;
		if (t->index[j] == 0)
			break;
		k = t->h[t->index[j]].hash & t->mask;
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->index[i] = t->index[j];
			i = j;
		}
	}
	t->index[i] = 0;
	e->alen = 0;
	t->free[t->nfree++] = slot;
	/* The last live slot takes this one's place in the list. */
	t->live[e->live_pos] = t->live[--t->nlive];
	t->h[t->live[e->live_pos]].live_pos = e->live_pos;
}

/* ---- pairs ---- */

/*
 * Keyed, and every bit of all three in the index: the SYNs of a scan
 * differ in one field, often the port, which the scanner chooses.
 */
static uint32_t pair_hash(uint32_t src, uint32_t dst, uint16_t port)
{
	return tsa_hash_words((uint64_t)src << 32 | dst, port, 0);
}

void pairs_init(struct pairs *t, uint32_t entries)
{
	if (entries < 16)
		entries = 16;
	t->limit = entries;
	t->maxmask = pow2_above(2 * entries) - 1;
	t->mask = t->maxmask < START_MASK ? t->maxmask : START_MASK;
	t->cap = t->mask + 1;
	t->p = tsa_calloc(t->cap, sizeof *t->p);
}

/* Double the table and put the triples back into it. */
static void pairs_grow(struct pairs *t)
{
	struct pair *old = t->p;
	uint32_t k, i, ocap = t->cap;

	t->mask = 2 * t->mask + 1;
	t->cap = t->mask + 1;
	t->p = tsa_calloc(t->cap, sizeof *t->p);
	for (k = 0; k < ocap; k++) {
		if (!old[k].src)
			continue;
		for (i = pair_hash(old[k].src, old[k].dst, old[k].port) & t->mask;
		    t->p[i].src; i = (i + 1) & t->mask)
			;
		t->p[i] = old[k];
	}
	free(old);
}

bool pairs_add(struct pairs *t, uint32_t src, uint32_t dst, uint16_t port,
    bool *stored)
{
	uint32_t i;
	struct pair *e;

	src++;
	dst++;
	for (i = pair_hash(src, dst, port) & t->mask; (e = &t->p[i])->src; i = (i + 1) & t->mask)
		if (e->src == src && e->dst == dst && e->port == port) {
			e->refs++;
			*stored = true;
			return false;
		}
	if (t->used >= t->limit) {
		t->overflow++;
		*stored = false;
		return false;
	}
	if (2 * ((uint64_t)t->used + 1) > t->cap && t->mask < t->maxmask) {
		pairs_grow(t);
		for (i = pair_hash(src, dst, port) & t->mask; t->p[i].src; i = (i + 1) & t->mask)
			;
		e = &t->p[i];
	}
	e->src = src;
	e->dst = dst;
	e->port = port;
	e->refs = 1;
	t->used++;
	*stored = true;
	return true;
}

bool pairs_sub(struct pairs *t, uint32_t src, uint32_t dst, uint16_t port)
{
	uint32_t i, j, k;
	struct pair *e;

	src++;
	dst++;
	for (i = pair_hash(src, dst, port) & t->mask; (e = &t->p[i])->src; i = (i + 1) & t->mask)
		if (e->src == src && e->dst == dst && e->port == port)
			break;
	if (!e->src || --e->refs > 0)
		return false;
	for (j = i;;) {
		j = (j + 1) & t->mask;
		if (!t->p[j].src)
			break;
		k = pair_hash(t->p[j].src, t->p[j].dst, t->p[j].port) & t->mask;
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			t->p[i] = t->p[j];
			i = j;
		}
	}
	memset(&t->p[i], 0, sizeof t->p[i]);
	t->used--;
	return true;
}
