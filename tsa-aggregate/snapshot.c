/*
 * A snapshot of the window (docs/stream.md "Snapshot records"): the lists
 * are worked out from the tables at snapshot time, into the library's
 * struct snapshot, which lib/snapshot_put.c packs.  One pass over the host
 * table, and a bisection of a sliding window per bandwidth bucket (the
 * whole-stream window's bandwidth is cut from its fine buckets).  The work
 * space is allocated at the first snapshot and reused.
 */
#include <math.h>
#include <stdlib.h>

#include "agg.h"

#define SET_MAX 8		/* countries, OS labels, apps, dists per domain */
#define ALIAS_MAX 15

struct dgroup {
	uint32_t root, best, hosts;
	uint64_t packets, bytes, bestp;
	uint16_t cc[SET_MAX], os[SET_MAX], app[SET_MAX];
	uint8_t dist[SET_MAX];
	uint8_t ncc, nos, napp, ndist;
};

struct scratch {
	uint32_t *order;		/* host slots */
	uint32_t *byc;			/* remote host slots by country (fill_detail) */
	uint32_t *gidx;			/* domain root -> dgroup + 1 */
	uint64_t *mpackets;		/* domain id -> packets of its hosts */
	uint32_t *touched, ntouched;	/* domain ids used */
	uint32_t *hdomain;		/* host slot -> domain id */
	struct dgroup *groups;
	uint32_t ngroups;
	uint64_t *ospackets;
	uint32_t *oshosts;
	uint16_t *osclass, *osorder;
	uint64_t *bbytes;
	struct mp_buf alert;		/* one alert, packed */
};

static struct scratch *scratch(struct agg *a)
{
	struct scratch *s = a->scratch;
	uint32_t dcap = domains_cap(a->domains), nl = 65536;

	if (s)
		return s;
	s = tsa_calloc(1, sizeof *s);
	s->order = tsa_malloc(a->hosts.cap * sizeof *s->order);
	s->byc = tsa_malloc(a->hosts.cap * sizeof *s->byc);
	s->hdomain = tsa_malloc(a->hosts.cap * sizeof *s->hdomain);
	s->groups = tsa_malloc(a->hosts.cap * sizeof *s->groups);
	s->gidx = tsa_calloc(dcap, sizeof *s->gidx);
	s->mpackets = tsa_calloc(dcap, sizeof *s->mpackets);
	s->touched = tsa_malloc(dcap * sizeof *s->touched);
	s->ospackets = tsa_calloc(nl, sizeof *s->ospackets);
	s->oshosts = tsa_calloc(nl, sizeof *s->oshosts);
	s->osclass = tsa_calloc(nl, sizeof *s->osclass);
	s->osorder = tsa_malloc(nl * sizeof *s->osorder);
	s->bbytes = tsa_calloc(a->buckets, sizeof *s->bbytes);
	a->scratch = s;
	return s;
}

/* A label's text, owned by the snapshot; NULL for none (id 0). */
static char *label(const struct agg *a, uint16_t id)
{
	size_t n;
	const char *s;

	if (!id)
		return NULL;
	s = labels_str(&a->labels, id, &n);
	return tsa_strndup(s, n);
}

static char *country(uint16_t i)
{
	char cc[3];

	return tsa_strdup(country_name(i, cc));
}

static char *domain(const struct agg *a, uint32_t id)
{
	size_t n;
	const char *s = domains_name(a->domains, id, &n);

	return tsa_strndup(s, n);
}

/* Rows for a list of n (at least one, so that no list is NULL). */
static void *rows(size_t n, size_t size)
{
	return tsa_calloc(n ? n : 1, size);
}

/* ---- sorting (qsort with a context through a static: snapshots are rare) ---- */

static const struct agg *sort_agg;

static int by_country(const void *x, const void *y)
{
	const struct country *c = sort_agg->countries;
	uint16_t i = *(const uint16_t *)x, j = *(const uint16_t *)y;

	if (c[i].packets != c[j].packets)
		return c[i].packets > c[j].packets ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int by_host(const void *x, const void *y)
{
	const struct host *h = sort_agg->hosts.h;
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;

	if (h[i].packets != h[j].packets)
		return h[i].packets > h[j].packets ? -1 : 1;
	if (h[i].bytes != h[j].bytes)
		return h[i].bytes > h[j].bytes ? -1 : 1;
	if (h[i].alen != h[j].alen)
		return h[i].alen < h[j].alen ? -1 : 1;
	return memcmp(h[i].addr, h[j].addr, h[i].alen);
}

static int by_group(const void *x, const void *y)
{
	const struct dgroup *g = x, *k = y;
	size_t n1, n2;
	const char *s1, *s2;
	int c;

	if (g->packets != k->packets)
		return g->packets > k->packets ? -1 : 1;
	s1 = domains_name(sort_agg->domains, g->best, &n1);
	s2 = domains_name(sort_agg->domains, k->best, &n2);
	c = memcmp(s1, s2, n1 < n2 ? n1 : n2);
	return c ? c : (n1 > n2) - (n1 < n2);
}

static const struct scratch *sort_scratch;

static int by_os(const void *x, const void *y)
{
	uint16_t i = *(const uint16_t *)x, j = *(const uint16_t *)y;
	const uint64_t *p = sort_scratch->ospackets;

	if (p[i] != p[j])
		return p[i] > p[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/*
 * Put the k first of n elements by cmp, sorted, at the front; the others
 * follow in no order.  Only the first k of the hosts and domains are
 * listed, and a window holds thousands of them: one compare each with the
 * k-th best so far, instead of a sort of all.  cmp must be a total order
 * (the lists have no ties) for the result to be what a full sort gives.
 */
static void top_k(void *base, size_t n, size_t size, size_t k,
    int (*cmp)(const void *, const void *))
{
	uint8_t *b = base, tmp[256];
	size_t i, lo, hi, mid;

	if (k >= n || size > sizeof tmp) {
		qsort(base, n, size, cmp);
		return;
	}
	if (k == 0)
		return;
	qsort(base, k, size, cmp);
	for (i = k; i < n; i++) {
		if (cmp(b + i * size, b + (k - 1) * size) >= 0)
			continue;
		/* Insert it among the k; the k-th best takes its place. */
		for (lo = 0, hi = k - 1; lo < hi;) {
			mid = (lo + hi) / 2;
			if (cmp(b + i * size, b + mid * size) < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		memcpy(tmp, b + i * size, size);
		memcpy(b + i * size, b + (k - 1) * size, size);
		memmove(b + (lo + 1) * size, b + lo * size, (k - 1 - lo) * size);
		memcpy(b + lo * size, tmp, size);
	}
}

/* ---- sections ---- */

/* The countries below index upto with packets, into list by packets;
 * how many. */
static uint16_t countries_by_packets(const struct agg *a, uint16_t *list,
    uint16_t upto)
{
	uint16_t i, n = 0;

	for (i = 0; i < upto; i++)
		if (a->countries[i].packets)
			list[n++] = i;
	sort_agg = a;
	qsort(list, n, sizeof *list, by_country);
	return n;
}

static void fill_countries(struct agg *a, struct snapshot *snap)
{
	uint16_t list[NCOUNTRY], i, n = countries_by_packets(a, list, NCOUNTRY);

	snap->countries = rows(n, sizeof *snap->countries);
	snap->ncountries = n;
	for (i = 0; i < n; i++) {
		const struct country *c = &a->countries[list[i]];

		snap->countries[i] = (struct country_row){ country(list[i]),
		    c->packets, c->bytes, c->hosts };
	}
}

static int by_svc(const void *x, const void *y)
{
	const struct svc_count *a = *(const struct svc_count *const *)x;
	const struct svc_count *b = *(const struct svc_count *const *)y;

	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? 1 : -1;
	return a < b ? -1 : a > b;	/* the table's order: stable output */
}

/* "apps": every application of counts (NAPPS of them) with packets. */
static struct app_row *app_list(const struct svc_count *apps, size_t *napps)
{
	const struct svc_count *list[NAPPS];
	struct app_row *r;
	uint32_t i, n = 0;

	for (i = 0; i < NAPPS; i++)
		if (apps[i].packets)
			list[n++] = &apps[i];
	qsort(list, n, sizeof *list, by_svc);
	r = rows(n, sizeof *r);
	for (i = 0; i < n; i++)
		r[i] = (struct app_row){ tsa_strdup(app_names[list[i] - apps]),
		    list[i]->packets, list[i]->bytes };
	*napps = n;
	return r;
}

/* Every application of the window, then the top server ports; by packets. */
static void fill_apps(struct agg *a, struct snapshot *snap)
{
	const struct svc_count *top[TOP_PORTS + 1];
	uint32_t i, ntop = 0;

	snap->apps = app_list(a->apps, &snap->napps);
	/* The top TOP_PORTS of 2 x 65536 counters, by insertion into a
	 * sorted list: a few hundred thousand steps a snapshot. */
	for (i = 0; i < 2u << 16; i++) {
		const struct svc_count *c = &a->ports[i];
		uint32_t k;

		if (!c->packets || (ntop == TOP_PORTS &&
		    by_svc(&c, &top[ntop - 1]) >= 0))
			continue;
		for (k = ntop < TOP_PORTS ? ntop++ : TOP_PORTS - 1;
		    k > 0 && by_svc(&c, &top[k - 1]) < 0; k--)
			top[k] = top[k - 1];
		top[k] = c;
	}
	snap->ports = rows(ntop, sizeof *snap->ports);
	snap->nports = ntop;
	for (i = 0; i < ntop; i++) {
		uint32_t at = (uint32_t)(top[i] - a->ports);
		unsigned proto = (at >> 16) + 1, port = at & 0xffff;
		uint8_t app = app_of_port(proto, port);

		snap->ports[i] = (struct port_row){ port,
		    tsa_strdup(proto == PROTO_TCP ? "tcp" : "udp"),
		    app != APP_NONE ? tsa_strdup(app_names[app]) : NULL,
		    top[i]->packets, top[i]->bytes };
	}
}

/* A remote host with coordinates, by its cell of 0.1 degrees. */
struct cell {
	int32_t y, x;
	uint32_t slot;
};

struct loc {
	uint32_t best;			/* the slot with most packets: names it */
	uint64_t packets, bytes;
	uint32_t hosts;
};

static int by_cell(const void *p, const void *q)
{
	const struct cell *a = p, *b = q;

	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return a->slot < b->slot ? -1 : a->slot > b->slot;
}

static int by_loc(const void *p, const void *q)
{
	const struct loc *a = p, *b = q;

	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	return a->best < b->best ? -1 : a->best > b->best;
}

/*
 * Locations: the window's remote hosts with coordinates (a City database)
 * grouped by cells of 0.1 degrees (about 10 km), the top TOP_LOCATIONS by
 * packets, each at the coordinates and city of its host with most
 * packets.  Per snapshot, not per packet: a sort of the remote hosts.
 */
static void fill_locations(struct agg *a, struct snapshot *snap,
    const uint32_t *order, uint32_t nremote)
{
	struct cell *c = tsa_malloc((nremote ? nremote : 1) * sizeof *c);
	struct loc *l = tsa_malloc((nremote ? nremote : 1) * sizeof *l);
	uint32_t n = 0, nl = 0, i, top;

	for (i = 0; i < nremote; i++) {
		const struct host *h = &a->hosts.h[order[i]];
		if (h->facts & HF_LOC)
			c[n++] = (struct cell){ (int32_t)lroundf(h->lat * 10),
			    (int32_t)lroundf(h->lon * 10), order[i] };
	}
	qsort(c, n, sizeof *c, by_cell);
	for (i = 0; i < n; i++) {
		const struct host *h = &a->hosts.h[c[i].slot];
		if (!i || c[i].y != c[i - 1].y || c[i].x != c[i - 1].x)
			l[nl++] = (struct loc){ c[i].slot, 0, 0, 0 };
		l[nl - 1].packets += h->packets;
		l[nl - 1].bytes += h->bytes;
		l[nl - 1].hosts++;
		if (h->packets > a->hosts.h[l[nl - 1].best].packets)
			l[nl - 1].best = c[i].slot;
	}
	top = nl < TOP_LOCATIONS ? nl : TOP_LOCATIONS;
	top_k(l, nl, sizeof *l, top, by_loc);
	snap->locs = rows(top, sizeof *snap->locs);
	snap->nlocs = top;
	for (i = 0; i < top; i++) {
		const struct host *h = &a->hosts.h[l[i].best];

		/* (to 4 decimals, some 10 m: the float's own digits are noise) */
		snap->locs[i] = (struct loc_row){
			.lat = round(h->lat * 1e4) / 1e4, .has_lat = true,
			.lon = round(h->lon * 1e4) / 1e4, .has_lon = true,
			.city = label(a, h->city), .country = country(h->country),
			.packets = l[i].packets, .bytes = l[i].bytes,
			.hosts = l[i].hosts };
	}
	free(c);
	free(l);
}

struct org {
	uint32_t asn, best;		/* best: its host with most packets */
	uint64_t packets, bytes;
	uint32_t hosts;
};

static int by_asn(const void *p, const void *q)
{
	const struct org *a = p, *b = q;

	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

static int by_org(const void *p, const void *q)
{
	const struct org *a = p, *b = q;

	if (a->packets != b->packets)
		return a->packets < b->packets ? 1 : -1;
	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

/* The window's remote hosts by autonomous system (an ASN database): the
 * top TOP_ORGS by packets, each named as its host with most packets says. */
static void fill_orgs(struct agg *a, struct snapshot *snap,
    const uint32_t *order, uint32_t nremote)
{
	struct org *o = tsa_malloc((nremote ? nremote : 1) * sizeof *o);
	uint32_t n = 0, k = 0, i, top;

	for (i = 0; i < nremote; i++) {
		const struct host *h = &a->hosts.h[order[i]];
		if (h->asn)
			o[n++] = (struct org){ h->asn, order[i], h->packets,
			    h->bytes, 1 };
	}
	qsort(o, n, sizeof *o, by_asn);
	for (i = 0; i < n; i++) {
		if (k && o[k - 1].asn == o[i].asn) {
			o[k - 1].packets += o[i].packets;
			o[k - 1].bytes += o[i].bytes;
			o[k - 1].hosts++;
			if (a->hosts.h[o[i].best].packets >
			    a->hosts.h[o[k - 1].best].packets)
				o[k - 1].best = o[i].best;
		} else
			o[k++] = o[i];
	}
	top = k < TOP_ORGS ? k : TOP_ORGS;
	top_k(o, k, sizeof *o, top, by_org);
	snap->orgs = rows(top, sizeof *snap->orgs);
	snap->norgs = top;
	for (i = 0; i < top; i++)
		snap->orgs[i] = (struct org_row){ o[i].asn,
		    label(a, a->hosts.h[o[i].best].org), o[i].packets,
		    o[i].bytes, o[i].hosts };
	free(o);
}

static void set_add16(uint16_t *set, uint8_t *n, uint16_t v)
{
	uint8_t i;

	for (i = 0; i < *n; i++)
		if (set[i] == v)
			return;
	if (*n < SET_MAX)
		set[(*n)++] = v;
}

/* Group the remote hosts hosts[0..n) by alias group of their domain. */
static void group_domains(struct agg *a, struct scratch *s,
    const uint32_t *hosts, uint32_t n)
{
	uint32_t i, id, r;
	struct dgroup *g;

	s->ngroups = 0;
	s->ntouched = 0;
	for (i = 0; i < n; i++) {
		const struct host *h = &a->hosts.h[hosts[i]];

		id = s->hdomain[hosts[i]];
		if (!id)
			continue;
		if (!s->mpackets[id])
			s->touched[s->ntouched++] = id;
		s->mpackets[id] += h->packets;
		r = domains_root(a->domains, id);
		if (!s->gidx[r]) {
			g = &s->groups[s->ngroups++];
			memset(g, 0, sizeof *g);
			g->root = r;
			s->gidx[r] = s->ngroups;
		}
		g = &s->groups[s->gidx[r] - 1];
		g->hosts++;
		g->packets += h->packets;
		g->bytes += h->bytes;
		set_add16(g->cc, &g->ncc, h->country);
		if (h->os)
			set_add16(g->os, &g->nos, h->os);
		if (h->app)
			set_add16(g->app, &g->napp, h->app);
		if (h->dist != 0xff) {
			uint8_t k;

			for (k = 0; k < g->ndist && g->dist[k] != h->dist; k++)
				;
			if (k == g->ndist && g->ndist < SET_MAX)
				g->dist[g->ndist++] = h->dist;
		}
	}
	/* The group shows as its member with the most packets. */
	for (i = 0; i < s->ntouched; i++) {
		id = s->touched[i];
		g = &s->groups[s->gidx[domains_root(a->domains, id)] - 1];
		if (s->mpackets[id] > g->bestp ||
		    (s->mpackets[id] == g->bestp && id < g->best)) {
			g->bestp = s->mpackets[id];
			g->best = id;
		}
	}
}

/* A list of labels (a domain's OS or applications). */
static void label_list(const struct agg *a, struct strlist *l,
    const uint16_t *ids, uint8_t n)
{
	l->v = rows(n, sizeof *l->v);
	for (l->n = 0; l->n < n; l->n++)
		l->v[l->n] = label(a, ids[l->n]);
}

static void fill_domain(struct agg *a, struct domain_row *d,
    const struct dgroup *g)
{
	uint32_t m, k, naliases = 0, aliases[ALIAS_MAX];

	for (m = domains_next(a->domains, g->root), k = 0;
	    naliases < ALIAS_MAX && k < 1000; m = domains_next(a->domains, m), k++) {
		if (m != g->best)
			aliases[naliases++] = m;
		if (m == g->root)
			break;
	}
	d->domain = domain(a, g->best);
	d->aliases.v = rows(naliases, sizeof *d->aliases.v);
	for (d->aliases.n = 0; d->aliases.n < naliases; d->aliases.n++)
		d->aliases.v[d->aliases.n] = domain(a, aliases[d->aliases.n]);
	d->packets = g->packets;
	d->bytes = g->bytes;
	d->hosts = g->hosts;
	d->countries.v = rows(g->ncc, sizeof *d->countries.v);
	for (d->countries.n = 0; d->countries.n < g->ncc; d->countries.n++)
		d->countries.v[d->countries.n] = country(g->cc[d->countries.n]);
	label_list(a, &d->os, g->os, g->nos);
	label_list(a, &d->apps, g->app, g->napp);
	d->dists = rows(g->ndist, sizeof *d->dists);
	for (d->ndists = 0; d->ndists < g->ndist; d->ndists++)
		d->dists[d->ndists] = g->dist[d->ndists];
}

static void fill_host(struct agg *a, struct host_row *r, uint32_t slot,
    uint32_t dom)
{
	const struct host *h = &a->hosts.h[slot];

	memcpy(r->addr, h->addr, h->alen);
	r->addrlen = h->alen;
	r->country = country(h->country);
	r->os = label(a, h->os);
	r->os_class = label(a, h->os_class);
	r->app = label(a, h->app);
	r->has_dist = h->dist != 0xff;
	r->dist = r->has_dist ? h->dist : 0;
	r->link = label(a, h->link);
	r->mtu = h->mtu;
	r->lang = label(a, h->lang);
	r->has_uptime = h->facts & HF_UPTIME;
	r->uptime_min = r->has_uptime ? h->uptime_min : 0;
	r->nat = h->facts & HF_NAT;
	r->has_seen = true;
	r->first_seen = stime_of_ns(h->first_ts);
	r->last_seen = stime_of_ns(h->last_ts);
	r->domain = dom ? domain(a, dom) : NULL;
	r->packets = h->packets;
	r->bytes = h->bytes;
}

/* "os": the OS labels of hosts[0..nhosts), by packets. */
static struct os_row *fill_os(struct agg *a, struct scratch *s,
    const uint32_t *hosts, uint32_t nhosts, size_t *nos)
{
	struct os_row *r;
	uint32_t i, n = 0;

	for (i = 0; i < nhosts; i++) {
		const struct host *h = &a->hosts.h[hosts[i]];

		if (!h->os)
			continue;
		if (!s->oshosts[h->os])
			s->osorder[n++] = h->os;
		s->oshosts[h->os]++;
		s->ospackets[h->os] += h->packets;
		if (h->os_class)
			s->osclass[h->os] = h->os_class;
	}
	sort_scratch = s;
	qsort(s->osorder, n, sizeof *s->osorder, by_os);
	r = rows(n, sizeof *r);
	for (i = 0; i < n; i++) {
		uint16_t id = s->osorder[i];

		r[i] = (struct os_row){ label(a, id), label(a, s->osclass[id]),
		    s->oshosts[id], s->ospackets[id] };
		s->oshosts[id] = 0;
		s->ospackets[id] = 0;
		s->osclass[id] = 0;
	}
	*nos = n;
	return r;
}

/* "domains": the top alias groups of the domains of hosts[0..n). */
static struct domain_row *fill_domains(struct agg *a, struct scratch *s,
    const uint32_t *hosts, uint32_t n, uint32_t top, size_t *ndomains)
{
	struct domain_row *r;
	uint32_t i, ntop;

	group_domains(a, s, hosts, n);
	sort_agg = a;
	top_k(s->groups, s->ngroups, sizeof *s->groups, top, by_group);
	ntop = s->ngroups < top ? s->ngroups : top;
	r = rows(ntop, sizeof *r);
	for (i = 0; i < ntop; i++)
		fill_domain(a, &r[i], &s->groups[i]);
	for (i = 0; i < s->ngroups; i++)
		s->gidx[s->groups[i].root] = 0;
	for (i = 0; i < s->ntouched; i++)
		s->mpackets[s->touched[i]] = 0;
	*ndomains = ntop;
	return r;
}

/* "hosts": the top of the remote hosts hosts[0..n), which it reorders. */
static struct host_row *fill_hosts(struct agg *a, struct scratch *s,
    uint32_t *hosts, uint32_t n, uint32_t top, size_t *nhosts)
{
	struct host_row *r;
	uint32_t i, ntop = n < top ? n : top;

	sort_agg = a;
	top_k(hosts, n, sizeof *hosts, top, by_host);
	r = rows(ntop, sizeof *r);
	for (i = 0; i < ntop; i++)
		fill_host(a, &r[i], hosts[i], s->hdomain[hosts[i]]);
	*nhosts = ntop;
	return r;
}

/*
 * "country_detail": for each of the top detail_countries countries by
 * packets, what its page shows (tsa-plot's country-XX.html), in the
 * layout of the window's own lists: its top detail_top remote hosts and
 * domains, the OS of its remote hosts, the applications of the packets
 * with a remote endpoint in it.  The remote hosts are put in country order
 * first (a counting sort into byc), so each country's are one slice that
 * the window's functions walk as they walk all.  Work: one pass over the
 * remote hosts, and each slice's.  The local and unknown "countries" have
 * no page, so no detail.
 */
static void fill_detail(struct agg *a, struct snapshot *snap,
    struct scratch *s, uint32_t nremote)
{
	uint16_t list[NCOUNTRY], rank[NCOUNTRY];
	uint32_t at[NCOUNTRY + 1], i, nc, total;
	uint32_t n = countries_by_packets(a, list, C_LOCAL);

	nc = n < a->detail_countries ? n : a->detail_countries;
	memset(rank, 0, sizeof rank);
	memset(at, 0, (nc + 1) * sizeof *at);
	for (i = 0; i < nc; i++)
		rank[list[i]] = (uint16_t)(i + 1);
	/* at[r]: the count of rank r's hosts, then where its slice ends,
	   then (filled from the end) where it begins */
	for (i = 0; i < nremote; i++)
		at[rank[a->hosts.h[s->order[i]].country]]++;
	at[0] = 0;			/* (the countries without detail) */
	for (i = 1; i <= nc; i++)
		at[i] += at[i - 1];
	total = at[nc];
	for (i = 0; i < nremote; i++) {
		uint16_t r = rank[a->hosts.h[s->order[i]].country];

		if (r)
			s->byc[--at[r]] = s->order[i];
	}
	snap->detail = rows(nc, sizeof *snap->detail);
	snap->ndetail = nc;
	for (i = 0; i < nc; i++) {
		struct country_detail *d = &snap->detail[i];
		uint32_t *slice = s->byc + at[i + 1];
		uint32_t len = (i + 1 < nc ? at[i + 2] : total) - at[i + 1];

		d->country = country(list[i]);
		d->hosts = fill_hosts(a, s, slice, len, a->detail_top, &d->nhosts);
		d->domains = fill_domains(a, s, slice, len, a->detail_top,
		    &d->ndomains);
		d->os = fill_os(a, s, slice, len, &d->nos);
		d->apps = app_list(a->capps + (size_t)list[i] * NAPPS,
		    &d->napps);
	}
}

/* The first of the window's packets from i on at or after t. */
static uint32_t first_at(const struct agg *a, uint32_t i, int64_t t)
{
	uint32_t hi = a->n, mid;

	while (i < hi) {
		mid = i + (hi - i) / 2;
		if (a->ring[ring_pos(a, mid)].ts < t)
			i = mid + 1;
		else
			hi = mid;
	}
	return i;
}

/*
 * Bytes of the window's packets i to e - 1: a difference of running totals,
 * so that a bucket costs its bisection, not a pass over its packets.
 */
static uint64_t bytes_of(const struct agg *a, uint32_t i, uint32_t e)
{
	const struct contrib *first, *last;

	if (i >= e)
		return 0;
	first = &a->ring[ring_pos(a, i)];
	last = &a->ring[ring_pos(a, e - 1)];
	return last->cum - first->cum + first->len;
}

/*
 * The bandwidth map: the buckets' bytes in s->bbytes, from `start` (NULL:
 * no start, an empty stream), each bucket_ns wide; the average over the
 * window's span.
 */
static void fill_bw(struct agg *a, struct snapshot *snap, struct scratch *s,
    const int64_t *start, uint64_t bucket_ns, uint64_t bytes, double span_ns)
{
	struct bandwidth *bw = &snap->bw;
	uint32_t i;
	double secs = (double)bucket_ns / NS;

	if ((bw->has_start = start != NULL))
		bw->start = stime_of_ns(*start);
	bw->bucket_ns = bucket_ns;
	bw->bps = rows(a->buckets, sizeof *bw->bps);
	bw->bytes = rows(a->buckets, sizeof *bw->bytes);
	bw->nbps = bw->nbytes = a->buckets;
	for (i = 0; i < a->buckets; i++) {
		bw->bps[i] = span_ns > 0 ? (double)s->bbytes[i] * 8 / secs : 0;
		bw->bytes[i] = s->bbytes[i];
	}
	bw->avg_bps = span_ns > 0 ? (double)bytes * 8 / (span_ns / NS) : 0;
	bw->has_avg = true;
}

static void fill_bandwidth(struct agg *a, struct snapshot *snap,
    struct scratch *s, int64_t start, int64_t end)
{
	/* (a difference of stream times, which record.c keeps below 2^63) */
	uint64_t span = (uint64_t)end - (uint64_t)start, bucket;
	uint32_t i, j, e;

	if (a->kind == WIN_ALL) {
		bucket = fine_cut(&a->fine, end, a->buckets, s->bbytes);
		fill_bw(a, snap, s, &a->fine.t0, bucket, a->bytes, (double)span);
		return;
	}
	bucket = span / a->buckets;
	if (bucket == 0)
		bucket = 1;
	/*
	 * The first bucket takes what is before start, the last what is after.
	 * The window's times do not decrease from head to tail (agg_add), so a
	 * bucket's packets are a run of them, found by bisection.
	 */
	for (i = j = 0; j < a->buckets; j++, i = e) {
		e = j + 1 < a->buckets ?
		    first_at(a, i, start + (int64_t)((j + 1) * bucket)) : a->n;
		s->bbytes[j] = bytes_of(a, i, e);
	}
	fill_bw(a, snap, s, &start, bucket, bytes_of(a, 0, a->n), (double)span);
}

/* Host h's alerts as rows, each packed as alerts.c packs it, after *n. */
static void fill_alerts(struct snapshot *snap, struct scratch *s, size_t *n,
    const struct host *h, int64_t start, int64_t end)
{
	uint8_t bit;

	for (bit = 1; bit <= AL_SCAN; bit <<= 1) {
		struct alert_row *r = &snap->alerts[*n];

		if (!(h->alerts & bit))
			continue;
		s->alert.len = 0;
		alerts_put(&s->alert, h, bit, start, end, false);
		r->raw = tsa_malloc(s->alert.len);
		memcpy(r->raw, s->alert.p, s->alert.len);
		r->rawlen = s->alert.len;
		(*n)++;
	}
}

/*
 * The snapshot's first keys, up to the totals: the window's bounds (absent
 * for a stream without packets or a time), what it is, and what a reader
 * must know of it.
 */
static void fill_head(struct agg *a, struct snapshot *snap,
    const int64_t *start, int64_t end, enum snap_kind kind, uint64_t packets,
    uint64_t bytes)
{
	const struct host *ovf = a->hosts.h;

	if ((snap->has_bounds = start != NULL)) {
		snap->start = stime_of_ns(*start);
		snap->end = stime_of_ns(end);
	}
	if (a->kind == WIN_COUNT)
		snap->window_packets = a->window_count;
	else
		snap->window = tsa_strdup(a->window_text);
	snap->final = kind == SNAP_FINAL;
	/* the input ended without its end record, or said it was incomplete */
	snap->incomplete = snap->final && !tsa_input_complete();
	snap->epoch_end = kind == SNAP_EPOCH_END;
	snap->epoch = a->epochs;
	/* every packet from complete_from on is in; of those before, not all */
	if ((snap->has_complete = a->kind == WIN_TIME && a->cut && start &&
	    a->cut_ts >= *start))
		snap->complete_from = stime_of_ns(a->cut_ts + 1);
	snap->out_of_order = a->late;
	snap->hosts_overflow = ovf[OVF_SRC].packets + ovf[OVF_DST].packets;
	snap->packets = packets;
	snap->bytes = bytes;
}

/* Pack snap, the window's next snapshot, and let it go. */
static void write_snapshot(struct agg *a, struct snapshot *snap)
{
	snapshot_put(tsa_out(a->w), snap);
	tsa_wrote(a->w);
	snapshot_free(snap);
	a->snapshots++;
}

void agg_snapshot_empty(struct agg *a)
{
	struct scratch *s = scratch(a);
	struct snapshot snap = { 0 };
	int64_t t = 0;
	bool have = false;

	/* The stats record's time, when it is within the times a packet can have. */
	if (a->have_stats_time && a->stats_sec > -INT64_MAX / 2 / NS &&
	    a->stats_sec < INT64_MAX / 2 / NS) {
		t = a->stats_sec * NS + a->stats_nsec;
		have = true;
	}
	fill_head(a, &snap, have ? &t : NULL, t, SNAP_FINAL, 0, 0);
	memset(s->bbytes, 0, a->buckets * sizeof *s->bbytes);
	fill_bw(a, &snap, s, have ? &t : NULL, 0, 0, 0);
	write_snapshot(a, &snap);
}

void agg_snapshot(struct agg *a, int64_t end, enum snap_kind kind)
{
	struct scratch *s = scratch(a);
	struct snapshot snap = { 0 };
	int64_t start;
	uint32_t i, nhosts = 0, nremote, nalerts = 0;
	struct host *h;

	if (a->window_ns)
		agg_evict_before(a, end - a->window_ns);
	start = agg_window_start(a, end);

	/* Remote hosts first (they make the hosts and domains tables), then local. */
	for (i = 0; i < a->hosts.nlive; i++) {
		uint32_t slot = a->hosts.live[i];

		h = &a->hosts.h[slot];
		if (h->rpackets && !local_is(&a->local, h, slot))
			s->order[nhosts++] = slot;
	}
	nremote = nhosts;
	for (i = 0; i < a->hosts.nlive; i++) {
		uint32_t slot = a->hosts.live[i];

		h = &a->hosts.h[slot];
		if (!(h->rpackets && !local_is(&a->local, h, slot)))
			s->order[nhosts++] = slot;
	}
	for (i = 0; i < nhosts; i++) {
		h = &a->hosts.h[s->order[i]];
		if (h->alerts) {	/* (few hosts have any) */
			h->alerts &= alerts_holding(a, h);
			nalerts += (uint32_t)alerts_count(h->alerts);
		}
		s->hdomain[s->order[i]] = i < nremote ?
		    domains_of(a->domains, h->addr, h->alen) : 0;
	}

	fill_head(a, &snap, &start, end, kind, agg_packets(a),
	    a->kind == WIN_ALL ? a->bytes : bytes_of(a, 0, a->n));
	fill_countries(a, &snap);
	snap.domains = fill_domains(a, s, s->order, nremote, a->top_domains,
	    &snap.ndomains);
	snap.os = fill_os(a, s, s->order, nhosts, &snap.nos);
	snap.hosts = fill_hosts(a, s, s->order, nremote, a->top_hosts,
	    &snap.nhosts);
	fill_detail(a, &snap, s, nremote);
	fill_apps(a, &snap);
	fill_locations(a, &snap, s->order, nremote);
	fill_orgs(a, &snap, s->order, nremote);
	fill_bandwidth(a, &snap, s, start, end);

	/*
	 * Alerts: of the remote hosts in the order of the hosts list, then of
	 * the local ones.  The remote ones with alerts are few: sort them
	 * (into the front of `order`, whose remote part is done with).
	 */
	snap.alerts = rows(nalerts, sizeof *snap.alerts);
	if (nalerts) {
		uint32_t nal = 0;

		for (i = 0; i < nremote; i++)
			if (a->hosts.h[s->order[i]].alerts)
				s->order[nal++] = s->order[i];
		qsort(s->order, nal, sizeof *s->order, by_host);
		for (i = 0; i < nal; i++)
			fill_alerts(&snap, s, &snap.nalerts,
			    &a->hosts.h[s->order[i]], start, end);
		for (i = nremote; i < nhosts; i++)
			fill_alerts(&snap, s, &snap.nalerts,
			    &a->hosts.h[s->order[i]], start, end);
	}
	write_snapshot(a, &snap);
}
