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

static void host_ref(struct agg *a, struct host *h, int dr, int dl)
{
	member(a, h, -1);
	h->rpackets += (uint32_t)dr;
	h->lpackets += (uint32_t)dl;
	member(a, h, 1);
}

static void country_add(struct agg *a, uint16_t c, uint32_t len, int d)
{
	a->countries[c].packets += (uint64_t)(int64_t)d;
	a->countries[c].bytes += (uint64_t)((int64_t)d * len);
}

static uint32_t endpoint(struct agg *a, const struct pkt *p, int side)
{
	const uint8_t *addr = side ? p->dst : p->src;
	uint8_t alen = side ? p->dlen : p->slen;
	uint32_t s = hosts_get(&a->hosts, addr, alen, true);
	struct host *h = &a->hosts.h[s];

	if (s == 0)
		return 0;
	if (h->packets == 0) {
		/* New: its country and local networks stay fixed while it is in the window. */
		h->localnet = local_net(&a->local, addr, alen);
		if (p->country[side])
			h->country = country_index(p->country[side]);
		else
			h->country = tsa_addr_scope(addr, alen) == TSA_SCOPE_PUBLIC ?
			    C_UNKNOWN : C_LOCAL;
	}
	if (p->has_os[side])
		h->os = labels_keep(a->labels, h->os, p->os[side].ptr, p->os[side].len);
	if (p->has_os_class[side])
		h->os_class = labels_keep(a->labels, h->os_class,
		    p->os_class[side].ptr, p->os_class[side].len);
	if (p->has_app[side])
		h->app = labels_keep(a->labels, h->app, p->app[side].ptr, p->app[side].len);
	if (p->dist[side] >= 0)
		h->dist = (uint8_t)p->dist[side];
	return s;
}

/* Apply (d = 1) or take back (d = -1) one contribution. */
static void apply(struct agg *a, const struct contrib *c, int d)
{
	struct host *hs = &a->hosts.h[c->src], *hd = &a->hosts.h[c->dst];
	uint32_t u = (uint32_t)d;
	uint16_t f = c->flags;

	a->packets += (uint64_t)(int64_t)d;
	a->bytes += (uint64_t)((int64_t)d * c->len);
	hs->packets += u;
	hs->bytes += (uint64_t)((int64_t)d * c->len);
	if (c->dst != c->src) {
		hd->packets += u;
		hd->bytes += (uint64_t)((int64_t)d * c->len);
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

static void drop_host(struct agg *a, uint32_t s)
{
	if (s == 0 || a->hosts.h[s].packets != 0)
		return;
	if (a->local.guess == s + 1)
		a->local.guess = 0;
	if (a->local.leader == s + 1)
		a->local.leader = 0;
	hosts_del(&a->hosts, s);
}

static void evict_one(struct agg *a)
{
	struct contrib *c = &a->ring[a->head];

	apply(a, c, -1);
	if ((c->flags & CF_PAIR) && pairs_sub(&a->pairs, c->src, c->dst, c->dport))
		a->hosts.h[c->src].targets--;
	drop_host(a, c->src);
	drop_host(a, c->dst);
	a->head = a->head + 1 == a->ring_cap ? 0 : a->head + 1;
	a->n--;
}

void agg_evict_before(struct agg *a, int64_t t)
{
	while (a->n > 0 && a->ring[a->head].ts < t)
		evict_one(a);
}

void agg_evict_all(struct agg *a)
{
	while (a->n > 0)
		evict_one(a);
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
	uint32_t cap = a->ring_cap ? a->ring_cap : 4096, i, k;
	struct contrib *r;

	cap = cap >= a->ring_max / 2 ? a->ring_max : 2 * cap;
	r = tsa_malloc((size_t)cap * sizeof *r);
	for (i = 0, k = a->head; i < a->n; i++, k = k + 1 == a->ring_cap ? 0 : k + 1)
		r[i] = a->ring[k];
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
	uint32_t tail;

	if (a->n == a->ring_cap) {
		if (a->ring_cap < a->ring_max)
			grow(a);
		else {
			if (a->window_ns)
				a->evicted_early++;
			evict_one(a);
		}
	}
	tail = a->head + a->n;
	if (tail >= a->ring_cap)
		tail -= a->ring_cap;
	c = &a->ring[tail];
	c->ts = p->ts;
	c->len = p->len;
	c->src = endpoint(a, p, 0);
	c->dst = endpoint(a, p, 1);
	c->flags = 0;
	c->dport = p->dport;
	hs = &a->hosts.h[c->src];
	hd = &a->hosts.h[c->dst];

	sl = local_is(&a->local, hs, c->src);
	dl = local_is(&a->local, hd, c->dst);
	if (!sl)
		c->flags |= CF_SRC_REMOTE;
	if (!dl)
		c->flags |= CF_DST_REMOTE;
	if (sl && dl)
		c->flags |= CF_ALL_LOCAL;
	else if (!sl && !dl && hs->country == hd->country)
		c->flags |= CF_SAME_COUNTRY;

	if (p->tcp_flags >= 0) {
		bool syn = p->tcp_flags & 0x02, ack = p->tcp_flags & 0x10;

		if (syn && !ack) {
			c->flags |= CF_SYN;
			if (p->has_dst_port && c->src && c->dst) {
				if (pairs_add(&a->pairs, c->src, c->dst, c->dport, &stored))
					hs->targets++;
				if (stored)
					c->flags |= CF_PAIR;
			}
		} else if (syn)
			c->flags |= CF_SYNACK;
		else if (ack)
			c->flags |= CF_ACK;
	}
	if (p->dns == DNS_QUERY)
		c->flags |= CF_DNSQ;
	else if (p->dns == DNS_RESPONSE)
		c->flags |= CF_DNSR;

	apply(a, c, 1);
	a->n++;
	local_guess(&a->local, &a->hosts, c->src, a->n);
	local_guess(&a->local, &a->hosts, c->dst, a->n);
	if (c->flags & (CF_SYN | CF_SYNACK | CF_DNSR)) {
		alerts_check(a, c->src, p->ts);
		alerts_check(a, c->dst, p->ts);
	}
}
