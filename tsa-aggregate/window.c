/*
 * The window: a ring of what each packet added (struct contrib), so that a
 * packet leaving the window takes away exactly what it brought, in O(1),
 * whatever the tables or the local-host guess have done since.  A count
 * window holds the last N; a time window drops contributions older than
 * the window, and is cut short (counted in evicted_early) if more than
 * MaxWindowPackets arrive within it.
 */
#include <stdlib.h>

#include "agg.h"

uint16_t country_index(const uint8_t *cc)
{
	if (!cc)
		return C_UNKNOWN;
	uint8_t a = cc[0] & 0xdf, b = cc[1] & 0xdf;	/* upper case */

	if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
		return C_UNKNOWN;
	return (uint16_t)((a - 'A') * 26 + (b - 'A'));
}

const char *country_name(uint16_t i, char out[3])
{
	if (i == C_LOCAL)
		return "local";
	if (i >= C_UNKNOWN)
		return "unknown";
	out[0] = (char)('A' + i / 26);
	out[1] = (char)('A' + i % 26);
	out[2] = 0;
	return out;
}

/*
 * A host's distinct-host membership: under its country while it is a remote
 * endpoint of a window packet, under "local" while it is an endpoint of an
 * all-local one.  Adjust the countries' host counts around a change.
 */
static void member(struct agg *a, const struct host *h, int d)
{
	if (h->rpackets)
		a->countries[h->country].hosts += (uint32_t)d;
	if (h->lpackets && !(h->rpackets && h->country == C_LOCAL))
		a->countries[C_LOCAL].hosts += (uint32_t)d;
}

/*
 * Change a host's remote and local packet counts.  Its memberships change
 * only when a count goes to or from zero, which most packets do not do.
 */
static inline void host_ref(struct agg *a, struct host *h, int dr, int dl)
{
	uint32_t r = h->rpackets + (uint32_t)dr, l = h->lpackets + (uint32_t)dl;

	if ((r == 0) != (h->rpackets == 0) || (l == 0) != (h->lpackets == 0)) {
		member(a, h, -1);
		h->rpackets = r;
		h->lpackets = l;
		member(a, h, 1);
	} else {
		h->rpackets = r;
		h->lpackets = l;
	}
}

static inline void country_add(struct agg *a, uint16_t c, uint32_t len, int d)
{
	a->countries[c].packets += (uint64_t)(int64_t)d;
	a->countries[c].bytes += (uint64_t)((int64_t)d * len);
}

/* A host new to the window: what stays fixed while it is in it. */
static void host_new(struct agg *a, struct host *h, const uint8_t *cc)
{
	h->localnet = local_net(&a->local, h->addr, h->alen);
	if (cc)
		h->country = country_index(cc);
	else
		h->country = tsa_addr_scope(h->addr, h->alen) == TSA_SCOPE_PUBLIC ?
		    C_UNKNOWN : C_LOCAL;
}

/* Inline: side is a constant at both calls. */
static inline __attribute__((always_inline)) uint32_t endpoint(struct agg *a,
    const struct pkt *p, int side)
{
	uint32_t s = hosts_get(&a->hosts, side ? p->dst : p->src,
	    side ? p->dlen : p->slen);
	struct host *h = &a->hosts.h[s];

	if (s == 0)
		return 0;
	if (h->packets == 0)
		host_new(a, h, p->country[side]);
	if (p->os[side])
		h->os = labels_keep(a->labels, h->os, p->os[side]);
	if (p->os_class[side])
		h->os_class = labels_keep(a->labels, h->os_class, p->os_class[side]);
	if (p->app[side])
		h->app = labels_keep(a->labels, h->app, p->app[side]);
	if (p->dist[side] >= 0)
		h->dist = (uint8_t)p->dist[side];
	return s;
}

/*
 * Apply (d = 1) or take back (d = -1) one contribution.  Inline: d is a
 * constant at both calls, which folds the products away.
 */
static inline __attribute__((always_inline)) void apply(struct agg *a,
    const struct contrib *c, int d)
{
	struct host *hs = &a->hosts.h[c->src], *hd = &a->hosts.h[c->dst];
	uint32_t u = (uint32_t)d;
	uint64_t db = (uint64_t)((int64_t)d * c->len);
	uint16_t f = c->flags;

	a->packets += (uint64_t)(int64_t)d;
	a->bytes += db;
	hs->packets += u;
	hs->bytes += db;
	if (c->dst != c->src) {
		hd->packets += u;
		hd->bytes += db;
	}
	if (f & CF_SRC_REMOTE) {
		country_add(a, hs->country, c->len, d);
		host_ref(a, hs, d, 0);
	}
	if (f & CF_DST_REMOTE) {
		if (!(f & CF_SAME_COUNTRY))
			country_add(a, hd->country, c->len, d);
		host_ref(a, hd, d, 0);
	}
	if (f & CF_ALL_LOCAL) {
		country_add(a, C_LOCAL, c->len, d);
		host_ref(a, hs, 0, d);
		if (c->dst != c->src)
			host_ref(a, hd, 0, d);
	}
	/* TCP and DNS counts: one test for the packets without them */
	if (f & (CF_SYN | CF_SYNACK | CF_ACK | CF_DNSQ | CF_DNSR)) {
		if (f & CF_SYN)
			hs->syn += u;
		if (f & CF_SYNACK) {
			hs->synack += u;
			hd->synack_in += u;
		}
		if (f & CF_ACK)
			hs->ack += u;
		if (f & CF_DNSQ)
			hs->dnsq += u;
		if (f & CF_DNSR)
			hd->dnsr_in += u;
	}
}

static void drop_host(struct agg *a, uint32_t s)
{
	if (a->local.guess == s + 1)
		a->local.guess = 0;
	if (a->local.leader == s + 1)
		a->local.leader = 0;
	hosts_del(&a->hosts, s);
}

void agg_evict_one(struct agg *a)
{
	struct contrib *c = &a->ring[a->head];

	apply(a, c, -1);
	if ((c->flags & CF_PAIR) && pairs_sub(&a->pairs, c->src, c->dst, c->dport))
		a->hosts.h[c->src].targets--;
	/* A host whose packets fell to zero leaves (slot 0 stays). */
	if (c->src && a->hosts.h[c->src].packets == 0)
		drop_host(a, c->src);
	if (c->dst && a->hosts.h[c->dst].packets == 0)
		drop_host(a, c->dst);
	a->head = a->head + 1 == a->ring_cap ? 0 : a->head + 1;
	a->n--;
}

void agg_evict_all(struct agg *a)
{
	while (a->n > 0)
		agg_evict_one(a);
}

int64_t agg_window_start(const struct agg *a, int64_t end)
{
	if (a->window_ns)
		return end - a->window_ns;
	return a->n ? a->ring[a->head].ts : end;
}

/*
 * The ring starts small and doubles up to its limit, so that memory follows
 * the packets the window actually holds, not the limit.
 */
static void grow(struct agg *a)
{
	uint32_t cap = a->ring_cap ? a->ring_cap : 4096, i;
	struct contrib *r;

	cap = cap >= a->ring_max / 2 ? a->ring_max : 2 * cap;
	r = tsa_malloc((size_t)cap * sizeof *r);
	for (i = 0; i < a->n; i++)
		r[i] = a->ring[ring_pos(a, i)];
	free(a->ring);
	a->ring = r;
	a->ring_cap = cap;
	a->head = 0;
}

void agg_add(struct agg *a, const struct pkt *p)
{
	struct contrib *c;
	struct host *hs, *hd;
	bool sl, dl, stored;
	uint32_t tail, src, dst;
	uint16_t f = 0;

	if (a->n == a->ring_cap) {
		if (a->ring_cap < a->ring_max)
			grow(a);
		else {
			if (a->window_ns)
				a->evicted_early++;
			agg_evict_one(a);
		}
	}
	tail = ring_pos(a, a->n);
	c = &a->ring[tail];
	src = endpoint(a, p, 0);
	dst = endpoint(a, p, 1);
	hs = &a->hosts.h[src];
	hd = &a->hosts.h[dst];

	sl = local_is(&a->local, hs, src);
	dl = local_is(&a->local, hd, dst);
	if (!sl)
		f |= CF_SRC_REMOTE;
	if (!dl)
		f |= CF_DST_REMOTE;
	if (sl && dl)
		f |= CF_ALL_LOCAL;
	else if (!sl && !dl && hs->country == hd->country)
		f |= CF_SAME_COUNTRY;

	if (p->tcp_flags >= 0) {
		bool syn = p->tcp_flags & 0x02, ack = p->tcp_flags & 0x10;

		if (syn && !ack) {
			f |= CF_SYN;
			if (p->has_dst_port && src && dst) {
				if (pairs_add(&a->pairs, src, dst, p->dport, &stored))
					hs->targets++;
				if (stored)
					f |= CF_PAIR;
			}
		} else if (syn)
			f |= CF_SYNACK;
		else if (ack)
			f |= CF_ACK;
	}
	if (p->dns == DNS_QUERY)
		f |= CF_DNSQ;
	else if (p->dns == DNS_RESPONSE)
		f |= CF_DNSR;

	c->ts = p->ts;
	c->len = p->len;
	c->src = src;
	c->dst = dst;
	c->flags = f;
	c->dport = p->dport;
	apply(a, c, 1);
	a->n++;
	local_guess(&a->local, &a->hosts, src, a->n);
	local_guess(&a->local, &a->hosts, dst, a->n);
	if (f & (CF_SYN | CF_SYNACK | CF_DNSR)) {
		alerts_check(a, src, p->ts);
		alerts_check(a, dst, p->ts);
	}
}
