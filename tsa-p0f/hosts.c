/*
 * The host cache and the connection table.
 *
 * Both tables are arrays of fixed capacity with a hash index and a list by
 * age.  Hosts are created by SYNs only (as in p0f), so the per-record path
 * looks hosts up but never creates them.  p0f drops the oldest 10% when a
 * table overflows; here the single oldest entry makes room, which keeps
 * the cost per packet constant.
 */
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "config.h"
#include "hosts.h"
#include "util.h"

#define NONE		HOST_NONE	/* no entry, in either table */

struct hosts_stats hosts_stats;
uint64_t hosts_gen = 1;
bool *host_changed;
void (*host_forget_hook)(const struct host *h);

/* ---- a fixed-capacity hash table with an age list ---- */

#define KEY_MAX 40

/* One entry's bookkeeping and key, together: a lookup touches one line. */
struct slot {
	uint32_t hash, chain;	/* chain: next in bucket, or in the free list */
	uint32_t older, newer;
	uint8_t key[KEY_MAX];
};

struct table {
	uint32_t cap, count, mask;
	uint32_t *bucket;
	struct slot *s;
	uint32_t oldest, newest, free_head;
	size_t keylen;
};

/* Keys are short and of fixed length: compare them a word at a time. */
static inline bool same_key(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t x, y, d = 0;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		d |= x ^ y;
	}
	while (n--)
		d |= (uint64_t)(*a++ ^ *b++);
	return d == 0;
}

static void t_init(struct table *t, uint32_t cap, size_t keylen)
{
	uint32_t nb = 16;

	while (nb < cap * 2u && nb < (1u << 30))
		nb <<= 1;
	t->cap = cap;
	t->count = 0;
	t->mask = nb - 1;
	t->keylen = keylen;
	t->bucket = tsa_malloc(nb * sizeof *t->bucket);
	memset(t->bucket, 0xff, nb * sizeof *t->bucket);
	t->s = tsa_calloc(cap, sizeof *t->s);
	for (uint32_t i = 0; i < cap; i++)
		t->s[i].chain = i + 1 < cap ? i + 1 : NONE;
	t->free_head = 0;
	t->oldest = t->newest = NONE;
}

static void t_free(struct table *t)
{
	free(t->bucket);
	free(t->s);
	memset(t, 0, sizeof *t);
}

/* keylen: t->keylen, as a constant for same_key(). */
static inline uint32_t t_find(const struct table *t, const uint8_t *key,
    uint32_t h, size_t keylen)
{
	for (uint32_t i = t->bucket[h & t->mask]; i != NONE; i = t->s[i].chain)
		if (t->s[i].hash == h && same_key(t->s[i].key, key, keylen))
			return i;
	return NONE;
}

static void age_unlink(struct table *t, uint32_t i)
{
	struct slot *e = &t->s[i];

	if (e->older != NONE)
		t->s[e->older].newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer != NONE)
		t->s[e->newer].older = e->older;
	else
		t->newest = e->older;
}

static void age_append(struct table *t, uint32_t i)
{
	t->s[i].older = t->newest;
	t->s[i].newer = NONE;
	if (t->newest != NONE)
		t->s[t->newest].newer = i;
	else
		t->oldest = i;
	t->newest = i;
}

static void t_touch(struct table *t, uint32_t i)
{
	if (t->newest != i) {
		age_unlink(t, i);
		age_append(t, i);
	}
}

static void t_remove(struct table *t, uint32_t i)
{
	uint32_t *p = &t->bucket[t->s[i].hash & t->mask];

	while (*p != i)
		p = &t->s[*p].chain;
	*p = t->s[i].chain;
	age_unlink(t, i);
	t->s[i].chain = t->free_head;
	t->free_head = i;
	t->count--;
}

static struct table host_t;
static struct host *host_v;

/* A host leaves the table: its readers are told, if they knew it. */
static void host_gone(uint32_t i)
{
	if (host_v[i].said && host_forget_hook)
		host_forget_hook(&host_v[i]);
}

/* Insert a key known to be absent; the oldest entry goes if full. */
static uint32_t t_insert(struct table *t, const uint8_t *key, uint32_t h,
    uint64_t *evicted)
{
	uint32_t i;

	if (t->free_head == NONE) {
		if (t == &host_t)
			host_gone(t->oldest);
		t_remove(t, t->oldest);
		(*evicted)++;
	}
	i = t->free_head;
	t->free_head = t->s[i].chain;
	memcpy(t->s[i].key, key, t->keylen);
	t->s[i].hash = h;
	t->s[i].chain = t->bucket[h & t->mask];
	t->bucket[h & t->mask] = i;
	age_append(t, i);
	t->count++;
	return i;
}

/* ---- hosts and flows ---- */

#define HOST_KEY 17		/* address padded to 16 bytes, then its length */
#define FLOW_KEY 40		/* struct flow_key */

static struct table flow_t;
static struct flow *flow_v;

void hosts_init(uint32_t max_hosts, uint32_t max_flows)
{
	t_init(&host_t, max_hosts, HOST_KEY);
	t_init(&flow_t, max_flows, FLOW_KEY);
	host_v = tsa_calloc(max_hosts, sizeof *host_v);
	host_changed = tsa_calloc(max_hosts, sizeof *host_changed);
	flow_v = tsa_calloc(max_flows, sizeof *flow_v);
}

void hosts_free(void)
{
	t_free(&host_t);
	t_free(&flow_t);
	free(host_v);
	free(host_changed);
	free(flow_v);
	host_v = NULL;
	host_changed = NULL;
	flow_v = NULL;
}

/*
 * Every record looks up two hosts, so their keys are made in registers:
 * the address as two words (zero-padded), hashed and compared as such.
 * Written to memory byte by byte and read back as words, the key would
 * stall the loads.  In the table the key is those words, then alen.
 */
struct host_key {
	uint64_t w0, w1;
	uint8_t alen;
};

static inline struct host_key host_key(const uint8_t *addr, uint8_t alen)
{
	struct host_key k = { 0, 0, alen };

	tsa_addr_words(addr, alen, &k.w0, &k.w1);
	return k;
}

static inline uint32_t host_hash(const struct host_key *k)
{
	return tsa_addr_hash(k->w0, k->w1, k->alen);
}

static inline uint32_t host_lookup(const struct host_key *k, uint32_t h)
{
	for (uint32_t i = host_t.bucket[h & host_t.mask]; i != NONE;
	    i = host_t.s[i].chain) {
		const struct slot *e = &host_t.s[i];
		uint64_t w0, w1;

		memcpy(&w0, e->key, 8);
		memcpy(&w1, e->key + 8, 8);
		if (e->hash == h && w0 == k->w0 && w1 == k->w1 &&
		    e->key[16] == k->alen)
			return i;
	}
	return NONE;
}

uint32_t host_find(uint64_t w0, uint64_t w1, uint8_t alen)
{
	struct host_key k = { w0, w1, alen };

	return host_lookup(&k, host_hash(&k));
}

struct host *host_at(uint32_t i)
{
	return &host_v[i];
}

struct host *host_get(const uint8_t *addr, uint8_t alen, int64_t now)
{
	struct host_key k = host_key(addr, alen);
	uint8_t kb[HOST_KEY];
	uint32_t h = host_hash(&k), i;
	struct host *hd;

	hosts_gen++;
	if ((i = host_lookup(&k, h)) != NONE) {
		t_touch(&host_t, i);
		host_v[i].last_seen = now;
		host_changed[i] = true;
		return &host_v[i];
	}
	memcpy(kb, &k.w0, 8);
	memcpy(kb + 8, &k.w1, 8);
	kb[16] = alen;
	i = t_insert(&host_t, kb, h, &hosts_stats.hosts_evicted);
	host_changed[i] = true;
	hd = &host_v[i];
	memset(hd, 0, sizeof *hd);
	memcpy(hd->addr, addr, alen);
	hd->alen = alen;
	hd->last_seen = now;
	hd->dist = -1;
	return hd;
}

/*
 * A connection's key is made in registers too: the client's and the
 * server's address as in their host keys, then the ports and alen in a
 * fifth word.  In the table the key is these 40 bytes.
 */
struct flow_key {
	uint64_t w[5];
};

static inline struct flow_key flow_key(const struct host_key *cli,
    const struct host_key *srv, uint16_t cport, uint16_t sport)
{
	struct flow_key k = { { cli->w0, cli->w1, srv->w0, srv->w1,
	    cport | (uint64_t)sport << 16 | (uint64_t)cli->alen << 32 } };

	return k;
}

/* Keyed (the ports and addresses are the sender's): five products that need not wait for one another. */
static inline uint32_t flow_hash(const struct flow_key *k)
{
	return tsa_hash_u64s(k->w, 5);
}

static inline uint32_t flow_lookup(const struct flow_key *k)
{
	return t_find(&flow_t, (const uint8_t *)k->w, flow_hash(k), FLOW_KEY);
}

struct flow *flow_find(const uint8_t *src, const uint8_t *dst, uint8_t alen,
    uint16_t sport, uint16_t dport, int *to_srv)
{
	struct host_key s = host_key(src, alen), d = host_key(dst, alen);
	struct flow_key k = flow_key(&s, &d, sport, dport);
	uint32_t i;

	if ((i = flow_lookup(&k)) != NONE) {
		*to_srv = 1;
		return &flow_v[i];
	}
	k = flow_key(&d, &s, dport, sport);
	if ((i = flow_lookup(&k)) != NONE) {
		*to_srv = 0;
		return &flow_v[i];
	}
	return NULL;
}

struct flow *flow_new(const uint8_t *src, const uint8_t *dst, uint8_t alen,
    uint16_t sport, uint16_t dport, int64_t now)
{
	struct host_key s = host_key(src, alen), d = host_key(dst, alen);
	struct flow_key k = flow_key(&s, &d, sport, dport);
	uint32_t h = flow_hash(&k), i;
	struct flow *f;

	if ((i = t_find(&flow_t, (const uint8_t *)k.w, h, FLOW_KEY)) != NONE)
		t_remove(&flow_t, i);
	i = t_insert(&flow_t, (const uint8_t *)k.w, h,
	    &hosts_stats.flows_evicted);
	f = &flow_v[i];
	memset(f, 0, sizeof *f);
	f->created = now;
	f->cli_port = sport;
	f->srv_port = dport;
	return f;
}

void flow_end(struct flow *f)
{
	t_remove(&flow_t, (uint32_t)(f - flow_v));
}

/*
 * p0f's expire_cache(): connections live 30 s from their SYN, hosts two
 * hours from their last connection.  Both lists are in that order, so the
 * sweep stops at the first entry still young enough.
 */
void hosts_expire(int64_t now)
{
	while (flow_t.oldest != NONE &&
	    now - flow_v[flow_t.oldest].created > CONN_MAX_AGE)
		t_remove(&flow_t, flow_t.oldest);
	while (host_t.oldest != NONE &&
	    now - host_v[host_t.oldest].last_seen > HOST_IDLE_LIMIT) {
		host_gone(host_t.oldest);
		t_remove(&host_t, host_t.oldest);
		hosts_gen++;
	}
}

void host_remember_sig(struct host *h, int to_srv, const struct tcp_pkt *pk,
    const struct tcp_match *m, int64_t now_ms)
{
	struct sig_hist *ref = to_srv ? &h->syn : &h->synack;

	ref->valid = true;
	ref->sig = m->sig;
	ref->fuzzy = m->fuzzy;
	ref->quirks = pk->quirks;
	ref->layout = pk->layout;
	ref->ttl = pk->ttl;
	ref->mss = pk->mss;
	ref->ts1 = pk->ts1;
	ref->ms = now_ms;
}
