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
 * Everything here comes from other programs' output, possibly damaged or
 * hostile: times stay msgpack's (seconds, nanoseconds), never converted to
 * a count of nanoseconds that a far year would overflow; counts add up
 * saturating; no float of the input is used (rates are recomputed from
 * bytes and times).  Not a per-record path: it allocates freely.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "agg.h"

#define SET_MAX 16
#define BUCKETS_MAX 100000

static bool get_time(const struct mp_obj *v, struct stime *t)
{
	return mp_obj_time(v, &t->sec, &t->nsec);
}

/* A count: a non-negative integer of any size. */
static bool get_count(const struct mp_obj *v, uint64_t *u)
{
	if (v->type == MP_UINT) {
		*u = v->u;
		return true;
	}
	return false;	/* (MP_INT is always negative) */
}

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

struct ment {				/* a country, domain, host or OS entry */
	char *name;			/* country, domain or OS label */
	size_t nlen;
	uint8_t addr[16];
	uint8_t alen;
	uint64_t hash;
	uint64_t packets, bytes, hosts, dist;
	bool has_dist;
	char *cls, *country, *os, *os_class, *app, *domain, *link, *lang;
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
	bool has_start, has_end, has_complete;
	struct stime start, end, complete_from;
	uint64_t packets, bytes, epoch, out_of_order, hosts_overflow;
	struct mp_obj window;		/* str or uint */
	char *window_str;
	struct mlist countries, ports, locations, orgs;
	struct mdetail lists;		/* the window's hosts, domains, os, apps */
	/* the countries with detail, and theirs: det[i] is dcountries.e[i]'s */
	struct mlist dcountries;
	struct mdetail *det;
	struct mbw *bw;
	size_t nbw;
	struct mp_buf alerts;		/* packed alert maps */
	uint32_t nalerts;
	uint64_t sensors;
};

static char *dupn(const uint8_t *p, size_t n)
{
	char *s = tsa_malloc(n + 1);

	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

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
	free(s->window_str);
	mp_buf_free(&s->alerts);
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
		e->name = dupn(name, n);
		e->nlen = n;
	} else {
		memcpy(e->addr, addr, alen);
		e->alen = alen;
	}
	l->index[j] = (uint32_t)l->n;
	return e;
}

/* ---- reading ---- */

static char *obj_str(const struct mp_obj *v)
{
	return v->type == MP_STR ? dupn(v->ptr, v->len) : NULL;
}

static void keep(char **dst, const struct mp_obj *v)
{
	if (!*dst)
		*dst = obj_str(v);
}

/* Add the strings of the array at vs to set. */
static void read_strs(const uint8_t *vs, const uint8_t *ve, struct strset *set)
{
	struct mp_obj a, o;
	uint32_t i;
	char *s;

	if (mp_next(&vs, ve, &a) < 0 || a.type != MP_ARRAY)
		return;
	for (i = 0; i < a.len && mp_next(&vs, ve, &o) == 0; i++)
		if ((s = obj_str(&o))) {
			set_add(set, s);
			free(s);
		}
}

enum section { S_COUNTRIES, S_DOMAINS, S_HOSTS, S_OS, S_APPS, S_PORTS,
	S_LOCATIONS, S_ORGS };

/* An orgs entry's name: "AS3320", from its asn; 0 without one. */
static size_t asn_name(const uint8_t *m, const uint8_t *end, char out[48])
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p;

	if (mp_map_begin(&it, m, (size_t)(end - m)) < 0)
		return 0;
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return 0;
		if (mp_str_eq(&k, "asn", 3) && v.type == MP_UINT && v.u > 0 &&
		    v.u <= UINT32_MAX)
			return (size_t)snprintf(out, 48, "AS%llu",
			    (unsigned long long)v.u);
	}
	return 0;
}

/* A location entry's name: "51.4964,-0.1224", from its coordinates; 0 if
 * it has not both. */
static size_t loc_name(const uint8_t *m, const uint8_t *end, char out[48],
    double *lat, double *lon)
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p;
	bool has_lat = false, has_lon = false;

	if (mp_map_begin(&it, m, (size_t)(end - m)) < 0)
		return 0;
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return 0;
		if (mp_str_eq(&k, "lat", 3) && mp_obj_num(&v, lat) &&
		    *lat >= -90 && *lat <= 90)
			has_lat = true;
		else if (mp_str_eq(&k, "lon", 3) && mp_obj_num(&v, lon) &&
		    *lon >= -180 && *lon <= 180)
			has_lon = true;
	}
	if (!has_lat || !has_lon)
		return 0;
	return (size_t)snprintf(out, 48, "%.4f,%.4f", *lat, *lon);
}

/* A ports entry's name: "tcp/443", from its port and protocol; 0 if it
 * has not both. */
static size_t port_name(const uint8_t *m, const uint8_t *end, char out[16])
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p;
	int64_t port = -1;
	const char *proto = NULL;

	if (mp_map_begin(&it, m, (size_t)(end - m)) < 0)
		return 0;
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return 0;
		if (mp_str_eq(&k, "port", 4) && v.type == MP_UINT && v.u < 65536)
			port = (int64_t)v.u;
		else if (mp_str_eq(&k, "protocol", 8) && mp_str_eq(&v, "tcp", 3))
			proto = "tcp";
		else if (mp_str_eq(&k, "protocol", 8) && mp_str_eq(&v, "udp", 3))
			proto = "udp";
	}
	if (port < 0 || !proto)
		return 0;
	return (size_t)snprintf(out, 16, "%s/%d", proto, (int)port);
}

static void read_entry(const uint8_t *m, const uint8_t *end, enum section sec,
    struct mlist *l)
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p;
	const char *namekey = sec == S_COUNTRIES ? "country" : sec == S_DOMAINS ? "domain" :
	    sec == S_APPS ? "app" : "os";
	struct ment *e = NULL;
	uint64_t u;
	struct stime t;
	char pn[48];
	size_t pnlen;
	double lat, lon;

	/* First the key that names the entry (a port: two keys). */
	if (sec == S_PORTS && (pnlen = port_name(m, end, pn)) > 0)
		e = mlist_get(l, (const uint8_t *)pn, pnlen, NULL, 0);
	if (sec == S_LOCATIONS &&
	    (pnlen = loc_name(m, end, pn, &lat, &lon)) > 0)
		e = mlist_get(l, (const uint8_t *)pn, pnlen, NULL, 0);
	if (sec == S_ORGS && (pnlen = asn_name(m, end, pn)) > 0)
		e = mlist_get(l, (const uint8_t *)pn, pnlen, NULL, 0);
	if (mp_map_begin(&it, m, (size_t)(end - m)) < 0)
		return;
	while (!e && sec != S_PORTS && sec != S_LOCATIONS && sec != S_ORGS &&
	    mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return;
		if (sec == S_HOSTS && mp_str_eq(&k, "addr", 4) && v.type == MP_BIN &&
		    (v.len == 4 || v.len == 16))
			e = mlist_get(l, NULL, 0, v.ptr, (uint8_t)v.len);
		else if (sec != S_HOSTS && k.len == strlen(namekey) &&
		    memcmp(k.ptr, namekey, k.len) == 0 && v.type == MP_STR)
			e = mlist_get(l, v.ptr, v.len, NULL, 0);
	}
	if (!e)
		return;
	mp_map_begin(&it, m, (size_t)(end - m));
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return;
		if (get_count(&v, &u)) {
			if (mp_str_eq(&k, "packets", 7))
				e->packets = sat_add(e->packets, u);
			else if (mp_str_eq(&k, "bytes", 5))
				e->bytes = sat_add(e->bytes, u);
			else if (mp_str_eq(&k, "hosts", 5))
				e->hosts = sat_add(e->hosts, u);
			else if (mp_str_eq(&k, "dist", 4) && !e->has_dist) {
				e->dist = u;
				e->has_dist = true;
			} else if (mp_str_eq(&k, "uptime_min", 10) &&
			    !e->has_uptime) {
				e->uptime_min = u;
				e->has_uptime = true;
			} else if (mp_str_eq(&k, "mtu", 3) && !e->mtu &&
			    u <= UINT16_MAX)
				e->mtu = u;
		} else if (mp_str_eq(&k, "class", 5))
			keep(&e->cls, &v);
		else if (mp_str_eq(&k, "aliases", 7))
			read_strs(vs, ve, &e->aliases);
		else if (mp_str_eq(&k, "apps", 4))
			read_strs(vs, ve, &e->apps);
		else if (sec == S_DOMAINS && mp_str_eq(&k, "countries", 9))
			read_strs(vs, ve, &e->countries);
		else if (sec == S_DOMAINS && mp_str_eq(&k, "os", 2))
			read_strs(vs, ve, &e->oss);
		else if (mp_str_eq(&k, "dists", 5) && v.type == MP_ARRAY) {
			struct mp_obj d;
			uint32_t i;
			int j;

			for (i = 0; i < v.len && mp_next(&p, ve, &d) == 0; i++) {
				if (!get_count(&d, &u))
					continue;
				for (j = 0; j < e->ndists && e->dists[j] != u; j++)
					;
				if (j == e->ndists && j < SET_MAX)
					e->dists[e->ndists++] = u;
			}
		} else if (sec == S_PORTS && mp_str_eq(&k, "app", 3))
			keep(&e->app, &v);
		else if (sec == S_LOCATIONS && mp_str_eq(&k, "city", 4))
			keep(&e->domain, &v);	/* (the city, in a free field) */
		else if (sec == S_LOCATIONS && mp_str_eq(&k, "country", 7))
			keep(&e->country, &v);
		else if (sec == S_ORGS && mp_str_eq(&k, "org", 3))
			keep(&e->domain, &v);	/* (the org, in a free field) */
		else if (sec == S_HOSTS) {
			if (mp_str_eq(&k, "country", 7))
				keep(&e->country, &v);
			else if (mp_str_eq(&k, "os", 2))
				keep(&e->os, &v);
			else if (mp_str_eq(&k, "os_class", 8))
				keep(&e->os_class, &v);
			else if (mp_str_eq(&k, "app", 3))
				keep(&e->app, &v);
			else if (mp_str_eq(&k, "domain", 6))
				keep(&e->domain, &v);
			else if (mp_str_eq(&k, "link", 4))
				keep(&e->link, &v);
			else if (mp_str_eq(&k, "lang", 4))
				keep(&e->lang, &v);
			else if (mp_str_eq(&k, "nat", 3) && v.type == MP_BOOL)
				e->nat = e->nat || v.b;
			else if (mp_str_eq(&k, "first_seen", 10) &&
			    get_time(&v, &t)) {
				if (!e->has_seen || stime_cmp(t, e->first_seen) < 0)
					e->first_seen = t;
				if (!e->has_seen)
					e->last_seen = t;
				e->has_seen = true;
			} else if (mp_str_eq(&k, "last_seen", 9) &&
			    get_time(&v, &t)) {
				if (!e->has_seen || stime_cmp(t, e->last_seen) > 0)
					e->last_seen = t;
				if (!e->has_seen)
					e->first_seen = t;
				e->has_seen = true;
			}
		}
	}
}

static void read_list(const uint8_t *vs, const uint8_t *ve, enum section sec,
    struct mlist *l)
{
	struct mp_obj a;
	const uint8_t *m;
	uint32_t i;

	if (mp_next(&vs, ve, &a) < 0 || a.type != MP_ARRAY)
		return;
	for (i = 0; i < a.len; i++) {
		m = vs;
		if (mp_skip(&vs, ve) < 0)
			return;
		read_entry(m, vs, sec, l);
	}
}

/* The value [vs, ve) of key k into d's list of that name, if it is one. */
static bool read_lists(const struct mp_obj *k, const uint8_t *vs,
    const uint8_t *ve, struct mdetail *d)
{
	if (mp_str_eq(k, "hosts", 5))
		read_list(vs, ve, S_HOSTS, &d->hosts);
	else if (mp_str_eq(k, "domains", 7))
		read_list(vs, ve, S_DOMAINS, &d->domains);
	else if (mp_str_eq(k, "os", 2))
		read_list(vs, ve, S_OS, &d->os);
	else if (mp_str_eq(k, "apps", 4))
		read_list(vs, ve, S_APPS, &d->apps);
	else
		return false;
	return true;
}

/*
 * One country's detail: its lists go to its own, found (or made) by its
 * name.  dcountries appends a new name at its end, so det grows in step.
 */
static void read_detail(struct msnap *s, const uint8_t *m, const uint8_t *end)
{
	static const char *const keys[] = { "country" };
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve;
	struct mdetail *d;
	size_t i, n = s->dcountries.n;

	if (mp_map_get(m, (size_t)(end - m), keys, 1, &v) != 1 ||
	    v.type != MP_STR)
		return;
	i = (size_t)(mlist_get(&s->dcountries, v.ptr, v.len, NULL, 0) -
	    s->dcountries.e);
	if (s->dcountries.n > n) {
		s->det = tsa_realloc(s->det, s->dcountries.cap * sizeof *s->det);
		memset(&s->det[i], 0, sizeof s->det[i]);
	}
	d = &s->det[i];
	mp_map_begin(&it, m, (size_t)(end - m));
	while (mp_map_step(&it, &k, &vs, &ve) > 0)
		(void)read_lists(&k, vs, ve, d);
}

/* One snapshot's buckets (the rates, floats, are not read: bytes say it). */
static void read_bandwidth(struct msnap *s, const uint8_t *vs, const uint8_t *ve)
{
	struct mp_map_iter it;
	struct mp_obj k, v, o;
	const uint8_t *bs, *be, *p;
	struct mbw *bw;
	uint64_t u;
	uint32_t i;

	if (mp_map_begin(&it, vs, (size_t)(ve - vs)) < 0)
		return;
	s->bw = tsa_realloc(s->bw, (s->nbw + 1) * sizeof *s->bw);
	bw = &s->bw[s->nbw++];
	memset(bw, 0, sizeof *bw);
	while (mp_map_step(&it, &k, &bs, &be) > 0) {
		p = bs;
		if (mp_next(&p, be, &v) < 0)
			return;
		if (mp_str_eq(&k, "start", 5) && get_time(&v, &bw->start))
			bw->has_start = true;
		else if (mp_str_eq(&k, "bucket_ns", 9) && get_count(&v, &u))
			bw->bucket_ns = u;
		else if (mp_str_eq(&k, "bytes", 5) && v.type == MP_ARRAY && !bw->bytes) {
			bw->n = v.len > BUCKETS_MAX ? BUCKETS_MAX : v.len;
			bw->bytes = tsa_calloc(bw->n ? bw->n : 1, sizeof *bw->bytes);
			for (i = 0; i < v.len && mp_next(&p, be, &o) == 0; i++)
				if (i < bw->n && get_count(&o, &u))
					bw->bytes[i] = u;
		}
	}
}

/* Fold one snapshot record into s. */
static void fold(struct msnap *s, const uint8_t *rec, size_t len)
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p, *q;
	struct stime t;
	uint64_t u;
	uint32_t i;

	mp_map_begin(&it, rec, len);
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			break;
		if (mp_str_eq(&k, "window_start", 12) && get_time(&v, &t)) {
			if (!s->has_start || stime_cmp(t, s->start) < 0)
				s->start = t;
			s->has_start = true;
		} else if (mp_str_eq(&k, "window_end", 10) && get_time(&v, &t)) {
			if (!s->has_end || stime_cmp(t, s->end) > 0)
				s->end = t;
			s->has_end = true;
		} else if (mp_str_eq(&k, "complete_from", 13) && get_time(&v, &t)) {
			if (!s->has_complete || stime_cmp(t, s->complete_from) > 0)
				s->complete_from = t;
			s->has_complete = true;
		} else if (mp_str_eq(&k, "final", 5) && v.type == MP_BOOL)
			s->final = s->final || v.b;
		else if (mp_str_eq(&k, "incomplete", 10) && v.type == MP_BOOL)
			s->incomplete = s->incomplete || v.b;
		else if (mp_str_eq(&k, "epoch_end", 9) && v.type == MP_BOOL)
			s->epoch_end = s->epoch_end || v.b;
		else if (mp_str_eq(&k, "window", 6) && !s->have) {
			if (v.type == MP_STR)	/* the first, if the key repeats */
				keep(&s->window_str, &v);
			else
				s->window = v;
		} else if (mp_str_eq(&k, "packets", 7) && get_count(&v, &u))
			s->packets = sat_add(s->packets, u);
		else if (mp_str_eq(&k, "bytes", 5) && get_count(&v, &u))
			s->bytes = sat_add(s->bytes, u);
		else if (mp_str_eq(&k, "epoch", 5) && get_count(&v, &u))
			s->epoch = u > s->epoch ? u : s->epoch;
		else if (mp_str_eq(&k, "out_of_order", 12) && get_count(&v, &u))
			s->out_of_order = sat_add(s->out_of_order, u);
		else if (mp_str_eq(&k, "hosts_overflow", 14) && get_count(&v, &u))
			s->hosts_overflow = sat_add(s->hosts_overflow, u);
		else if (mp_str_eq(&k, "sensors", 7) && get_count(&v, &u) && u > 0)
			s->sensors = sat_add(s->sensors, u - 1);
		else if (mp_str_eq(&k, "countries", 9))
			read_list(vs, ve, S_COUNTRIES, &s->countries);
		else if (read_lists(&k, vs, ve, &s->lists))
			;
		else if (mp_str_eq(&k, "ports", 5))
			read_list(vs, ve, S_PORTS, &s->ports);
		else if (mp_str_eq(&k, "locations", 9))
			read_list(vs, ve, S_LOCATIONS, &s->locations);
		else if (mp_str_eq(&k, "orgs", 4))
			read_list(vs, ve, S_ORGS, &s->orgs);
		else if (mp_str_eq(&k, "country_detail", 14) &&
		    v.type == MP_ARRAY) {
			for (i = 0; i < v.len; i++) {
				q = p;
				if (mp_skip(&p, ve) < 0)
					break;
				read_detail(s, q, p);
			}
		} else if (mp_str_eq(&k, "bandwidth", 9))
			read_bandwidth(s, vs, ve);
		else if (mp_str_eq(&k, "alerts", 6) && v.type == MP_ARRAY) {
			for (i = 0; i < v.len; i++) {
				q = p;
				if (mp_skip(&p, ve) < 0)
					break;
				mp_put_raw(&s->alerts, q, (size_t)(p - q));
				s->nalerts++;
			}
		}
	}
	s->sensors = sat_add(s->sensors, 1);
	s->have = true;
}

/* ---- writing ---- */

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

static void sort(struct mlist *l)
{
	if (l->n)
		qsort(l->e, l->n, sizeof *l->e, by_packets);
}

static void put_strs(struct mp_buf *b, const char *k, const struct strset *set)
{
	int i;

	mp_put_cstr(b, k);
	mp_put_array(b, (uint32_t)set->n);
	for (i = 0; i < set->n; i++)
		mp_put_cstr(b, set->s[i]);
}

static void put_u(struct mp_buf *b, const char *k, uint64_t v)
{
	mp_put_cstr(b, k);
	mp_put_uint(b, v);
}

static void put_t(struct mp_buf *b, const char *k, struct stime t)
{
	mp_put_cstr(b, k);
	mp_put_time(b, t.sec, t.nsec);
}

static void put_opt(struct mp_buf *b, const char *k, const char *v)
{
	if (v) {
		mp_put_cstr(b, k);
		mp_put_cstr(b, v);
	}
}

/*
 * The merged buckets.  Sensors with the same window (a time window and the
 * same end) have the same buckets, which add up one by one.  Others (count
 * windows, whole streams, final snapshots ending at each sensor's last
 * packet) are put on one grid over all of them: each bucket's bytes go to
 * the merged bucket that holds its middle.  The bytes add up either way.
 */
static void put_bandwidth(struct mp_buf *b, const struct msnap *s)
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
	out = tsa_calloc(n ? n : 1, sizeof *out);
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
	mp_put_cstr(b, "bandwidth");
	mp_put_map(b, 4 + has_start);
	if (has_start)
		put_t(b, "start", start);
	put_u(b, "bucket_ns", bucket_ns);
	mp_put_cstr(b, "bps");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		mp_put_double(b, bucket_ns ? (double)out[i] * 8 / ((double)bucket_ns / NS) : 0);
	mp_put_cstr(b, "bytes");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++)
		mp_put_uint(b, out[i]);
	/* the average over the merged window */
	span = s->has_start && s->has_end ? stime_diff(s->start, s->end) : 0;
	mp_put_cstr(b, "avg_bps");
	mp_put_double(b, span > 0 ? (double)s->bytes * 8 / (span / NS) : 0);
	free(out);
}

static void put_domains(struct mp_buf *b, struct mlist *l, size_t top)
{
	size_t i, n;
	int j;

	sort(l);
	n = l->n < top ? l->n : top;
	mp_put_cstr(b, "domains");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &l->e[i];

		mp_put_map(b, 8 + (e->aliases.n > 0));
		put_opt(b, "domain", e->name);
		if (e->aliases.n)
			put_strs(b, "aliases", &e->aliases);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
		put_u(b, "hosts", e->hosts);
		put_strs(b, "countries", &e->countries);
		put_strs(b, "os", &e->oss);
		put_strs(b, "apps", &e->apps);
		mp_put_cstr(b, "dists");
		mp_put_array(b, (uint32_t)e->ndists);
		for (j = 0; j < e->ndists; j++)
			mp_put_uint(b, e->dists[j]);
	}
}

static void put_os(struct mp_buf *b, struct mlist *l)
{
	size_t i;

	sort(l);
	mp_put_cstr(b, "os");
	mp_put_array(b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++) {
		struct ment *e = &l->e[i];

		mp_put_map(b, 3 + !!e->cls);
		put_opt(b, "os", e->name);
		put_opt(b, "class", e->cls);
		put_u(b, "hosts", e->hosts);
		put_u(b, "packets", e->packets);
	}
}

static void put_hosts(struct mp_buf *b, struct mlist *l, size_t top)
{
	size_t i, n;

	if (l->n)
		qsort(l->e, l->n, sizeof *l->e, by_host);
	n = l->n < top ? l->n : top;
	mp_put_cstr(b, "hosts");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &l->e[i];

		mp_put_map(b, 3 + !!e->country + !!e->os + !!e->os_class + !!e->app +
		    e->has_dist + !!e->domain + !!e->link + !!e->mtu + !!e->lang +
		    e->has_uptime + e->nat + 2 * e->has_seen);
		mp_put_cstr(b, "addr");
		mp_put_bin(b, e->addr, e->alen);
		put_opt(b, "country", e->country);
		put_opt(b, "os", e->os);
		put_opt(b, "os_class", e->os_class);
		put_opt(b, "app", e->app);
		if (e->has_dist)
			put_u(b, "dist", e->dist);
		put_opt(b, "link", e->link);
		if (e->mtu)
			put_u(b, "mtu", e->mtu);
		put_opt(b, "lang", e->lang);
		if (e->has_uptime)
			put_u(b, "uptime_min", e->uptime_min);
		if (e->nat) {
			mp_put_cstr(b, "nat");
			mp_put_bool(b, true);
		}
		if (e->has_seen) {
			put_t(b, "first_seen", e->first_seen);
			put_t(b, "last_seen", e->last_seen);
		}
		put_opt(b, "domain", e->domain);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
	}
}

static void put_apps(struct mp_buf *b, struct mlist *l)
{
	size_t i;

	sort(l);
	mp_put_cstr(b, "apps");
	mp_put_array(b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++) {
		mp_put_map(b, 3);
		put_opt(b, "app", l->e[i].name);
		put_u(b, "packets", l->e[i].packets);
		put_u(b, "bytes", l->e[i].bytes);
	}
}

/*
 * The details of the merged top countries (s->countries, sorted), as
 * many as tsa-aggregate gives: a country some sensor gave detail for;
 * its lists summed over the sensors that did.
 */
static void put_detail(struct mp_buf *b, struct msnap *s)
{
	size_t i, n = 0, max = agg_opt.detail_countries;
	uint32_t *pick = tsa_malloc((s->countries.n ? s->countries.n : 1) *
	    sizeof *pick);

	for (i = 0; i < s->countries.n && n < max; i++) {
		const struct ment *c = &s->countries.e[i], *e;

		if (c->name && (e = mlist_find(&s->dcountries, c->hash,
		    (const uint8_t *)c->name, c->nlen, NULL, 0)))
			pick[n++] = (uint32_t)(e - s->dcountries.e);
	}
	mp_put_cstr(b, "country_detail");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct mdetail *d = &s->det[pick[i]];

		mp_put_map(b, 5);
		put_opt(b, "country", s->dcountries.e[pick[i]].name);
		put_hosts(b, &d->hosts, agg_opt.detail_top);
		put_domains(b, &d->domains, agg_opt.detail_top);
		put_os(b, &d->os);
		put_apps(b, &d->apps);
	}
	free(pick);
}

static void emit(struct tsa_writer *w, struct msnap *s, uint32_t top_hosts,
    uint32_t top_domains)
{
	struct mp_buf *b = tsa_out(w);
	bool bounds = s->has_start && s->has_end;
	size_t i, n;

	mp_put_map(b, 16 + 2 * bounds + s->final + s->incomplete + s->epoch_end + !!s->epoch +
	    s->has_complete + !!s->out_of_order + !!s->hosts_overflow);
	mp_put_cstr(b, "type");
	mp_put_cstr(b, "snapshot");
	if (bounds) {
		put_t(b, "window_start", s->start);
		put_t(b, "window_end", s->end);
	}
	mp_put_cstr(b, "window");
	if (s->window_str)
		mp_put_cstr(b, s->window_str);
	else
		mp_put_uint(b, s->window.type == MP_UINT ? s->window.u : 0);
	if (s->final) {
		mp_put_cstr(b, "final");
		mp_put_bool(b, true);
	}
	if (s->incomplete) {
		mp_put_cstr(b, "incomplete");
		mp_put_bool(b, true);
	}
	if (s->epoch_end) {
		mp_put_cstr(b, "epoch_end");
		mp_put_bool(b, true);
	}
	if (s->epoch)
		put_u(b, "epoch", s->epoch);
	if (s->has_complete)
		put_t(b, "complete_from", s->complete_from);
	if (s->out_of_order)
		put_u(b, "out_of_order", s->out_of_order);
	if (s->hosts_overflow)
		put_u(b, "hosts_overflow", s->hosts_overflow);
	put_u(b, "sensors", s->sensors);
	put_u(b, "packets", s->packets);
	put_u(b, "bytes", s->bytes);

	sort(&s->countries);
	mp_put_cstr(b, "countries");
	mp_put_array(b, (uint32_t)s->countries.n);
	for (i = 0; i < s->countries.n; i++) {
		struct ment *e = &s->countries.e[i];

		mp_put_map(b, 4);
		put_opt(b, "country", e->name);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
		put_u(b, "hosts", e->hosts);
	}

	put_domains(b, &s->lists.domains, top_domains);
	put_os(b, &s->lists.os);
	put_hosts(b, &s->lists.hosts, top_hosts);
	put_detail(b, s);
	put_apps(b, &s->lists.apps);

	/* Each sensor's top ports, added: a port below one sensor's top is
	 * missing from its sum. */
	if (s->ports.n)
		qsort(s->ports.e, s->ports.n, sizeof *s->ports.e, by_port);
	n = s->ports.n < TOP_PORTS ? s->ports.n : TOP_PORTS;
	mp_put_cstr(b, "ports");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &s->ports.e[i];
		const char *slash = strchr(e->name, '/');

		mp_put_map(b, 4 + !!e->app);
		put_u(b, "port", strtoul(slash + 1, NULL, 10));
		mp_put_cstr(b, "protocol");
		mp_put_str(b, e->name, (size_t)(slash - e->name));
		put_opt(b, "app", e->app);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
	}

	sort(&s->locations);
	n = s->locations.n < TOP_LOCATIONS ? s->locations.n : TOP_LOCATIONS;
	mp_put_cstr(b, "locations");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &s->locations.e[i];
		double la = strtod(e->name, NULL);
		double lo = strtod(strchr(e->name, ',') + 1, NULL);

		mp_put_map(b, 5 + !!e->domain + !!e->country);
		mp_put_cstr(b, "lat");
		mp_put_double(b, la);
		mp_put_cstr(b, "lon");
		mp_put_double(b, lo);
		put_opt(b, "city", e->domain);
		put_opt(b, "country", e->country);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
		put_u(b, "hosts", e->hosts);
	}

	sort(&s->orgs);
	n = s->orgs.n < TOP_ORGS ? s->orgs.n : TOP_ORGS;
	mp_put_cstr(b, "orgs");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &s->orgs.e[i];

		mp_put_map(b, 4 + !!e->domain);
		put_u(b, "asn", strtoull(e->name + 2, NULL, 10));
		put_opt(b, "org", e->domain);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
		put_u(b, "hosts", e->hosts);
	}

	put_bandwidth(b, s);

	mp_put_cstr(b, "alerts");
	mp_put_array(b, s->nalerts);
	mp_put_raw(b, s->alerts.p, s->alerts.len);
	tsa_wrote(w);
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
