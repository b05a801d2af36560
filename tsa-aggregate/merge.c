/*
 * --merge: combine the snapshots of several sensors into one, so that many
 * capture points feed one map.  Snapshots with the same window_end (the
 * sensors' schedules are aligned to multiples of Every, so synchronised
 * clocks give equal boundaries) are summed into one, and the final
 * snapshots into one; demux.c decides which, from the inputs.
 *
 * Sums: packets, bytes, per-country and per-domain packets and bytes, the
 * bandwidth buckets.  Distinct-host counts are added too, so a host that two
 * sensors see counts twice.  Hosts, domains and OS labels are merged by
 * address or name through a hash index, and cut to the top entries again.
 *
 * Each input is decoded by snapshot_decode (lib/snapshot.c) into a struct
 * snapshot, whose rows are added into the tables here; the sum is written
 * back as a struct snapshot by snapshot_put.  Everything comes from other
 * programs' output, possibly damaged or hostile: the decoder leaves a
 * damaged field empty; times stay msgpack's (seconds, nanoseconds), never
 * converted to a count of nanoseconds that a far year would overflow;
 * counts add up saturating; no float of the input is added (rates are
 * recomputed from bytes and times; a location's coordinates only name
 * it).  Not a per-record path: it allocates freely.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "agg.h"

#define SET_MAX 16
#define BUCKETS_MAX 100000

static uint64_t sat_add(uint64_t x, uint64_t y)
{
	return x + y < x ? UINT64_MAX : x + y;
}

/* The hash of an entry's key: keyed, the names and addresses come from the wire. */
static uint64_t key_hash(const void *p, size_t n)
{
	return tsa_hash_bytes(p, n);
}

struct strset {
	char *s[SET_MAX];
	int n;
};

/* An entry of a list: named (a country, domain, OS label, app, port,
 * location, org) or, a host, by its address. */
struct ment {
	char *name;			/* NULL for a host */
	size_t nlen;
	uint8_t addr[16];
	uint8_t alen;
	uint64_t hash;
	uint64_t packets, bytes, hosts, dist;
	bool has_dist;
	char *cls, *country, *os, *os_class, *app, *link, *lang;
	char *domain;			/* (a location's city, an org's name) */
	uint64_t uptime_min, mtu;	/* mtu: 0 unknown */
	bool has_uptime, nat, has_seen;
	struct stime first_seen, last_seen;
	struct strset countries, oss, apps, aliases;
	uint64_t dists[SET_MAX];
	int ndists;
};

/* Entries in the order they came, and a hash index over them (entry + 1; 0 empty). */
struct mlist {
	struct ment *e;
	size_t n, cap;
	uint32_t *index;
	size_t mask;
};

/* One input's bandwidth, kept until the merged one is cut. */
struct mbw {
	bool has_start;
	struct stime start;
	uint64_t bucket_ns;
	uint64_t *bytes;
	size_t n;
};

/* The lists a snapshot has for the window and for each country of its
 * detail (country_detail), summed alike. */
struct mdetail {
	struct mlist hosts, domains, os, apps;
};

struct msnap {
	bool have, final, incomplete, epoch_end;
	bool has_bounds, has_complete;
	struct stime start, end, complete_from;
	uint64_t packets, bytes, epoch, out_of_order, hosts_overflow;
	char *window;			/* the first input's: a duration, or */
	uint64_t window_packets;	/* a count of packets */
	struct mlist countries, ports, locations, orgs;
	struct mdetail lists;		/* the window's hosts, domains, os, apps */
	/* the countries with detail, and theirs: det[i] is dcountries.e[i]'s */
	struct mlist dcountries;
	struct mdetail *det;
	struct mbw *bw;
	size_t nbw;
	struct alert_row *alerts;	/* the inputs' alerts, in their order */
	size_t nalerts;
	uint64_t sensors;
};

static void set_add(struct strset *set, const char *s)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->s[i], s) == 0)
			return;
	if (set->n < SET_MAX)
		set->s[set->n++] = tsa_strdup(s);
}

static void set_free(struct strset *set)
{
	while (set->n)
		free(set->s[--set->n]);
}

static void ment_free(struct ment *e)
{
	free(e->name);
	free(e->cls);
	free(e->country);
	free(e->os);
	free(e->os_class);
	free(e->app);
	free(e->domain);
	free(e->link);
	free(e->lang);
	set_free(&e->countries);
	set_free(&e->oss);
	set_free(&e->apps);
	set_free(&e->aliases);
}

static void mlist_free(struct mlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		ment_free(&l->e[i]);
	free(l->e);
	free(l->index);
	memset(l, 0, sizeof *l);
}

static void mdetail_free(struct mdetail *d)
{
	mlist_free(&d->hosts);
	mlist_free(&d->domains);
	mlist_free(&d->os);
	mlist_free(&d->apps);
}

static void snap_free(struct msnap *s)
{
	size_t i;

	mlist_free(&s->countries);
	mdetail_free(&s->lists);
	mlist_free(&s->ports);
	mlist_free(&s->locations);
	mlist_free(&s->orgs);
	for (i = 0; i < s->dcountries.n; i++)
		mdetail_free(&s->det[i]);
	free(s->det);
	mlist_free(&s->dcountries);
	for (i = 0; i < s->nbw; i++)
		free(s->bw[i].bytes);
	free(s->bw);
	free(s->window);
	for (i = 0; i < s->nalerts; i++)
		alert_free(&s->alerts[i]);
	free(s->alerts);
	memset(s, 0, sizeof *s);
}

static bool ment_is(const struct ment *e, const uint8_t *name, size_t n,
    const uint8_t *addr, uint8_t alen)
{
	if (name)
		return e->name && e->nlen == n && memcmp(e->name, name, n) == 0;
	return !e->name && e->alen == alen && memcmp(e->addr, addr, alen) == 0;
}

/* Double the index (kept at most half full) and put the entries back. */
static void mlist_grow(struct mlist *l)
{
	size_t i, j;

	free(l->index);
	l->mask = l->mask ? 2 * l->mask + 1 : 63;
	l->index = tsa_calloc(l->mask + 1, sizeof *l->index);
	for (i = 0; i < l->n; i++) {
		for (j = l->e[i].hash & l->mask; l->index[j]; j = (j + 1) & l->mask)
			;
		l->index[j] = (uint32_t)i + 1;
	}
}

/* The entry with this name (n bytes) or address and hash h; NULL if absent. */
static struct ment *mlist_find(const struct mlist *l, uint64_t h,
    const uint8_t *name, size_t n, const uint8_t *addr, uint8_t alen)
{
	struct ment *e;
	size_t j;

	if (!l->index)
		return NULL;
	for (j = h & l->mask; l->index[j]; j = (j + 1) & l->mask) {
		e = &l->e[l->index[j] - 1];
		if (e->hash == h && ment_is(e, name, n, addr, alen))
			return e;
	}
	return NULL;
}

/* The entry with this name (n bytes) or address, created empty if absent. */
static struct ment *mlist_get(struct mlist *l, const uint8_t *name, size_t n,
    const uint8_t *addr, uint8_t alen)
{
	uint64_t h = name ? key_hash(name, n) : key_hash(addr, alen);
	struct ment *e = mlist_find(l, h, name, n, addr, alen);
	size_t j;

	if (e)
		return e;
	if (2 * (l->n + 1) > l->mask + 1)
		mlist_grow(l);
	for (j = h & l->mask; l->index[j]; j = (j + 1) & l->mask)
		;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->e = tsa_realloc(l->e, l->cap * sizeof *l->e);
	}
	e = &l->e[l->n++];
	memset(e, 0, sizeof *e);
	e->hash = h;
	if (name) {
		e->name = tsa_strndup(name, n);
		e->nlen = n;
	} else {
		memcpy(e->addr, addr, alen);
		e->alen = alen;
	}
	l->index[j] = (uint32_t)l->n;
	return e;
}

/* The entry named name, created empty if absent; NULL when the row has no
 * name (it is left out: there is nothing to add it to). */
static struct ment *named(struct mlist *l, const char *name)
{
	if (!name)
		return NULL;
	return mlist_get(l, (const uint8_t *)name, strlen(name), NULL, 0);
}

/* ---- reading: the decoded rows into the sums ---- */

/* A string field keeps the first sensor's value that has one. */
static void keep(char **dst, const char *v)
{
	if (!*dst && v)
		*dst = tsa_strdup(v);
}

static void add_strs(struct strset *set, const struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		set_add(set, l->v[i]);
}

static void add_dists(struct ment *e, const uint64_t *d, size_t n)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < e->ndists && e->dists[j] != d[i]; j++)
			;
		if (j == e->ndists && j < SET_MAX)
			e->dists[e->ndists++] = d[i];
	}
}

static void add_countries(struct mlist *l, const struct country_row *r, size_t n)
{
	struct ment *e;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(e = named(l, r[i].country)))
			continue;
		e->packets = sat_add(e->packets, r[i].packets);
		e->bytes = sat_add(e->bytes, r[i].bytes);
		e->hosts = sat_add(e->hosts, r[i].hosts);
	}
}

static void add_domains(struct mlist *l, const struct domain_row *r, size_t n)
{
	struct ment *e;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(e = named(l, r[i].domain)))
			continue;
		e->packets = sat_add(e->packets, r[i].packets);
		e->bytes = sat_add(e->bytes, r[i].bytes);
		e->hosts = sat_add(e->hosts, r[i].hosts);
		add_strs(&e->aliases, &r[i].aliases);
		add_strs(&e->countries, &r[i].countries);
		add_strs(&e->oss, &r[i].os);
		add_strs(&e->apps, &r[i].apps);
		add_dists(e, r[i].dists, r[i].ndists);
	}
}

/* A host's facts: the first sensor's that has each; its times span all. */
static void add_host(struct ment *e, const struct host_row *h)
{
	e->packets = sat_add(e->packets, h->packets);
	e->bytes = sat_add(e->bytes, h->bytes);
	keep(&e->country, h->country);
	keep(&e->os, h->os);
	keep(&e->os_class, h->os_class);
	keep(&e->app, h->app);
	keep(&e->domain, h->domain);
	keep(&e->link, h->link);
	keep(&e->lang, h->lang);
	if (h->has_dist && !e->has_dist) {
		e->dist = h->dist;
		e->has_dist = true;
	}
	if (h->has_uptime && !e->has_uptime) {
		e->uptime_min = h->uptime_min;
		e->has_uptime = true;
	}
	if (!e->mtu && h->mtu <= UINT16_MAX)
		e->mtu = h->mtu;
	e->nat = e->nat || h->nat;
	if (h->has_seen) {
		if (!e->has_seen || stime_cmp(h->first_seen, e->first_seen) < 0)
			e->first_seen = h->first_seen;
		if (!e->has_seen || stime_cmp(h->last_seen, e->last_seen) > 0)
			e->last_seen = h->last_seen;
		e->has_seen = true;
	}
}

static void add_hosts(struct mlist *l, const struct host_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].addrlen)	/* (4 or 16: the decoder takes no other) */
			add_host(mlist_get(l, NULL, 0, r[i].addr,
			    (uint8_t)r[i].addrlen), &r[i]);
}

static void add_os(struct mlist *l, const struct os_row *r, size_t n)
{
	struct ment *e;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(e = named(l, r[i].os)))
			continue;
		keep(&e->cls, r[i].class);
		e->hosts = sat_add(e->hosts, r[i].hosts);
		e->packets = sat_add(e->packets, r[i].packets);
	}
}

static void add_apps(struct mlist *l, const struct app_row *r, size_t n)
{
	struct ment *e;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(e = named(l, r[i].app)))
			continue;
		e->packets = sat_add(e->packets, r[i].packets);
		e->bytes = sat_add(e->bytes, r[i].bytes);
	}
}

/* A window's lists, or a country's. */
static void add_lists(struct mdetail *d, const struct country_detail *in)
{
	add_hosts(&d->hosts, in->hosts, in->nhosts);
	add_domains(&d->domains, in->domains, in->ndomains);
	add_os(&d->os, in->os, in->nos);
	add_apps(&d->apps, in->apps, in->napps);
}

/*
 * Each country's detail goes to its own lists, found (or made) by its
 * name.  dcountries appends a new name at its end, so det grows in step.
 */
static void add_detail(struct msnap *s, const struct country_detail *r,
    size_t n)
{
	size_t i, at, had;

	for (i = 0; i < n; i++) {
		if (!r[i].country)
			continue;
		had = s->dcountries.n;
		at = (size_t)(named(&s->dcountries, r[i].country) - s->dcountries.e);
		if (s->dcountries.n > had) {
			s->det = tsa_realloc(s->det,
			    s->dcountries.cap * sizeof *s->det);
			memset(&s->det[at], 0, sizeof s->det[at]);
		}
		add_lists(&s->det[at], &r[i]);
	}
}

/* A port is named "tcp/443" (by_port reads it back); one without a port
 * number or a known protocol is left out. */
static void add_ports(struct mlist *l, const struct port_row *r, size_t n)
{
	struct ment *e;
	char name[16];
	size_t i;

	for (i = 0; i < n; i++) {
		if (r[i].port > UINT16_MAX || !r[i].protocol ||
		    (strcmp(r[i].protocol, "tcp") != 0 &&
		    strcmp(r[i].protocol, "udp") != 0))
			continue;
		snprintf(name, sizeof name, "%s/%d", r[i].protocol,
		    (int)r[i].port);
		e = named(l, name);
		keep(&e->app, r[i].app);
		e->packets = sat_add(e->packets, r[i].packets);
		e->bytes = sat_add(e->bytes, r[i].bytes);
	}
}

/* A location is named by its coordinates to four places,
 * "51.4964,-0.1224": the places that round alike are one, and the name
 * gives back the coordinates written. */
static void add_locations(struct mlist *l, const struct loc_row *r, size_t n)
{
	struct ment *e;
	char name[48];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!r[i].has_lat || !r[i].has_lon)
			continue;
		snprintf(name, sizeof name, "%.4f,%.4f", r[i].lat, r[i].lon);
		e = named(l, name);
		keep(&e->domain, r[i].city);	/* (the city, in a free field) */
		keep(&e->country, r[i].country);
		e->packets = sat_add(e->packets, r[i].packets);
		e->bytes = sat_add(e->bytes, r[i].bytes);
		e->hosts = sat_add(e->hosts, r[i].hosts);
	}
}

/* An organisation is named by its AS number, "AS3320". */
static void add_orgs(struct mlist *l, const struct org_row *r, size_t n)
{
	struct ment *e;
	char name[48];
	size_t i;

	for (i = 0; i < n; i++) {
		if (r[i].asn == 0 || r[i].asn > UINT32_MAX)
			continue;
		snprintf(name, sizeof name, "AS%llu",
		    (unsigned long long)r[i].asn);
		e = named(l, name);
		keep(&e->domain, r[i].org);	/* (the org, in a free field) */
		e->packets = sat_add(e->packets, r[i].packets);
		e->bytes = sat_add(e->bytes, r[i].bytes);
		e->hosts = sat_add(e->hosts, r[i].hosts);
	}
}

/* One snapshot's buckets (the rates, floats, are not read: bytes say it).
 * A snapshot without a bandwidth map adds none. */
static void add_bandwidth(struct msnap *s, const struct bandwidth *in)
{
	struct mbw *bw;

	if (!in->has_start && !in->bucket_ns && !in->bytes && !in->bps &&
	    !in->has_avg)
		return;
	s->bw = tsa_realloc(s->bw, (s->nbw + 1) * sizeof *s->bw);
	bw = &s->bw[s->nbw++];
	bw->has_start = in->has_start;
	bw->start = in->start;
	bw->bucket_ns = in->bucket_ns;
	bw->n = in->nbytes > BUCKETS_MAX ? BUCKETS_MAX : in->nbytes;
	bw->bytes = tsa_calloc(bw->n, sizeof *bw->bytes);
	if (bw->n)
		memcpy(bw->bytes, in->bytes, bw->n * sizeof *bw->bytes);
}

/* The alerts go on unchanged: their rows (and packed records) move here. */
static void take_alerts(struct msnap *s, struct snapshot *in)
{
	if (!in->nalerts)
		return;
	s->alerts = tsa_realloc(s->alerts,
	    (s->nalerts + in->nalerts) * sizeof *s->alerts);
	memcpy(&s->alerts[s->nalerts], in->alerts,
	    in->nalerts * sizeof *in->alerts);
	s->nalerts += in->nalerts;
	in->nalerts = 0;	/* (snapshot_free then frees only the array) */
}

/* The window's bounds, flags and totals. */
static void add_head(struct msnap *s, struct snapshot *in)
{
	if (in->has_bounds) {
		if (!s->has_bounds || stime_cmp(in->start, s->start) < 0)
			s->start = in->start;
		if (!s->has_bounds || stime_cmp(in->end, s->end) > 0)
			s->end = in->end;
		s->has_bounds = true;
	}
	if (in->has_complete && (!s->has_complete ||
	    stime_cmp(in->complete_from, s->complete_from) > 0)) {
		s->complete_from = in->complete_from;
		s->has_complete = true;
	}
	s->final = s->final || in->final;
	s->incomplete = s->incomplete || in->incomplete;
	s->epoch_end = s->epoch_end || in->epoch_end;
	if (!s->have) {		/* the window is the first input's */
		s->window = in->window;
		in->window = NULL;
		s->window_packets = in->window_packets;
	}
	s->packets = sat_add(s->packets, in->packets);
	s->bytes = sat_add(s->bytes, in->bytes);
	s->epoch = in->epoch > s->epoch ? in->epoch : s->epoch;
	s->out_of_order = sat_add(s->out_of_order, in->out_of_order);
	s->hosts_overflow = sat_add(s->hosts_overflow, in->hosts_overflow);
	/* An input that is itself a merge counts its sensors. */
	s->sensors = sat_add(s->sensors, in->sensors ? in->sensors : 1);
}

/* Fold one snapshot record into s. */
static void fold(struct msnap *s, const uint8_t *rec, size_t len)
{
	struct snapshot in;
	struct country_detail lists;

	/* A damaged record adds whatever the decoder made of it, as the
	 * snapshot of a sensor all the same. */
	(void)snapshot_decode(rec, len, &in);
	add_head(s, &in);
	add_countries(&s->countries, in.countries, in.ncountries);
	lists = snapshot_lists(&in);
	add_lists(&s->lists, &lists);
	add_detail(s, in.detail, in.ndetail);
	add_ports(&s->ports, in.ports, in.nports);
	add_locations(&s->locations, in.locs, in.nlocs);
	add_orgs(&s->orgs, in.orgs, in.norgs);
	add_bandwidth(s, &in.bw);
	take_alerts(s, &in);
	snapshot_free(&in);
	s->have = true;
}

/* ---- writing: the sums as the rows of a snapshot ---- */

static int by_packets(const void *x, const void *y)
{
	const struct ment *a = x, *b = y;

	if (a->packets != b->packets)
		return a->packets > b->packets ? -1 : 1;
	if (a->name && b->name)
		return strcmp(a->name, b->name);
	if (a->alen != b->alen)
		return a->alen < b->alen ? -1 : 1;
	return memcmp(a->addr, b->addr, a->alen);
}

/* Hosts as tsa-aggregate lists them: by packets, bytes, address. */
static int by_host(const void *x, const void *y)
{
	const struct ment *a = x, *b = y;

	if (a->packets != b->packets)
		return a->packets > b->packets ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return by_packets(x, y);
}

/* Ports as tsa-aggregate lists them: by packets, bytes, protocol, port. */
static int by_port(const void *x, const void *y)
{
	const struct ment *a = x, *b = y;
	unsigned long pa, pb;

	if (a->packets != b->packets)
		return a->packets > b->packets ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->name[0] != b->name[0])	/* "tcp/" before "udp/" */
		return a->name[0] < b->name[0] ? -1 : 1;
	pa = strtoul(a->name + 4, NULL, 10);
	pb = strtoul(b->name + 4, NULL, 10);
	return pa < pb ? -1 : pa > pb;
}

static void sort(struct mlist *l, int (*cmp)(const void *, const void *))
{
	if (l->n)
		qsort(l->e, l->n, sizeof *l->e, cmp);
}

/* The first of l's entries, sorted, at most top: how many there are. */
static size_t cut(struct mlist *l, int (*cmp)(const void *, const void *),
    size_t top)
{
	sort(l, cmp);
	return l->n < top ? l->n : top;
}

/* The snapshot's copy of a string (it frees its own). */
static char *sdup(const char *s)
{
	return s ? tsa_strdup(s) : NULL;
}

static void strs(struct strlist *l, const struct strset *set)
{
	int i;

	l->v = tsa_calloc((size_t)set->n, sizeof *l->v);
	for (i = 0; i < set->n; i++)
		l->v[i] = tsa_strdup(set->s[i]);
	l->n = (size_t)set->n;
}

static struct country_row *country_rows(struct mlist *l, size_t *n)
{
	struct country_row *r;
	size_t i;

	*n = cut(l, by_packets, SIZE_MAX);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		r[i].country = sdup(l->e[i].name);
		r[i].packets = l->e[i].packets;
		r[i].bytes = l->e[i].bytes;
		r[i].hosts = l->e[i].hosts;
	}
	return r;
}

static struct domain_row *domain_rows(struct mlist *l, size_t top, size_t *n)
{
	struct domain_row *r;
	size_t i;

	*n = cut(l, by_packets, top);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		const struct ment *e = &l->e[i];

		r[i].domain = sdup(e->name);
		strs(&r[i].aliases, &e->aliases);
		r[i].packets = e->packets;
		r[i].bytes = e->bytes;
		r[i].hosts = e->hosts;
		strs(&r[i].countries, &e->countries);
		strs(&r[i].os, &e->oss);
		strs(&r[i].apps, &e->apps);
		r[i].dists = tsa_calloc((size_t)e->ndists, sizeof *r[i].dists);
		memcpy(r[i].dists, e->dists, (size_t)e->ndists * sizeof *e->dists);
		r[i].ndists = (size_t)e->ndists;
	}
	return r;
}

static struct os_row *os_rows(struct mlist *l, size_t *n)
{
	struct os_row *r;
	size_t i;

	*n = cut(l, by_packets, SIZE_MAX);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		r[i].os = sdup(l->e[i].name);
		r[i].class = sdup(l->e[i].cls);
		r[i].hosts = l->e[i].hosts;
		r[i].packets = l->e[i].packets;
	}
	return r;
}

static struct host_row *host_rows(struct mlist *l, size_t top, size_t *n)
{
	struct host_row *r;
	size_t i;

	*n = cut(l, by_host, top);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		const struct ment *e = &l->e[i];

		memcpy(r[i].addr, e->addr, e->alen);
		r[i].addrlen = e->alen;
		r[i].country = sdup(e->country);
		r[i].os = sdup(e->os);
		r[i].os_class = sdup(e->os_class);
		r[i].app = sdup(e->app);
		r[i].dist = e->dist;
		r[i].has_dist = e->has_dist;
		r[i].link = sdup(e->link);
		r[i].mtu = e->mtu;
		r[i].lang = sdup(e->lang);
		r[i].has_uptime = e->has_uptime;
		r[i].uptime_min = e->uptime_min;
		r[i].nat = e->nat;
		r[i].has_seen = e->has_seen;
		r[i].first_seen = e->first_seen;
		r[i].last_seen = e->last_seen;
		r[i].domain = sdup(e->domain);
		r[i].packets = e->packets;
		r[i].bytes = e->bytes;
	}
	return r;
}

static struct app_row *app_rows(struct mlist *l, size_t *n)
{
	struct app_row *r;
	size_t i;

	*n = cut(l, by_packets, SIZE_MAX);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		r[i].app = sdup(l->e[i].name);
		r[i].packets = l->e[i].packets;
		r[i].bytes = l->e[i].bytes;
	}
	return r;
}

/* A window's lists, or a country's: top_hosts and top_domains cut them. */
static void list_rows(struct country_detail *o, struct mdetail *d,
    size_t top_hosts, size_t top_domains)
{
	o->hosts = host_rows(&d->hosts, top_hosts, &o->nhosts);
	o->domains = domain_rows(&d->domains, top_domains, &o->ndomains);
	o->os = os_rows(&d->os, &o->nos);
	o->apps = app_rows(&d->apps, &o->napps);
}

/*
 * The details of the merged top countries (s->countries, sorted), as
 * many as tsa-aggregate gives: a country some sensor gave detail for;
 * its lists summed over the sensors that did.
 */
static struct country_detail *detail_rows(struct msnap *s, size_t *n)
{
	struct country_detail *r;
	size_t i, max = agg_opt.detail_countries;
	const struct ment *c, *e;

	r = tsa_calloc(s->countries.n < max ? s->countries.n : max, sizeof *r);
	*n = 0;
	for (i = 0; i < s->countries.n && *n < max; i++) {
		c = &s->countries.e[i];
		if (!c->name || !(e = mlist_find(&s->dcountries, c->hash,
		    (const uint8_t *)c->name, c->nlen, NULL, 0)))
			continue;
		r[*n].country = sdup(e->name);
		list_rows(&r[*n], &s->det[e - s->dcountries.e],
		    agg_opt.detail_top, agg_opt.detail_top);
		(*n)++;
	}
	return r;
}

/* Each sensor's top ports, added: a port below one sensor's top is
 * missing from its sum. */
static struct port_row *port_rows(struct mlist *l, size_t *n)
{
	struct port_row *r;
	const char *slash;
	size_t i;

	*n = cut(l, by_port, TOP_PORTS);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		slash = strchr(l->e[i].name, '/');
		r[i].port = strtoul(slash + 1, NULL, 10);
		r[i].protocol = tsa_strndup(l->e[i].name,
		    (size_t)(slash - l->e[i].name));
		r[i].app = sdup(l->e[i].app);
		r[i].packets = l->e[i].packets;
		r[i].bytes = l->e[i].bytes;
	}
	return r;
}

/* The coordinates are the name's (rounded to it). */
static struct loc_row *loc_rows(struct mlist *l, size_t *n)
{
	struct loc_row *r;
	size_t i;

	*n = cut(l, by_packets, TOP_LOCATIONS);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		const struct ment *e = &l->e[i];

		r[i].lat = strtod(e->name, NULL);
		r[i].lon = strtod(strchr(e->name, ',') + 1, NULL);
		r[i].has_lat = r[i].has_lon = true;
		r[i].city = sdup(e->domain);
		r[i].country = sdup(e->country);
		r[i].packets = e->packets;
		r[i].bytes = e->bytes;
		r[i].hosts = e->hosts;
	}
	return r;
}

static struct org_row *org_rows(struct mlist *l, size_t *n)
{
	struct org_row *r;
	size_t i;

	*n = cut(l, by_packets, TOP_ORGS);
	r = tsa_calloc(*n, sizeof *r);
	for (i = 0; i < *n; i++) {
		r[i].asn = strtoull(l->e[i].name + 2, NULL, 10);
		r[i].org = sdup(l->e[i].domain);
		r[i].packets = l->e[i].packets;
		r[i].bytes = l->e[i].bytes;
		r[i].hosts = l->e[i].hosts;
	}
	return r;
}

/*
 * The merged buckets.  Sensors with the same window (a time window and the
 * same end) have the same buckets, which add up one by one.  Others (count
 * windows, whole streams, final snapshots ending at each sensor's last
 * packet) are put on one grid over all of them: each bucket's bytes go to
 * the merged bucket that holds its middle.  The bytes add up either way.
 */
static void merged_bandwidth(const struct msnap *s, struct bandwidth *o)
{
	const struct mbw *first = s->nbw ? &s->bw[0] : NULL;
	struct stime start = { 0, 0 };
	bool same = true, has_start = false;
	uint64_t bucket_ns = 0, *out;
	double span = 0, width, mid;
	size_t i, j, n = 0, at;

	for (i = 0; i < s->nbw; i++) {
		const struct mbw *bw = &s->bw[i];

		same = same && bw->has_start == first->has_start && bw->n == first->n &&
		    bw->bucket_ns == first->bucket_ns &&
		    (!bw->has_start || stime_cmp(bw->start, first->start) == 0);
		if (bw->has_start && (!has_start || stime_cmp(bw->start, start) < 0))
			start = bw->start;
		has_start = has_start || bw->has_start;
		n = bw->n > n ? bw->n : n;
	}
	out = tsa_calloc(n, sizeof *out);
	if (same && first) {
		bucket_ns = first->bucket_ns;
		for (i = 0; i < s->nbw; i++)
			for (j = 0; j < n; j++)
				out[j] = sat_add(out[j], s->bw[i].bytes[j]);
	} else {
		for (i = 0; i < s->nbw; i++) {
			const struct mbw *bw = &s->bw[i];
			double end = (bw->has_start ? stime_diff(start, bw->start) : 0) +
			    (double)bw->n * (double)bw->bucket_ns;

			span = end > span ? end : span;
		}
		width = n ? ceil(span / (double)n) : 0;
		bucket_ns = width >= 0x1p64 ? UINT64_MAX : (uint64_t)width;
		for (i = 0; i < s->nbw; i++) {
			const struct mbw *bw = &s->bw[i];

			for (j = 0; j < bw->n; j++) {
				mid = (bw->has_start ? stime_diff(start, bw->start) : 0) +
				    ((double)j + 0.5) * (double)bw->bucket_ns;
				at = width > 0 && mid > 0 ? (size_t)fmin(mid / width, (double)(n - 1)) : 0;
				out[at] = sat_add(out[at], bw->bytes[j]);
			}
		}
	}
	o->has_start = has_start;
	o->start = start;
	o->bucket_ns = bucket_ns;
	o->bytes = out;
	o->nbytes = n;
	o->bps = tsa_calloc(n, sizeof *o->bps);
	for (i = 0; i < n; i++)
		o->bps[i] = bucket_ns ? (double)out[i] * 8 / ((double)bucket_ns / NS) : 0;
	o->nbps = n;
	/* the average over the merged window */
	span = s->has_bounds ? stime_diff(s->start, s->end) : 0;
	o->avg_bps = span > 0 ? (double)s->bytes * 8 / (span / NS) : 0;
	o->has_avg = true;
}

/* The window's bounds, flags and totals. */
static void head_rows(struct snapshot *o, const struct msnap *s)
{
	o->has_bounds = s->has_bounds;
	o->start = s->start;
	o->end = s->end;
	o->window = sdup(s->window);
	o->window_packets = s->window_packets;
	o->final = s->final;
	o->incomplete = s->incomplete;
	o->epoch_end = s->epoch_end;
	o->epoch = s->epoch;
	o->has_complete = s->has_complete;
	o->complete_from = s->complete_from;
	o->out_of_order = s->out_of_order;
	o->hosts_overflow = s->hosts_overflow;
	o->sensors = s->sensors;
	o->packets = s->packets;
	o->bytes = s->bytes;
}

/* The window's lists (made as a country's, then moved to the snapshot). */
static void window_rows(struct snapshot *o, struct mdetail *d,
    size_t top_hosts, size_t top_domains)
{
	struct country_detail lists;

	memset(&lists, 0, sizeof lists);
	list_rows(&lists, d, top_hosts, top_domains);
	snapshot_set_lists(o, &lists);
}

/* Write s as a snapshot and empty it for the next window. */
static void emit(struct tsa_writer *w, struct msnap *s, uint32_t top_hosts,
    uint32_t top_domains)
{
	struct snapshot o;

	memset(&o, 0, sizeof o);
	head_rows(&o, s);
	/* (the countries first: the detail follows their order) */
	o.countries = country_rows(&s->countries, &o.ncountries);
	window_rows(&o, &s->lists, top_hosts, top_domains);
	o.detail = detail_rows(s, &o.ndetail);
	o.ports = port_rows(&s->ports, &o.nports);
	o.locs = loc_rows(&s->locations, &o.nlocs);
	o.orgs = org_rows(&s->orgs, &o.norgs);
	merged_bandwidth(s, &o.bw);
	o.alerts = s->alerts;		/* (theirs now, to free) */
	o.nalerts = s->nalerts;
	s->alerts = NULL;
	s->nalerts = 0;

	snapshot_put(tsa_out(w), &o);
	tsa_wrote(w);
	snapshot_free(&o);
	snap_free(s);
}

/* ---- for the inputs' side (demux.c) ---- */

struct msnap *msnap_new(void)
{
	return tsa_calloc(1, sizeof(struct msnap));
}

void msnap_free(struct msnap *s)
{
	snap_free(s);
	free(s);
}

bool msnap_have(const struct msnap *s)
{
	return s->have;
}

void msnap_fold(struct msnap *s, const uint8_t *rec, size_t len, bool again)
{
	fold(s, rec, len);
	if (again && s->sensors > 1)	/* a sensor's next run: still one sensor */
		s->sensors--;
}

void msnap_emit(struct tsa_writer *w, struct msnap *s, bool incomplete,
    uint32_t top_hosts, uint32_t top_domains)
{
	s->incomplete = s->incomplete || incomplete;
	emit(w, s, top_hosts, top_domains);
}
