/*
 * The window.  A sliding one is a ring of what each packet added (struct
 * contrib), so that a packet leaving the window takes away exactly what it
 * brought, in O(1), whatever the tables or the local-host guess have done
 * since.  A count window holds the last N; a time window drops
 * contributions older than the window, and is cut short (counted in
 * evicted_early) if more than MaxWindowPackets arrive within it.  The
 * whole-stream window applies the same contributions and keeps none.
 */
#include "agg.h"

uint16_t country_index(const uint8_t *cc)
{
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
 * all-local one.  Adjust the countries' host counts around a change.  An
 * overflow slot (no address) is no host.
 */
static void member(struct agg *a, const struct host *h, int d)
{
	if (h->alen == 0)
		return;
	if (h->rpackets)
		a->countries[h->country].hosts += (uint32_t)d;
	if (h->lpackets && !(h->rpackets && h->country == C_LOCAL))
		a->countries[C_LOCAL].hosts += (uint32_t)d;
}

/*
 * Count a packet in (d = 1) or out (d = -1) of one of a host's two counts,
 * *n, its remote or its local packets.  Its memberships change only when
 * the count goes to or from zero, which most packets do not do.
 */
static inline void host_ref(struct agg *a, struct host *h, uint64_t *n, int d)
{
	if (*n == (d > 0 ? 0 : 1)) {
		member(a, h, -1);
		*n += (uint64_t)(int64_t)d;
		member(a, h, 1);
	} else {
		*n += (uint64_t)(int64_t)d;
	}
}

static inline void svc_add(struct svc_count *sc, uint64_t u, uint64_t db)
{
	sc->packets += u;
	sc->bytes += db;
}

static inline void country_add(struct agg *a, uint16_t c, uint32_t len, int d)
{
	a->countries[c].packets += (uint64_t)(int64_t)d;
	a->countries[c].bytes += (uint64_t)((int64_t)d * len);
}

/*
 * A host new to the window: what stays fixed while it is in it.  Also, in
 * the whole-stream window, an overflow slot's for this packet: nothing is
 * ever taken back there, so that an address the host table has no room for
 * still counts under its own country and side.
 */
static void host_new(struct agg *a, struct host *h, const struct pkt *p, int side)
{
	const struct mp_obj *cc = pkt_key(p, side, EK_COUNTRY, MP_STR);
	const struct mp_obj *lat = pkt_key(p, side, EK_LAT, MP_FLOAT);
	const struct mp_obj *lon = pkt_key(p, side, EK_LON, MP_FLOAT);
	const struct mp_obj *city = pkt_key(p, side, EK_CITY, MP_STR);
	const struct mp_obj *asn = pkt_key(p, side, EK_ASN, MP_UINT);
	const struct mp_obj *org = pkt_key(p, side, EK_ORG, MP_STR);

	h->localnet = local_net(&a->local, h->addr, h->alen);
	h->first_ts = p->ts;
	/* Where it is, like its country, fixed while it is in the window. */
	if (lat && lon && lat->f >= -90 && lat->f <= 90 && lon->f >= -180 &&
	    lon->f <= 180) {
		h->lat = (float)lat->f;
		h->lon = (float)lon->f;
		h->facts |= HF_LOC;
		if (city)
			labels_keep(&a->labels, &h->city, city);
	}
	/* Its network's AS (an ASN database), fixed the same way. */
	if (asn && asn->u > 0 && asn->u <= UINT32_MAX) {
		h->asn = (uint32_t)asn->u;
		if (org)
			labels_keep(&a->labels, &h->org, org);
	}
	if (cc && cc->len == 2)
		h->country = country_index(cc->ptr);
	else
		h->country = tsa_addr_scope(h->addr, h->alen) == TSA_SCOPE_PUBLIC ?
		    C_UNKNOWN : C_LOCAL;
}

/* What a packet tells of its endpoint s.  Inline: side is a constant at both calls. */
static inline __attribute__((always_inline)) void endpoint(struct agg *a,
    const struct pkt *p, int side, uint32_t s)
{
	struct host *h = &a->hosts.h[s];
	const struct mp_obj *o;

	if (s < HOST_FIRST) {
		if (a->kind == WIN_ALL)
			host_new(a, h, p, side);
		return;
	}
	if (h->packets == 0)
		host_new(a, h, p, side);
	if ((o = pkt_key(p, side, EK_OS, MP_STR)))
		labels_keep(&a->labels, &h->os, o);
	if ((o = pkt_key(p, side, EK_OS_CLASS, MP_STR)))
		labels_keep(&a->labels, &h->os_class, o);
	if ((o = pkt_key(p, side, EK_APP, MP_STR)))
		labels_keep(&a->labels, &h->app, o);
	if ((o = pkt_key(p, side, EK_DIST, MP_UINT)) && o->u < 255)
		h->dist = (uint8_t)o->u;
	/* (a packet older than the latest may come: min and max) */
	if (p->ts > h->last_ts)
		h->last_ts = p->ts;
	if (p->ts < h->first_ts)
		h->first_ts = p->ts;
	/* The security table's facts: rarer keys, one test for all. */
	if (p->ek >> (side * NEK) & (1u << EK_LINK | 1u << EK_LANG |
	    1u << EK_UPTIME | 1u << EK_NAT)) {
		if ((o = pkt_key(p, side, EK_LINK, MP_STR)))
			labels_keep(&a->labels, &h->link, o);
		if ((o = pkt_key(p, side, EK_LANG, MP_STR)))
			labels_keep(&a->labels, &h->lang, o);
		if ((o = pkt_key(p, side, EK_UPTIME, MP_UINT)) &&
		    o->u <= UINT32_MAX) {
			h->uptime_min = (uint32_t)o->u;
			h->facts |= HF_UPTIME;
		}
		if ((o = pkt_key(p, side, EK_NAT, MP_BOOL)) && o->b)
			h->facts |= HF_NAT;
	}
	/* Host records since it last looked: its own may be among them. */
	if (h->facts_seen != a->facts_serial)
		facts_sync(a, h);
}

/*
 * Apply (d = 1) or take back (d = -1) one contribution.  Inline: d is a
 * constant at both calls, which folds the products away.
 */
static inline __attribute__((always_inline)) void apply(struct agg *a,
    const struct contrib *c, int d)
{
	struct host *hs = &a->hosts.h[c->src], *hd = &a->hosts.h[c->dst];
	uint64_t u = (uint64_t)(int64_t)d;
	uint64_t db = (uint64_t)((int64_t)d * c->len);
	uint16_t f = c->flags;
	/* The application and server port (apps.c). */
	unsigned proto = f >> CF_PROTO_SHIFT & 3;
	uint8_t app = app_of(proto, c->dport, f >> CF_APPTYPE_SHIFT & 3);

	hs->packets += u;
	hs->bytes += db;
	if (c->dst != c->src) {
		hd->packets += u;
		hd->bytes += db;
	}
	if (f & CF_SRC_REMOTE) {
		country_add(a, hs->country, c->len, d);
		svc_add(&a->capps[hs->country * NAPPS + app], u, db);
		host_ref(a, hs, &hs->rpackets, d);
	}
	if (f & CF_DST_REMOTE) {
		if (!(f & CF_SAME_COUNTRY)) {
			country_add(a, hd->country, c->len, d);
			svc_add(&a->capps[hd->country * NAPPS + app], u, db);
		}
		host_ref(a, hd, &hd->rpackets, d);
	}
	svc_add(&a->apps[app], u, db);
	/* (port 0: no ports, a fragment held for its datagram) */
	if ((proto == PROTO_TCP || proto == PROTO_UDP) && c->dport)
		svc_add(&a->ports[(proto - 1) << 16 | c->dport], u, db);
	if (f & CF_ALL_LOCAL) {
		country_add(a, C_LOCAL, c->len, d);
		host_ref(a, hs, &hs->lpackets, d);
		if (c->dst != c->src)
			host_ref(a, hd, &hd->lpackets, d);
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

/* What few contributions have, taken out: a SYN target, lateness. */
static void evict_rare(struct agg *a, const struct contrib *c)
{
	if ((c->flags & CF_PAIR) && pairs_sub(&a->pairs, c->src, c->dst, c->dport))
		a->hosts.h[c->src].targets--;
	if (c->flags & CF_LATE)
		a->late--;
}

/* Take the oldest contribution out of the window.  Inline: per packet in agg_add. */
static inline __attribute__((always_inline)) void evict(struct agg *a)
{
	struct contrib *c = &a->ring[a->head];

	apply(a, c, -1);
	if (c->flags & (CF_PAIR | CF_LATE))
		evict_rare(a, c);
	/* A host whose packets fell to zero leaves (the overflow slots stay). */
	if (c->src >= HOST_FIRST && a->hosts.h[c->src].packets == 0)
		drop_host(a, c->src);
	if (c->dst >= HOST_FIRST && a->hosts.h[c->dst].packets == 0)
		drop_host(a, c->dst);
	a->head = a->head + 1 == a->ring_cap ? 0 : a->head + 1;
	a->n--;
}

/* Drop contributions older than t.  Inline: per packet in agg_add. */
static inline __attribute__((always_inline)) void evict_before(struct agg *a,
    int64_t t)
{
	while (a->n > 0 && a->ring[a->head].ts < t)
		evict(a);
}

void agg_evict_before(struct agg *a, int64_t t)
{
	evict_before(a, t);
}

void agg_evict_all(struct agg *a)
{
	agg_evict_before(a, INT64_MAX);	/* (times are below INT64_MAX / 2) */
}

int64_t agg_window_start(const struct agg *a, int64_t end)
{
	switch (a->kind) {
	case WIN_ALL:
		return a->first_ts;
	case WIN_TIME:
		return end - a->window_ns;
	default:
		return a->n ? a->ring[a->head].ts : end;
	}
}

void agg_start(struct agg *a, int64_t ts)
{
	a->started = true;
	a->first_ts = a->last_ts = ts;
	a->cut = false;
	if (a->kind == WIN_ALL)
		fine_start(&a->fine, ts);
}

/*
 * The ring starts small and doubles up to its limit, so that memory follows
 * the packets the window actually holds, not the limit.  It grows when
 * full, its packets running from head to the old end, then from 0 to
 * head.  realloc keeps them where they are (a large block is remapped, not
 * copied), and the shorter part moves to make one run of them again: the
 * front one after the old end (where it fits), or the back one to the new
 * end.
 */
static void grow(struct agg *a)
{
	uint32_t old = a->ring_cap, cap = old ? old : 4096;
	uint32_t front = a->head, back = old - a->head;

	cap = cap >= a->ring_max / 2 ? a->ring_max : 2 * cap;
	a->ring = tsa_realloc(a->ring, (size_t)cap * sizeof *a->ring);
	if (front <= back && front <= cap - old) {
		memcpy(a->ring + old, a->ring, (size_t)front * sizeof *a->ring);
	} else {
		memmove(a->ring + cap - back, a->ring + a->head, (size_t)back * sizeof *a->ring);
		a->head = cap - back;
	}
	a->ring_cap = cap;
}

/*
 * What a packet adds, into c: its endpoints (created if new), which of them
 * are local, its TCP and DNS flags, and its SYN target.  Inline: one copy
 * for each window.
 */
static inline __attribute__((always_inline)) void contribution(struct agg *a,
    const struct pkt *p, struct contrib *c)
{
	struct host *hs, *hd;
	bool sl, dl, stored;
	uint32_t src, dst;
	uint16_t f = 0;

	hosts_pair(&a->hosts, p, &src, &dst);
	endpoint(a, p, 0, src);
	endpoint(a, p, 1, dst);
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
			if (p->has_dst_port && src >= HOST_FIRST && dst >= HOST_FIRST) {
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
	/* A SYN's server port is its destination port, the one the pair
	 * table counts (CF_PAIR) and takes away again by c->dport. */
	c->flags = f | (uint16_t)(p->proto << CF_PROTO_SHIFT) |
	    (uint16_t)(p->app_type << CF_APPTYPE_SHIFT);
	c->dport = (uint16_t)app_server_port(p, p->proto);
}

/* After a packet is in: the local-host guess and the alerts. */
static inline __attribute__((always_inline)) void added(struct agg *a,
    const struct contrib *c, uint64_t n)
{
	local_guess(&a->local, &a->hosts, c->src, c->dst, n);
	if (c->flags & (CF_SYN | CF_SYNACK | CF_DNSR)) {
		alerts_check(a, c->src, c->ts);
		alerts_check(a, c->dst, c->ts);
	}
}

/* The whole stream: nothing leaves, so nothing is kept but totals. */
void agg_add_all(struct agg *a, const struct pkt *p)
{
	struct contrib c;

	contribution(a, p, &c);
	apply(a, &c, 1);
	a->packets++;
	a->bytes += p->len;
	if (p->ts < a->first_ts)
		a->first_ts = p->ts;
	fine_add(&a->fine, p->ts, a->last_ts, p->len);
	added(a, &c, a->packets);
}

void agg_add(struct agg *a, const struct pkt *p)
{
	struct contrib *c;

	/*
	 * Make room: what is older than a time window leaves, then the oldest
	 * if the ring is full and cannot grow.
	 */
	if (a->window_ns)
		evict_before(a, p->ts - a->window_ns);
	if (a->n == a->ring_cap) {
		if (a->ring_cap < a->ring_max)
			grow(a);
		else {
			if (a->window_ns) {
				a->evicted_early++;
				a->cut_ts = a->ring[a->head].ts;
				a->cut = true;
			}
			evict(a);
		}
	}
	c = &a->ring[ring_pos(a, a->n)];
	contribution(a, p, c);
	c->cum = a->cum += p->len;
	apply(a, c, 1);
	a->n++;
	added(a, c, a->n);
}

void agg_late(struct agg *a)
{
	if (a->kind != WIN_ALL)
		a->ring[ring_pos(a, a->n - 1)].flags |= CF_LATE;
	a->late++;
}
