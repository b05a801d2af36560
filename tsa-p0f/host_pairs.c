/*
 * Each host has a slot of fixed size holding its pairs twice, "src_" then
 * "dst_" spelling.  The uptime is the one value that changes with the
 * record's time, so it is packed per record, between the pairs that come
 * before it and those after it (the order of the keys does not change).
 * host_get() marks a host stale, and every change to a host goes through
 * it, so the pairs are repacked on the next record after a change.
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

static const struct p0f_db *db;
static uint8_t *pool;		/* max_hosts slots of slot_size bytes */
static size_t slot_size;	/* both spellings */
static struct mp_buf scratch;	/* a host's pairs while being packed */

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
	for (unsigned i = 0; i < db->nmtu; i++)
		if (strlen(db->mtu[i].name) > link)
			link = strlen(db->mtu[i].name);
	lang = p0f_language_max_len();
	/* The values at their longest; numbers at most 9 bytes, flags 1. */
	one += 2 * str_size(full) + 2 * str_size(name) + str_size(class) +
	    str_size(link) + str_size(lang) + 9 + 9 + 9 + 1 + 1;
	slot_size = 2 * one;
	pool = tsa_calloc(max_hosts, slot_size);
}

void host_pairs_free(void)
{
	free(pool);
	pool = NULL;
	mp_buf_free(&scratch);
}

static void put_key(struct mp_buf *b, int dst, int k)
{
	mp_put_raw(b, key[dst][k], key_len[k]);
}

/* Pack the pairs of one spelling; returns the number of pairs. */
static uint8_t pack(struct mp_buf *b, const struct host *h, int dst,
    bool after_uptime)
{
	uint8_t n = 0;

	if (!after_uptime) {
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
		return n;
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
static void shown(const struct host *h, struct host_shown *v)
{
	memset(v, 0, sizeof *v);	/* padding too: compared with memcmp */
	v->os = h->os;
	v->link = h->link;
	v->app = h->app;
	v->lang = h->lang;
	v->dist = h->dist;
	v->bad_sw = h->bad_sw;
	v->nat = h->last_nat != 0;
	v->chg = h->last_chg != 0;
}

/*
 * Pack both spellings into the host's slot: [src: pre post][dst: ...],
 * unless what they show has not changed (most SYNs change nothing).
 */
static void repack(struct host *h)
{
	uint8_t *slot = pool + (size_t)host_index(h) * slot_size;
	struct host_shown now;

	shown(h, &now);
	h->packed = true;
	if (h->pairs_valid && memcmp(&now, &h->pairs_of, sizeof now) == 0)
		return;
	scratch.len = 0;
	h->pairs_n[0] = pack(&scratch, h, 0, false);
	h->pairs_len[0] = (uint32_t)scratch.len;
	h->pairs_n[1] = pack(&scratch, h, 0, true);
	h->pairs_len[1] = (uint32_t)(scratch.len - h->pairs_len[0]);
	pack(&scratch, h, 1, false);
	pack(&scratch, h, 1, true);
	if (scratch.len > slot_size)
		tsa_die("internal error: host pairs larger than their slot");
	if (scratch.len)	/* scratch.p is NULL until the first pair */
		memcpy(slot, scratch.p, scratch.len);
	h->pairs_of = now;
	h->pairs_valid = true;
}

/* Add one spelling of h's pairs to b; returns how many. */
static uint32_t add(struct mp_buf *b, struct host *h, int dst, int64_t ms)
{
	const uint8_t *p;
	uint8_t *o;
	size_t pre, post;

	if (!h->packed)
		repack(h);
	pre = h->pairs_len[0];
	post = h->pairs_len[1];
	p = pool + (size_t)host_index(h) * slot_size + (dst ? pre + post : 0);
	o = mp_buf_reserve(b, pre + post + KEY_MAX + 9);
	if (!h->up_known) {
		memcpy(o, p, pre + post);
		b->len += pre + post;
		return (uint32_t)h->pairs_n[0] + h->pairs_n[1];
	}
	memcpy(o, p, pre);
	memcpy(o + pre, key[dst][P_UPTIME], key_len[P_UPTIME]);
	b->len += pre + key_len[P_UPTIME];
	mp_put_uint(b, h->up_min + (uint64_t)(ms > h->up_ms ?
	    (ms - h->up_ms) / 60000 : 0));
	memcpy(b->p + b->len, p + pre, post);
	b->len += post;
	return (uint32_t)h->pairs_n[0] + h->pairs_n[1] + 1;
}

uint32_t host_pairs_put(struct mp_buf *b, struct host *src,
    struct host *dst, int64_t ms)
{
	return (src ? add(b, src, 0, ms) : 0) + (dst ? add(b, dst, 1, ms) : 0);
}
