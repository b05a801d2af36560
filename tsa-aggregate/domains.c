/*
 * Addresses to registrable domains, as the original's ip_fqdns_cache: DNS
 * answers name the addresses they carry (after the question name, the head
 * of any CNAME chain), a TLS ClientHello's SNI names its destination, and so
 * does an HTTP request's Host.  Names are reduced to registrable domains
 * with libpsl ("www.bbc.co.uk" -> "bbc.co.uk"); a name that is itself a
 * public suffix, or has none, stays whole.  Domains that share an address
 * are merged as aliases (union-find, with a cycle through each group's
 * members to list them).
 *
 * Everything is bounded: the address cache holds DomainCacheSize entries
 * and forgets the oldest first; CNAME targets and the name-to-domain memo
 * are direct-mapped tables; the domain table is twice what the caches can
 * refer to, and when it or its arena of names fills, the domains nothing
 * refers to are collected.  Names are up to 253 bytes and the arena is
 * sized for names of AVG_NAME, so long names can fill it with domains the
 * cache still refers to: the oldest addresses then forget their names
 * until those still referred to fill at most half of it.  A collection
 * thus always frees half the arena and half the table, and costs each name
 * a bounded share of it, whatever names arrive.
 */
#include <ctype.h>
#include <libpsl.h>
#include <stdlib.h>

#include "agg.h"

#define NAME_MAX_LEN 253
#define CNAME_SLOTS 8192
#define MEMO_SLOTS 16384	/* a miss costs a libpsl lookup, ~10k instructions */
#define AVG_NAME 24		/* arena bytes per domain */
/* The CNAME table alone can refer to this many bytes: half the arena at least. */
#define ARENA_MIN (2 * (CNAME_SLOTS + 1) * (size_t)NAME_MAX_LEN)

struct cache_ent {
	uint8_t addr[16];
	uint8_t alen;		/* 0: unused */
	uint32_t id;
};

/*
 * The address cache's index: an entry (+ 1; 0: empty) and its address's
 * hash.  The hash is kept there so that a probe and the moves of a
 * deletion touch no entry but the one sought: the entries are megabytes
 * of addresses in insertion order, each a likely cache miss.
 */
struct eslot {
	uint32_t ent, hash;
};

struct hashed {			/* CNAME targets and the memo */
	uint64_t h;
	uint32_t id;		/* 0: empty */
};

struct domains {
	const psl_ctx_t *psl;

	/* domains: ids 1 .. count */
	uint32_t cap, count;
	uint32_t *off, *hash, *parent, *next;
	uint32_t *refs;		/* address cache and CNAME entries naming it */
	uint8_t *len;
	char *arena;
	size_t arena_cap, arena_used;
	size_t live_bytes;	/* the names of domains with refs */
	uint32_t *index, imask;

	/*
	 * address cache: entries in insertion order, the ecount filled ones
	 * the last before epos (the oldest first), a hash index over them
	 */
	struct cache_ent *ent;
	uint32_t ecap, epos, ecount;
	struct eslot *eindex;
	uint32_t emask;

	struct hashed cname[CNAME_SLOTS], memo[MEMO_SLOTS];
};

/*
 * A name's hash: keyed, because the names are the senders' choice.  The
 * domain index probes by it, and the memo and the CNAME table take a name
 * as found when its 64 bits match, so no one may make two names collide.
 */
static uint64_t name_hash(const void *p, size_t n)
{
	return tsa_hash_bytes(p, n);
}

/*
 * A CNAME target's slot: the table is direct-mapped, so a target displaces
 * whatever other one shares its slot, and which one does must be the same
 * in every run: not keyed (FNV-1a).  Its entry is still found by its keyed
 * hash.  Bounded work either way: one slot.
 */
static uint32_t cname_place(const uint8_t *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return (uint32_t)(h ^ h >> 32) & (CNAME_SLOTS - 1);
}

static uint32_t pow2_above(uint32_t n)
{
	uint32_t p = 16;

	while (p < n)
		p <<= 1;
	return p;
}

struct domains *domains_new(uint32_t cache_entries)
{
	struct domains *d = tsa_calloc(1, sizeof *d);

	if (cache_entries < 16)
		cache_entries = 16;
	/* psl_latest: the system's list (fresher); else the compiled-in one. */
	d->psl = psl_latest(NULL);
	if (!d->psl)
		d->psl = psl_builtin();
	if (!d->psl)
		tsa_die("libpsl: no public suffix list");

	d->cap = 2 * (cache_entries + CNAME_SLOTS) + 1;
	d->off = tsa_calloc(d->cap, sizeof *d->off);
	d->hash = tsa_calloc(d->cap, sizeof *d->hash);
	d->parent = tsa_calloc(d->cap, sizeof *d->parent);
	d->next = tsa_calloc(d->cap, sizeof *d->next);
	d->refs = tsa_calloc(d->cap, sizeof *d->refs);
	d->len = tsa_calloc(d->cap, 1);
	d->arena_cap = (size_t)d->cap * AVG_NAME;
	if (d->arena_cap < ARENA_MIN)
		d->arena_cap = ARENA_MIN;
	d->arena = tsa_malloc(d->arena_cap);
	d->imask = pow2_above(2 * d->cap) - 1;
	d->index = tsa_calloc((size_t)d->imask + 1, sizeof *d->index);

	d->ecap = cache_entries;
	d->ent = tsa_calloc(d->ecap, sizeof *d->ent);
	d->emask = pow2_above(2 * d->ecap) - 1;
	d->eindex = tsa_calloc((size_t)d->emask + 1, sizeof *d->eindex);
	return d;
}

uint32_t domains_cap(const struct domains *d)
{
	return d->cap;
}

const char *domains_name(const struct domains *d, uint32_t id, size_t *n)
{
	*n = d->len[id];
	return d->arena + d->off[id];
}

uint32_t domains_root(struct domains *d, uint32_t id)
{
	uint32_t r = id, t;

	while (d->parent[r] != r)
		r = d->parent[r];
	while (d->parent[id] != r) {	/* path compression */
		t = d->parent[id];
		d->parent[id] = r;
		id = t;
	}
	return r;
}

uint32_t domains_next(const struct domains *d, uint32_t id)
{
	return d->next[id];
}

static void alias(struct domains *d, uint32_t x, uint32_t y)
{
	uint32_t rx = domains_root(d, x), ry = domains_root(d, y), t;

	if (rx == ry)
		return;
	if (ry < rx) {
		t = rx;
		rx = ry;
		ry = t;
	}
	d->parent[ry] = rx;
	/* Swapping one successor in each of two cycles joins them. */
	t = d->next[x];
	d->next[x] = d->next[y];
	d->next[y] = t;
}

static void ref(struct domains *d, uint32_t id)
{
	if (d->refs[id]++ == 0)
		d->live_bytes += d->len[id];
}

static void unref(struct domains *d, uint32_t id)
{
	if (--d->refs[id] == 0)
		d->live_bytes -= d->len[id];
}

/* ---- address cache ---- */

/* The host table's hash: mixed well enough for clustered addresses. */
static uint32_t cache_hash(const uint8_t *a, uint8_t alen)
{
	uint64_t x, y;

	tsa_addr_words(a, alen, &x, &y);
	return tsa_addr_hash(x, y, alen);
}

/* The index slot of the address (hash h): its own, or the empty one that ends its probe. */
static struct eslot *cache_find(struct domains *d, const uint8_t *a, uint8_t alen,
    uint32_t h)
{
	uint32_t i;
	struct eslot *s;
	const struct cache_ent *e;

	for (i = h & d->emask; (s = &d->eindex[i])->ent != 0; i = (i + 1) & d->emask) {
		if (s->hash != h)
			continue;
		e = &d->ent[s->ent - 1];
		if (e->alen == alen && bytes_eq(e->addr, a, alen))
			break;
	}
	return s;
}

static void cache_unindex(struct domains *d, struct eslot *slot)
{
	uint32_t i = (uint32_t)(slot - d->eindex), j, k;

	for (j = i;;) {
		j = (j + 1) & d->emask;
		if (d->eindex[j].ent == 0)
			break;
		k = d->eindex[j].hash & d->emask;
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			d->eindex[i] = d->eindex[j];
			i = j;
		}
	}
	d->eindex[i].ent = 0;
}

static void cache_set(struct domains *d, const uint8_t *a, uint8_t alen, uint32_t id)
{
	uint32_t h = cache_hash(a, alen);
	struct eslot *slot = cache_find(d, a, alen, h);
	struct cache_ent *e;

	if (slot->ent) {
		e = &d->ent[slot->ent - 1];
		if (e->id != id) {
			alias(d, e->id, id);
			unref(d, e->id);
			ref(d, id);
		}
		e->id = id;
		return;
	}
	/* Take the oldest entry's place. */
	e = &d->ent[d->epos];
	if (e->alen) {
		cache_unindex(d, cache_find(d, e->addr, e->alen, cache_hash(e->addr, e->alen)));
		unref(d, e->id);
		slot = cache_find(d, a, alen, h);
	} else {
		d->ecount++;
	}
	ref(d, id);
	memcpy(e->addr, a, alen);
	e->alen = alen;
	e->id = id;
	slot->ent = d->epos + 1;
	slot->hash = h;
	d->epos = d->epos + 1 == d->ecap ? 0 : d->epos + 1;
}

/* The oldest address forgets its name. */
static void cache_drop_oldest(struct domains *d)
{
	struct cache_ent *e = &d->ent[(d->epos + d->ecap - d->ecount) % d->ecap];

	cache_unindex(d, cache_find(d, e->addr, e->alen, cache_hash(e->addr, e->alen)));
	unref(d, e->id);
	e->alen = 0;
	d->ecount--;
}

uint32_t domains_of(struct domains *d, const uint8_t *a, uint8_t alen)
{
	const struct eslot *slot = cache_find(d, a, alen, cache_hash(a, alen));

	return slot->ent ? d->ent[slot->ent - 1].id : 0;
}

/* ---- the domain table ---- */

static void index_rebuild(struct domains *d)
{
	uint32_t id, i;

	memset(d->index, 0, ((size_t)d->imask + 1) * sizeof *d->index);
	for (id = 1; id <= d->count; id++) {
		for (i = d->hash[id] & d->imask; d->index[i]; i = (i + 1) & d->imask)
			;
		d->index[i] = id;
	}
}

/*
 * Keep the domains the address cache and the CNAME table refer to, renumber
 * them, and rebuild the alias groups among the survivors.
 */
static void collect(struct domains *d)
{
	uint32_t *newid = tsa_calloc(d->cap, sizeof *newid);
	uint32_t *rootnew = tsa_calloc(d->cap, sizeof *rootnew);
	uint32_t *oldroot = tsa_calloc(d->cap, sizeof *oldroot);
	uint32_t *last = tsa_calloc(d->cap, sizeof *last);
	char *arena = tsa_malloc(d->arena_cap);
	size_t used = 0;
	uint32_t i, id, n = 0, r;

	for (id = 1; id <= d->count; id++)
		oldroot[id] = domains_root(d, id);
	for (id = 1; id <= d->count; id++) {
		if (!d->refs[id])
			continue;
		newid[id] = ++n;
		memcpy(arena + used, d->arena + d->off[id], d->len[id]);
		d->off[n] = (uint32_t)used;
		used += d->len[id];
		d->len[n] = d->len[id];
		d->hash[n] = d->hash[id];
		d->refs[n] = d->refs[id];
	}
	memset(d->refs + n + 1, 0, (size_t)(d->count - n) * sizeof *d->refs);
	/* New groups: the first survivor of an old group becomes its root. */
	for (id = 1; id <= d->count; id++) {
		if (!newid[id])
			continue;
		r = oldroot[id];
		if (!rootnew[r]) {
			rootnew[r] = newid[id];
			d->parent[newid[id]] = newid[id];
			d->next[newid[id]] = newid[id];
		} else {
			d->parent[newid[id]] = rootnew[r];
			/* insert after the group's last member */
			uint32_t l = last[r] ? last[r] : rootnew[r];

			d->next[newid[id]] = d->next[l];
			d->next[l] = newid[id];
		}
		last[r] = newid[id];
	}
	for (i = 0; i < d->ecap; i++)
		if (d->ent[i].alen)
			d->ent[i].id = newid[d->ent[i].id];
	for (i = 0; i < CNAME_SLOTS; i++)
		if (d->cname[i].id)
			d->cname[i].id = newid[d->cname[i].id];
	memset(d->memo, 0, sizeof d->memo);
	free(d->arena);
	d->arena = arena;
	d->arena_used = used;
	d->count = n;
	index_rebuild(d);
	free(newid);
	free(rootnew);
	free(oldroot);
	free(last);
}

static uint32_t intern(struct domains *d, const char *s, size_t n)
{
	uint32_t h = (uint32_t)name_hash(s, n), i, id;

	for (i = h & d->imask; (id = d->index[i]) != 0; i = (i + 1) & d->imask)
		if (d->hash[id] == h && d->len[id] == n &&
		    memcmp(d->arena + d->off[id], s, n) == 0)
			return id;
	if (d->count + 1 >= d->cap || d->arena_used + n > d->arena_cap) {
		/*
		 * The oldest addresses forget their names until the names still
		 * referred to take at most half the arena (the CNAME table's
		 * alone take less, ARENA_MIN); the table's ids are at most half
		 * referred to anyway.
		 */
		while (d->live_bytes + n > d->arena_cap / 2 && d->ecount > 0)
			cache_drop_oldest(d);
		collect(d);
		for (i = h & d->imask; d->index[i]; i = (i + 1) & d->imask)
			;
		if (d->count + 1 >= d->cap || d->arena_used + n > d->arena_cap)
			return 0;	/* cannot happen (see above) */
	}
	id = ++d->count;
	memcpy(d->arena + d->arena_used, s, n);
	d->off[id] = (uint32_t)d->arena_used;
	d->arena_used += n;
	d->len[id] = (uint8_t)n;
	d->hash[id] = h;
	d->parent[id] = id;
	d->next[id] = id;
	d->index[i] = id;
	return id;
}

/* n without the final dots of the name s. */
static size_t trimmed(const uint8_t *s, size_t n)
{
	while (n && s[n - 1] == '.')
		n--;
	return n;
}

/*
 * A host name as text (without a port or final dots), of hash h, to its
 * domain id, or 0 for what is not a host name (empty, too long, an address
 * literal, characters no host name has).
 */
static uint32_t name_id(struct domains *d, const uint8_t *s, size_t n, uint64_t h)
{
	char buf[NAME_MAX_LEN + 1];
	const char *reg;
	uint8_t a[16];
	size_t alen, i;
	struct hashed *m;
	uint32_t id;

	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	m = &d->memo[h & (MEMO_SLOTS - 1)];
	if (m->id && m->h == h)
		return m->id;
	for (i = 0; i < n; i++) {
		char c = (char)tolower(s[i]);

		if (!isalnum((unsigned char)c) && c != '-' && c != '_' && c != '.')
			return 0;
		buf[i] = c;
	}
	buf[n] = 0;
	if (tsa_addr_parse(buf, a, &alen))
		return 0;
	reg = psl_registrable_domain(d->psl, buf);
	if (!reg)
		reg = buf;
	id = intern(d, reg, strlen(reg));
	/* (intern may have collected, which clears the memo: refill it.) */
	m->h = h;
	m->id = id;
	return id;
}

/* The domain id of a name as SNI or HTTP Host (port: with a :port) gives it. */
static uint32_t domain_id(struct domains *d, const uint8_t *s, size_t n, bool port)
{
	size_t i;

	if (port) {
		if (n && s[0] == '[')
			return 0;	/* [v6]:port */
		for (i = n; i > 0 && isdigit(s[i - 1]); i--)
			;
		if (i > 0 && i < n && s[i - 1] == ':')
			n = i - 1;
	}
	n = trimmed(s, n);
	if (n == 0 || n > NAME_MAX_LEN)
		return 0;
	return name_id(d, s, n, name_hash(s, n));
}

/* The CNAME entry of a name (without final dots). */
static struct hashed *cname_slot(struct domains *d, const uint8_t *s, size_t n)
{
	return &d->cname[cname_place(s, n)];
}

static void learn_dns(struct domains *d, const struct pkt *p)
{
	const uint8_t *q = p->qnames.ptr, *end = p->end;
	struct mp_obj o;
	struct hashed *c;
	uint64_t h;
	uint32_t id = 0, i;
	size_t n;

	/* The first question names the answers. */
	if (p->qnames.len == 0 || mp_next(&q, end, &o) < 0 || o.type != MP_STR)
		return;
	n = trimmed(o.ptr, o.len);
	h = name_hash(o.ptr, n);
	c = cname_slot(d, o.ptr, n);
	if (c->id && c->h == h)
		id = c->id;	/* a CNAME target asked again: its chain's head */
	else
		id = name_id(d, o.ptr, n, h);
	if (!id)
		return;
	if (p->has_cnames) {
		q = p->cnames.ptr;
		for (i = 0; i < p->cnames.len; i++) {
			if (mp_next(&q, end, &o) < 0)
				return;
			if (o.type != MP_STR)
				continue;
			n = trimmed(o.ptr, o.len);
			h = name_hash(o.ptr, n);
			c = cname_slot(d, o.ptr, n);
			if (c->id)
				unref(d, c->id);
			ref(d, id);
			c->h = h;
			c->id = id;
		}
	}
	q = p->ips.ptr;
	for (i = 0; i < p->ips.len; i++) {
		if (mp_next(&q, end, &o) < 0)
			return;
		if (o.type == MP_BIN && (o.len == 4 || o.len == 16))
			cache_set(d, o.ptr, (uint8_t)o.len, id);
	}
}

void domains_learn(struct domains *d, const struct pkt *p)
{
	uint32_t id;

	if (p->has_ips && p->has_qnames && p->dns == DNS_RESPONSE)
		learn_dns(d, p);
	if (p->has_sni && (id = domain_id(d, p->sni.ptr, p->sni.len, false)))
		cache_set(d, p->dst, p->dlen, id);
	if (p->has_http_host && (id = domain_id(d, p->http_host.ptr, p->http_host.len, true)))
		cache_set(d, p->dst, p->dlen, id);
}
