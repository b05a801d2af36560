/*
 * Each host has a slot of fixed size holding its pairs twice, "src_" then
 * "dst_" spelling, ready to be copied, after a head that says how long
 * they are.  host_get() marks a host changed (host_changed), and every
 * change to a host goes through it, so the pairs are repacked on the next
 * record after a change.  The uptime is the one value that changes with
 * the record's time, once a minute: the head keeps the span of time its
 * packed value holds for, and a record outside it repacks the pairs.
 * A record reads the head and the pairs, in the same few cache lines, and
 * not the host itself.
 *
 * A record's pairs, its source's then its destination's, are put together
 * once and appended with one tsa_rec_pairs(); they are kept for the next
 * records between the same two endpoints (struct ends).
 */
#include <stdlib.h>
#include <string.h>

#include "host_pairs.h"
#include "languages.h"
#include "util.h"

enum { P_OS, P_OS_NAME, P_OS_CLASS, P_DIST, P_LINK, P_UPTIME, P_APP,
    P_APP_NAME, P_LANG, P_NAT, P_OS_CHANGE, P_BAD_SW, NPAIRS };

/* The keys as msgpack fixstrs (all shorter than 32 bytes). */
static const char *const key_name[NPAIRS] = {
	[P_OS] = "os", [P_OS_NAME] = "os_name", [P_OS_CLASS] = "os_class",
	[P_DIST] = "dist", [P_LINK] = "link", [P_UPTIME] = "uptime_min",
	[P_APP] = "app", [P_APP_NAME] = "app_name", [P_LANG] = "lang",
	[P_NAT] = "nat", [P_OS_CHANGE] = "os_change", [P_BAD_SW] = "bad_sw",
};
#define KEY_MAX 16
static uint8_t key[2][NPAIRS][KEY_MAX];
static uint8_t key_len[NPAIRS];

/* The start of a host's slot, before its pairs. */
struct head {
	int64_t lo, hi;		/* [lo, hi) in ms: the uptime shown holds */
	uint32_t len;		/* bytes of one spelling */
	uint8_t n;		/* pairs in one spelling */
};

static const struct p0f_db *db;
static uint8_t *pool;		/* max_hosts slots of slot_size bytes */
static size_t slot_size;	/* the head and both spellings */
static struct mp_buf scratch;	/* a host's pairs while being packed */

/*
 * The pairs appended for the last two (source, destination) pairs of
 * addresses: packets come in trains, one way or both ways along a
 * connection, and a record between the same endpoints as one of the last
 * two needs no host lookup and one copy.  An entry holds while no host
 * changes (hosts_gen) and the uptimes it shows hold (lo to hi, in ms).
 */
struct ends {
	uint64_t src[2], dst[2];	/* addresses as in hosts.c's keys */
	uint8_t alen;
	uint64_t gen;
	int64_t lo, hi;
	uint32_t n;
	struct mp_buf pairs;
};
static struct ends last[2];
static unsigned victim;

/* Bytes of a msgpack string of n bytes. */
static size_t str_size(size_t n)
{
	return n + (n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5);
}

void host_pairs_init(const struct p0f_db *d, uint32_t max_hosts)
{
	size_t full = 0, name = 0, class = 0, link = 0, lang, one = 0;

	db = d;
	for (int i = 0; i < NPAIRS; i++) {
		size_t n = strlen(key_name[i]);

		if (1 + 4 + n > KEY_MAX)
			tsa_die("internal error: key %s too long", key_name[i]);

		key_len[i] = (uint8_t)(1 + 4 + n);
		for (int s = 0; s < 2; s++) {
			key[s][i][0] = (uint8_t)(0xa0 | (4 + n));
			memcpy(&key[s][i][1], s ? "dst_" : "src_", 4);
			memcpy(&key[s][i][5], key_name[i], n);
		}
		one += key_len[i];
	}
	for (unsigned i = 0; i < db->nlabels; i++) {
		if (db->labels[i]->full_len > full)
			full = db->labels[i]->full_len;
		if (db->labels[i]->name_len > name)
			name = db->labels[i]->name_len;
	}
	for (unsigned i = 0; i < db->nclasses; i++)
		if (strlen(db->classes[i]) > class)
			class = strlen(db->classes[i]);
	for (unsigned i = 0; i < db->mtu.n; i++)
		if (strlen(db->mtu.sig[i].name) > link)
			link = strlen(db->mtu.sig[i].name);
	lang = p0f_language_max_len();
	/* The values at their longest; numbers at most 9 bytes, flags 1. */
	one += 2 * str_size(full) + 2 * str_size(name) + str_size(class) +
	    str_size(link) + str_size(lang) + 9 + 9 + 9 + 1 + 1;
	/* Rounded up so that every head is aligned. */
	slot_size = (sizeof(struct head) + 2 * one + 7) & ~(size_t)7;
	pool = tsa_calloc(max_hosts, slot_size);
	/* hosts_gen starts at 1: the empty entries match nothing. */
	last[0].gen = last[1].gen = 0;
}

void host_pairs_free(void)
{
	free(pool);
	pool = NULL;
	mp_buf_free(&scratch);
	for (int i = 0; i < 2; i++) {
		mp_buf_free(&last[i].pairs);
		last[i].gen = 0;
	}
}

static void put_key(struct mp_buf *b, int dst, int k)
{
	mp_put_raw(b, key[dst][k], key_len[k]);
}

/*
 * Pack one spelling of a host's pairs; up is the uptime to show, or
 * UINT64_MAX for none.  Returns the number of pairs.
 */
static uint8_t pack(struct mp_buf *b, const struct host *h, int dst,
    uint64_t up)
{
	uint8_t n = 0;

	if (h->os) {
		put_key(b, dst, P_OS);
		mp_put_str(b, h->os->full, h->os->full_len);
		put_key(b, dst, P_OS_NAME);
		mp_put_str(b, h->os->name, h->os->name_len);
		put_key(b, dst, P_OS_CLASS);
		mp_put_cstr(b, db->classes[h->os->class_id]);
		n += 3;
	}
	if (h->dist >= 0) {
		put_key(b, dst, P_DIST);
		mp_put_uint(b, (uint64_t)h->dist);
		n++;
	}
	if (h->link) {
		put_key(b, dst, P_LINK);
		mp_put_cstr(b, h->link);
		n++;
	}
	if (up != UINT64_MAX) {
		put_key(b, dst, P_UPTIME);
		mp_put_uint(b, up);
		n++;
	}
	if (h->app) {
		put_key(b, dst, P_APP);
		mp_put_str(b, h->app->full, h->app->full_len);
		put_key(b, dst, P_APP_NAME);
		mp_put_str(b, h->app->name, h->app->name_len);
		n += 2;
	}
	if (h->lang) {
		put_key(b, dst, P_LANG);
		mp_put_cstr(b, h->lang);
		n++;
	}
	if (h->last_nat) {
		put_key(b, dst, P_NAT);
		mp_put_bool(b, true);
		n++;
	}
	if (h->last_chg) {
		put_key(b, dst, P_OS_CHANGE);
		mp_put_bool(b, true);
		n++;
	}
	if (h->bad_sw) {
		put_key(b, dst, P_BAD_SW);
		mp_put_uint(b, h->bad_sw);
		n++;
	}
	return n;
}

/* What the pairs say of a host, to tell whether they need repacking. */
static void shown(const struct host *h, uint64_t up, struct host_shown *v)
{
	memset(v, 0, sizeof *v);	/* padding too: compared with memcmp */
	v->os = h->os;
	v->link = h->link;
	v->app = h->app;
	v->lang = h->lang;
	v->up = up;
	v->dist = h->dist;
	v->bad_sw = h->bad_sw;
	v->nat = h->last_nat != 0;
	v->chg = h->last_chg != 0;
}

#define MINUTE 60000	/* ms */

/*
 * The uptime shown at time ms: the minutes measured, plus those since.
 * Sets [*lo, *hi), the times at which the value is the same, so that a
 * record needs two comparisons, not a division, to know it is.
 */
static uint64_t uptime_at(const struct host *h, int64_t ms, int64_t *lo,
    int64_t *hi)
{
	int64_t k;

	if (!h->up_known) {
		*lo = INT64_MIN;
		*hi = INT64_MAX;
		return UINT64_MAX;
	}
	/* ms and up_ms are below 9e14 (annotate.c): no overflow here. */
	k = ms > h->up_ms ? (ms - h->up_ms) / MINUTE : 0;
	*lo = k ? h->up_ms + k * MINUTE : INT64_MIN;
	*hi = h->up_ms + (k + 1) * MINUTE;
	return h->up_min + (uint64_t)k;
}

/*
 * Pack both spellings into the slot of the host at place i, after its
 * head, unless what they show has not changed (most SYNs change nothing).
 */
static void repack(uint32_t i, struct head *hd, int64_t ms)
{
	struct host *h = host_at(i);
	struct host_shown now;
	uint64_t up = uptime_at(h, ms, &hd->lo, &hd->hi);
	size_t len;

	shown(h, up, &now);
	host_changed[i] = false;
	if (h->pairs_valid && memcmp(&now, &h->pairs_of, sizeof now) == 0)
		return;
	scratch.len = 0;
	hd->n = pack(&scratch, h, 0, up);
	len = scratch.len;
	pack(&scratch, h, 1, up);
	/* Both spellings have keys of the same lengths. */
	if (scratch.len > slot_size - sizeof *hd || scratch.len != 2 * len)
		tsa_die("internal error: host pairs larger than their slot");
	if (scratch.len)	/* scratch.p is NULL until the first pair */
		memcpy(hd + 1, scratch.p, scratch.len);
	hd->len = (uint32_t)len;
	h->pairs_of = now;
	h->pairs_valid = true;
}

/* The slot of the host at place i (host_find). */
static inline struct head *head_of(uint32_t i)
{
	return (struct head *)(pool + (size_t)i * slot_size);
}

/* Add one spelling of the pairs of the host at place i to e. */
static inline void add(struct ends *e, uint32_t i, int dst, int64_t ms)
{
	struct head *hd = head_of(i);

	if (host_changed[i] || ms < hd->lo || ms >= hd->hi)
		repack(i, hd, ms);
	if (hd->lo > e->lo)
		e->lo = hd->lo;
	if (hd->hi < e->hi)
		e->hi = hd->hi;
	if (hd->n) {
		memcpy(mp_buf_reserve(&e->pairs, hd->len),
		    (const uint8_t *)(hd + 1) + (dst ? hd->len : 0), hd->len);
		e->pairs.len += hd->len;
		e->n += hd->n;
	}
}

void host_pairs_put(struct tsa_writer *w, const uint8_t *src,
    const uint8_t *dst, uint8_t alen, int64_t ms)
{
	uint64_t s[2], d[2];
	struct ends *e;
	uint32_t hs, hd;

	tsa_addr_words(src, alen, &s[0], &s[1]);
	tsa_addr_words(dst, alen, &d[0], &d[1]);
	for (unsigned i = 0; i < 2; i++) {
		e = &last[i];
		if (e->gen == hosts_gen && e->src[0] == s[0] &&
		    e->src[1] == s[1] && e->dst[0] == d[0] &&
		    e->dst[1] == d[1] && e->alen == alen &&
		    ms >= e->lo && ms < e->hi) {
			victim = i ^ 1;
			goto put;
		}
	}
	e = &last[victim];
	victim ^= 1;
	memcpy(e->src, s, sizeof s);
	memcpy(e->dst, d, sizeof d);
	e->alen = alen;
	e->gen = hosts_gen;
	e->lo = INT64_MIN;
	e->hi = INT64_MAX;
	e->n = 0;
	e->pairs.len = 0;
	/*
	 * Both hosts are looked up, and the destination's slot is fetched
	 * while the source's is read: the cache misses of the two overlap.
	 */
	hs = host_find(s[0], s[1], alen);
	hd = host_find(d[0], d[1], alen);
	if (hd != HOST_NONE)
		__builtin_prefetch(head_of(hd));
	if (hs != HOST_NONE)
		add(e, hs, 0, ms);
	if (hd != HOST_NONE)
		add(e, hd, 1, ms);
put:
	if (e->n)
		tsa_rec_pairs(w, e->pairs.p, e->pairs.len, e->n);
}
