/*
 * An array of fixed capacity with a hash index (chains of entry numbers)
 * and a list by the time of the last update, as tsa-p0f's host table.
 * Each entry owns a copy of its record, grown as needed up to
 * TSA_HOSTFACTS_REC_MAX bytes, so that memory is bounded by the capacity
 * and stays near what the records need.
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "hostfacts.h"
#include "util.h"

#define NONE UINT32_MAX

struct entry {
	uint64_t w0, w1;	/* the address (tsa_addr_words) */
	uint32_t hash, chain;	/* chain: next in bucket or free list */
	uint32_t older, newer;
	uint8_t alen;
	struct tsa_host h;
	uint32_t cap;		/* bytes allocated at h.rec */
};

struct tsa_hostfacts {
	uint32_t cap, mask;
	uint32_t *bucket;
	struct entry *e;
	uint32_t oldest, newest, free_head;
	uint64_t serial;
	struct tsa_hostfacts_stats st;
	struct mp_buf cut;	/* a record being cut to size */
};

struct tsa_hostfacts *tsa_hostfacts_new(uint32_t max_hosts)
{
	struct tsa_hostfacts *t = tsa_calloc(1, sizeof *t);
	uint32_t nb = 16;

	if (max_hosts == 0)
		max_hosts = 1;
	while (nb < max_hosts * 2u && nb < (1u << 30))
		nb <<= 1;
	t->cap = max_hosts;
	t->mask = nb - 1;
	t->bucket = tsa_malloc(nb * sizeof *t->bucket);
	memset(t->bucket, 0xff, nb * sizeof *t->bucket);
	t->e = tsa_calloc(max_hosts, sizeof *t->e);
	for (uint32_t i = 0; i < max_hosts; i++)
		t->e[i].chain = i + 1 < max_hosts ? i + 1 : NONE;
	t->free_head = 0;
	t->oldest = t->newest = NONE;
	t->serial = 1;
	return t;
}

void tsa_hostfacts_free(struct tsa_hostfacts *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->cap; i++)
		free((void *)t->e[i].h.rec);
	free(t->e);
	free(t->bucket);
	mp_buf_free(&t->cut);
	free(t);
}

const struct tsa_hostfacts_stats *tsa_hostfacts_stats(
    const struct tsa_hostfacts *t)
{
	return &t->st;
}

uint64_t tsa_hostfacts_serial(const struct tsa_hostfacts *t)
{
	return t->serial;
}

static uint32_t lookup(const struct tsa_hostfacts *t, uint64_t x, uint64_t y,
    uint8_t alen, uint32_t h)
{
	for (uint32_t i = t->bucket[h & t->mask]; i != NONE; i = t->e[i].chain) {
		const struct entry *e = &t->e[i];

		if (e->hash == h && e->w0 == x && e->w1 == y && e->alen == alen)
			return i;
	}
	return NONE;
}

static void age_unlink(struct tsa_hostfacts *t, uint32_t i)
{
	struct entry *e = &t->e[i];

	if (e->older != NONE)
		t->e[e->older].newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer != NONE)
		t->e[e->newer].older = e->older;
	else
		t->newest = e->older;
}

static void age_append(struct tsa_hostfacts *t, uint32_t i)
{
	t->e[i].older = t->newest;
	t->e[i].newer = NONE;
	if (t->newest != NONE)
		t->e[t->newest].newer = i;
	else
		t->oldest = i;
	t->newest = i;
}

/* Out of the index and the age list, onto the free list (its copy kept). */
static void remove_entry(struct tsa_hostfacts *t, uint32_t i)
{
	uint32_t *p = &t->bucket[t->e[i].hash & t->mask];

	while (*p != i)
		p = &t->e[*p].chain;
	*p = t->e[i].chain;
	age_unlink(t, i);
	t->e[i].chain = t->free_head;
	t->free_head = i;
}

/*
 * The record to keep: rec itself, or, if longer than the bound, its first
 * pairs that fit (in t->cut).  NULL if rec is not a well-formed map.
 */
static const uint8_t *to_keep(struct tsa_hostfacts *t, const uint8_t *rec,
    size_t *len)
{
	struct mp_map_iter it;
	struct mp_obj k;
	const uint8_t *ks, *vs, *ve;
	struct mp_buf body = { 0 };
	uint32_t n = 0;
	int rc;

	if (*len <= TSA_HOSTFACTS_REC_MAX)
		return rec;
	if (mp_map_begin(&it, rec, *len) < 0)
		return NULL;
	for (;;) {
		ks = it.p;
		if ((rc = mp_map_step(&it, &k, &vs, &ve)) <= 0)
			break;
		/* 3 bytes of map header at most: n < 65536 here */
		if (3 + body.len + (size_t)(ve - ks) > TSA_HOSTFACTS_REC_MAX)
			break;
		mp_put_raw(&body, ks, (size_t)(ve - ks));
		n++;
	}
	t->cut.len = 0;
	mp_put_map(&t->cut, n);
	if (body.len)
		mp_put_raw(&t->cut, body.p, body.len);
	mp_buf_free(&body);
	t->st.cut++;
	*len = t->cut.len;
	return t->cut.p;
}

struct tsa_host *tsa_hostfacts_put(struct tsa_hostfacts *t,
    const uint8_t *rec, size_t len)
{
	struct mp_obj v;

	if (mp_map_get1(rec, len, "addr", &v) != 1 || v.type != MP_BIN ||
	    (v.len != 4 && v.len != 16)) {
		t->st.bad++;
		return NULL;
	}
	return tsa_hostfacts_set(t, v.ptr, v.len, rec, len);
}

struct tsa_host *tsa_hostfacts_set(struct tsa_hostfacts *t,
    const uint8_t *a, size_t alen, const uint8_t *rec, size_t len)
{
	uint64_t x, y;
	uint32_t h, i, pairs;
	const uint8_t *p = rec;
	struct entry *e;

	if (mp_map_header(&p, rec + len, &pairs) < 0 ||
	    (alen != 4 && alen != 16)) {
		t->st.bad++;
		return NULL;
	}
	t->st.records++;
	t->serial++;
	tsa_addr_words(a, alen, &x, &y);
	h = tsa_addr_hash(x, y, alen);
	i = lookup(t, x, y, (uint8_t)alen, h);
	/* Only type and addr: the host was forgotten. */
	if (pairs <= 2) {
		if (i != NONE)
			remove_entry(t, i);
		return NULL;
	}
	if (!(rec = to_keep(t, rec, &len))) {
		t->st.bad++;
		return NULL;
	}
	if (i == NONE) {
		if (t->free_head == NONE) {
			remove_entry(t, t->oldest);
			t->st.evicted++;
		}
		i = t->free_head;
		e = &t->e[i];
		t->free_head = e->chain;
		e->w0 = x;
		e->w1 = y;
		e->alen = (uint8_t)alen;
		e->hash = h;
		e->chain = t->bucket[h & t->mask];
		t->bucket[h & t->mask] = i;
		age_append(t, i);
	} else {
		e = &t->e[i];
		if (t->newest != i) {
			age_unlink(t, i);
			age_append(t, i);
		}
	}
	if (e->cap < len) {
		free((void *)e->h.rec);
		e->cap = len < 256 ? 256 : (uint32_t)len;
		e->h.rec = tsa_malloc(e->cap);
	}
	memcpy((void *)e->h.rec, rec, len);
	e->h.len = (uint32_t)len;
	e->h.serial = t->serial;
	e->h.user = 0;
	return &e->h;
}

const struct tsa_host *tsa_hostfacts_find(const struct tsa_hostfacts *t,
    const uint8_t *a, size_t alen)
{
	uint64_t x, y;
	uint32_t i;

	if (alen != 4 && alen != 16)
		return NULL;
	tsa_addr_words(a, alen, &x, &y);
	i = lookup(t, x, y, (uint8_t)alen, tsa_addr_hash(x, y, alen));
	return i == NONE ? NULL : &t->e[i].h;
}

bool tsa_host_get(const struct tsa_host *h, const char *key, size_t n,
    struct mp_obj *v)
{
	struct mp_map_iter it;
	struct mp_obj k;
	const uint8_t *vs, *ve;

	if (mp_map_begin(&it, h->rec, h->len) < 0)
		return false;
	while (mp_map_step(&it, &k, &vs, &ve) > 0)
		if (k.len == n && memcmp(k.ptr, key, n) == 0)
			return mp_next(&vs, ve, v) == 0;
	return false;
}

#define MINUTE_MS 60000

bool tsa_host_uptime(const struct tsa_host *h, int64_t sec, uint32_t nsec,
    uint64_t *min)
{
	struct mp_obj m, t;
	int64_t usec, ms, up;
	uint32_t unsec;

	if (!tsa_host_get(h, "uptime_min", 10, &m) || m.type != MP_UINT ||
	    !tsa_host_get(h, "uptime_time", 11, &t) ||
	    !mp_obj_time(&t, &usec, &unsec))
		return false;
	/* Times beyond year 30000 would overflow the millisecond clock. */
	if (sec < 0 || sec >= 900000000000 || usec < 0 || usec >= 900000000000)
		ms = up = 0;
	else {
		ms = sec * 1000 + nsec / 1000000;
		up = usec * 1000 + unsec / 1000000;
	}
	*min = m.u + (ms > up ? (uint64_t)((ms - up) / MINUTE_MS) : 0);
	return true;
}
