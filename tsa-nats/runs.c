/* Publishers' runs as the subscriber sees them, and their order (runs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"
#include "tsa.h"

static size_t slot(const struct runs *rs, uint64_t id)
{
	/* Run ids are random: their low bits spread well enough. */
	return (size_t)(id ^ (id >> 29)) & rs->mask;
}

struct run *runs_find(struct runs *rs, uint64_t id)
{
	if (!rs->tab)
		return NULL;
	for (struct run *r = rs->tab[slot(rs, id)]; r; r = r->chain)
		if (r->id == id)
			return r;
	return NULL;
}

static void rehash(struct runs *rs, size_t size)
{
	free(rs->tab);
	rs->tab = tsa_calloc(size, sizeof *rs->tab);
	rs->mask = size - 1;
	for (size_t i = 0; i < rs->n; i++) {
		struct run *r = rs->all[i];
		size_t s = slot(rs, r->id);
		r->chain = rs->tab[s];
		rs->tab[s] = r;
	}
}

struct run *runs_add(struct runs *rs, uint64_t id, const char *sensor,
    const char *subject)
{
	struct run *r = tsa_calloc(1, sizeof *r);

	r->id = id;
	snprintf(r->sensor, sizeof r->sensor, "%s", sensor);
	r->subject = tsa_strdup(subject);
	mp_put_cstr(&r->pair, "sensor");
	mp_put_cstr(&r->pair, sensor);
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->all = tsa_realloc(rs->all, rs->cap * sizeof *rs->all);
	}
	rs->all[rs->n++] = r;
	if (!rs->tab || rs->n > rs->mask)
		rehash(rs, rs->tab ? (rs->mask + 1) * 2 : 64);
	else {
		size_t s = slot(rs, id);
		r->chain = rs->tab[s];
		rs->tab[s] = r;
	}
	return r;
}

void run_set_header(struct run *r, const uint8_t *hdr, size_t len)
{
	struct mp_obj v;

	free(r->hdr);
	r->hdr = tsa_malloc(len);
	memcpy(r->hdr, hdr, len);
	r->hdrlen = len;
	/*
	 * A stream that came through a collector (tsa-nats sub) already has
	 * "sensor" on its records: this sensor's name replaces it, as a
	 * stage that runs twice replaces its own keys.
	 */
	r->dedup = mp_map_get1(hdr, len, "sensors", &v) == 1;
}

static bool is_late(const struct run *r, uint64_t seq)
{
	for (size_t i = 0; i < r->nlate; i++)
		if (r->late[i] == seq)
			return true;
	return false;
}

/*
 * A message before the first one met was not written by this process:
 * this run began before the subscriber started (--since, --durable), and
 * the server stored it after its successor.  It is written, late.  The
 * few such numbers are kept so that a redelivery is still a duplicate.
 */
enum place run_place(struct run *r, uint64_t seq)
{
	if (!r->started) {
		r->started = true;
		r->base = r->next = seq;
	}
	if (seq == r->next)
		return PLACE_WRITE;
	if (seq > r->next)
		return PLACE_HOLD;
	if (seq < r->base && !is_late(r, seq))
		return PLACE_LATE;
	return PLACE_DUP;
}

void run_written(struct run *r, uint64_t seq)
{
	if (seq == r->next) {
		r->next++;
		return;
	}
	r->late = tsa_realloc(r->late, (r->nlate + 1) * sizeof *r->late);
	r->late[r->nlate++] = seq;
}

void run_hold(struct runs *rs, struct run *r, uint64_t seq,
    uint64_t stream_seq, natsMsg *m, int64_t now)
{
	size_t lo = 0, hi = r->nheld;
	size_t len = (size_t)natsMsg_GetDataLength(m);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->held[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nheld && r->held[lo].seq == seq) {
		/* A redelivery: keep the latest copy (its acknowledgement is current). */
		natsMsg_Destroy(r->held[lo].m);
		r->held[lo].m = m;
		r->held[lo].stream_seq = stream_seq;
		return;
	}
	if (r->nheld == r->capheld) {
		r->capheld = r->capheld ? r->capheld * 2 : 16;
		r->held = tsa_realloc(r->held, r->capheld * sizeof *r->held);
	}
	memmove(r->held + lo + 1, r->held + lo, (r->nheld - lo) * sizeof *r->held);
	r->held[lo] = (struct held){ seq, stream_seq, m };
	r->nheld++;
	r->held_bytes += len;
	rs->held_bytes += len;
	if (r->nheld == 1)
		r->gap_since = now;
}

natsMsg *run_take_next(struct runs *rs, struct run *r)
{
	natsMsg *m;
	size_t len;

	if (r->nheld == 0 || r->held[0].seq != r->next)
		return NULL;
	m = r->held[0].m;
	len = (size_t)natsMsg_GetDataLength(m);
	r->held_bytes -= len;
	rs->held_bytes -= len;
	memmove(r->held, r->held + 1, (r->nheld - 1) * sizeof *r->held);
	r->nheld--;
	return m;
}

void run_skip_gap(struct run *r, uint64_t *from, uint64_t *to)
{
	*from = r->next;
	*to = r->held[0].seq - 1;
	r->next = r->held[0].seq;
}

uint64_t runs_min_held(const struct runs *rs)
{
	uint64_t min = UINT64_MAX;

	for (size_t i = 0; i < rs->n; i++)
		for (size_t j = 0; j < rs->all[i]->nheld; j++)
			if (rs->all[i]->held[j].stream_seq < min)
				min = rs->all[i]->held[j].stream_seq;
	return min;
}

void runs_free(struct runs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct run *r = rs->all[i];
		free(r->subject);
		free(r->hdr);
		mp_buf_free(&r->pair);
		mp_buf_free(&r->part);
		free(r->held);
		free(r->late);
		free(r->pieces);
		free(r);
	}
	free(rs->all);
	free(rs->tab);
	memset(rs, 0, sizeof *rs);
}
