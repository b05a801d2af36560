/*
 * Decode a snapshot record.  Every value is read from its own byte range
 * (the map iterator hands out [start, end) per value), so a malformed or
 * mistyped field can only leave that field empty.  Array lengths are
 * checked against the bytes left before anything is allocated: an element
 * takes at least one byte, so a hostile count cannot ask for more memory
 * than the record's size allows.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

struct range {
	const uint8_t *p, *end;
};

static bool obj(struct range r, struct mp_obj *o)
{
	return mp_next(&r.p, r.end, o) == 0;
}

/* A string's bytes as a C string; a NUL inside would silently cut the
 * text, so it shows as '?'. */
static char *text(const uint8_t *p, uint32_t n)
{
	char *s = tsa_strndup(p, n);

	for (uint32_t i = 0; i < n; i++)
		if (s[i] == 0)
			s[i] = '?';
	return s;
}

static char *str(struct range r)
{
	struct mp_obj o;

	if (!obj(r, &o) || o.type != MP_STR)
		return NULL;
	return text(o.ptr, o.len);
}

/* A count: any unsigned integer; anything else (negative, a float, a
 * string) counts as nothing. */
static uint64_t u64(struct range r)
{
	struct mp_obj o;

	return obj(r, &o) && o.type == MP_UINT ? o.u : 0;
}

static bool boolean(struct range r)
{
	struct mp_obj o;

	return obj(r, &o) && o.type == MP_BOOL && o.b;
}

static double num(struct range r, bool *ok)
{
	struct mp_obj o;
	double v = 0;

	/* NaN and infinities would reach gnuplot as words it cannot read. */
	*ok = obj(r, &o) && mp_obj_num(&o, &v) && isfinite(v);
	return *ok ? v : 0;
}

struct stime stime_of_ns(int64_t ns)
{
	int64_t s = ns / 1000000000, r = ns % 1000000000;

	if (r < 0) {
		s--;
		r += 1000000000;
	}
	return (struct stime){ s, (uint32_t)r };
}

int64_t stime_ns(struct stime t, bool has)
{
	if (!has || t.sec < -9000000000LL || t.sec > 9000000000LL)
		return 0;
	return t.sec * 1000000000LL + t.nsec;
}

/* A timestamp, as it is; false when r holds none. */
static bool stime(struct range r, struct stime *t)
{
	struct mp_obj o;

	return obj(r, &o) && mp_obj_time(&o, &t->sec, &t->nsec);
}

/* A timestamp as nanoseconds since the epoch; 0 if absent or out of range. */
static int64_t ns_time(struct range r)
{
	struct stime t;
	bool has = stime(r, &t);

	return stime_ns(t, has);
}

static size_t addr(struct range r, uint8_t out[16])
{
	struct mp_obj o;

	if (!obj(r, &o) || o.type != MP_BIN || (o.len != 4 && o.len != 16))
		return 0;
	memcpy(out, o.ptr, o.len);
	return o.len;
}

/*
 * Start an array: returns its element count (0 if r is not an array or
 * claims more elements than bytes) and leaves *it at the first element.
 */
static size_t array(struct range r, struct range *it)
{
	struct mp_obj o;

	*it = r;
	if (mp_next(&it->p, it->end, &o) < 0 || o.type != MP_ARRAY)
		return 0;
	if (o.len > (size_t)(it->end - it->p))
		return 0;
	return o.len;
}

/* The next element of an array as its own range; false when malformed. */
static bool element(struct range *it, struct range *el)
{
	el->p = it->p;
	if (mp_skip(&it->p, it->end) < 0)
		return false;
	el->end = it->p;
	return true;
}

/* Iterate the pairs of a map: name is the key, *v the value's range. */
static bool map_next(struct mp_map_iter *mi, struct mp_obj *key,
    struct range *v)
{
	return mp_map_step(mi, key, &v->p, &v->end) == 1;
}

#define KEY(k, s) mp_str_eq(&(k), s, sizeof s - 1)

static void strlist(struct range r, struct strlist *l)
{
	struct range it, el;
	size_t n = array(r, &it);

	l->v = tsa_calloc(n ? n : 1, sizeof *l->v);
	l->n = 0;
	for (size_t i = 0; i < n && element(&it, &el); i++) {
		char *s = str(el);
		if (s)
			l->v[l->n++] = s;
	}
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/*
 * Decode an array of maps: for each element, field(row, key, value) is
 * called per pair.  Rows are sized by size; *n counts the decoded ones.
 */
typedef void (*field_fn)(void *row, struct mp_obj key, struct range v);

static void *rows(struct range r, size_t size, size_t *n, field_fn field)
{
	struct range it, el;
	size_t want = array(r, &it);
	char *out = tsa_calloc(want ? want : 1, size);

	*n = 0;
	for (size_t i = 0; i < want && element(&it, &el); i++) {
		struct mp_map_iter mi;
		struct mp_obj k;
		struct range v;
		void *row = out + *n * size;

		if (mp_map_begin(&mi, el.p, (size_t)(el.end - el.p)) < 0)
			continue;
		while (map_next(&mi, &k, &v))
			field(row, k, v);
		(*n)++;
	}
	return out;
}

static void country_field(void *row, struct mp_obj k, struct range v)
{
	struct country_row *c = row;

	if (KEY(k, "country") && !c->country)
		c->country = str(v);
	else if (KEY(k, "packets"))
		c->packets = u64(v);
	else if (KEY(k, "bytes"))
		c->bytes = u64(v);
	else if (KEY(k, "hosts"))
		c->hosts = u64(v);
}

static void domain_field(void *row, struct mp_obj k, struct range v)
{
	struct domain_row *d = row;

	if (KEY(k, "domain") && !d->domain)
		d->domain = str(v);
	else if (KEY(k, "packets"))
		d->packets = u64(v);
	else if (KEY(k, "bytes"))
		d->bytes = u64(v);
	else if (KEY(k, "hosts"))
		d->hosts = u64(v);
	else if (KEY(k, "aliases") && !d->aliases.v)
		strlist(v, &d->aliases);
	else if (KEY(k, "countries") && !d->countries.v)
		strlist(v, &d->countries);
	else if (KEY(k, "os") && !d->os.v)
		strlist(v, &d->os);
	else if (KEY(k, "apps") && !d->apps.v)
		strlist(v, &d->apps);
	else if (KEY(k, "dists") && !d->dists) {
		struct range it, el;
		size_t n = array(v, &it);
		struct mp_obj o;

		d->dists = tsa_calloc(n ? n : 1, sizeof *d->dists);
		for (size_t i = 0; i < n && element(&it, &el); i++)
			if (obj(el, &o) && o.type == MP_UINT)
				d->dists[d->ndists++] = o.u;
	}
}

static void host_field(void *row, struct mp_obj k, struct range v)
{
	struct host_row *h = row;
	struct mp_obj o;

	if (KEY(k, "addr"))
		h->addrlen = addr(v, h->addr);
	else if (KEY(k, "country") && !h->country)
		h->country = str(v);
	else if (KEY(k, "os") && !h->os)
		h->os = str(v);
	else if (KEY(k, "os_class") && !h->os_class)
		h->os_class = str(v);
	else if (KEY(k, "app") && !h->app)
		h->app = str(v);
	else if (KEY(k, "link") && !h->link)
		h->link = str(v);
	else if (KEY(k, "lang") && !h->lang)
		h->lang = str(v);
	else if (KEY(k, "mtu"))
		h->mtu = u64(v);
	else if (KEY(k, "uptime_min")) {
		h->has_uptime = obj(v, &o) && o.type == MP_UINT;
		h->uptime_min = h->has_uptime ? o.u : 0;
	} else if (KEY(k, "nat"))
		h->nat = boolean(v);
	else if (KEY(k, "first_seen") || KEY(k, "last_seen")) {
		struct stime t;

		/* One of the two stands for both. */
		if (!stime(v, &t))
			return;
		if (KEY(k, "first_seen") || !h->has_seen)
			h->first_seen = t;
		if (KEY(k, "last_seen") || !h->has_seen)
			h->last_seen = t;
		h->has_seen = true;
	}
	else if (KEY(k, "domain") && !h->domain)
		h->domain = str(v);
	else if (KEY(k, "dist")) {
		h->has_dist = obj(v, &o) && o.type == MP_UINT;
		h->dist = h->has_dist ? o.u : 0;
	}
	else if (KEY(k, "packets"))
		h->packets = u64(v);
	else if (KEY(k, "bytes"))
		h->bytes = u64(v);
}

static void os_field(void *row, struct mp_obj k, struct range v)
{
	struct os_row *o = row;

	if (KEY(k, "os") && !o->os)
		o->os = str(v);
	else if (KEY(k, "class") && !o->class)
		o->class = str(v);
	else if (KEY(k, "hosts"))
		o->hosts = u64(v);
	else if (KEY(k, "packets"))
		o->packets = u64(v);
}

static void app_field(void *row, struct mp_obj k, struct range v)
{
	struct app_row *a = row;

	if (KEY(k, "app") && !a->app)
		a->app = str(v);
	else if (KEY(k, "packets"))
		a->packets = u64(v);
	else if (KEY(k, "bytes"))
		a->bytes = u64(v);
}

static void port_field(void *row, struct mp_obj k, struct range v)
{
	struct port_row *p = row;

	if (KEY(k, "port"))
		p->port = u64(v);
	else if (KEY(k, "protocol") && !p->protocol)
		p->protocol = str(v);
	else if (KEY(k, "app") && !p->app)
		p->app = str(v);
	else if (KEY(k, "packets"))
		p->packets = u64(v);
	else if (KEY(k, "bytes"))
		p->bytes = u64(v);
}

static void loc_field(void *row, struct mp_obj k, struct range v)
{
	struct loc_row *l = row;
	bool ok;
	double d;

	if (KEY(k, "lat")) {
		d = num(v, &ok);
		if ((l->has_lat = ok && d >= -90 && d <= 90))
			l->lat = d;
	} else if (KEY(k, "lon")) {
		d = num(v, &ok);
		if ((l->has_lon = ok && d >= -180 && d <= 180))
			l->lon = d;
	} else if (KEY(k, "city") && !l->city)
		l->city = str(v);
	else if (KEY(k, "country") && !l->country)
		l->country = str(v);
	else if (KEY(k, "packets"))
		l->packets = u64(v);
	else if (KEY(k, "bytes"))
		l->bytes = u64(v);
	else if (KEY(k, "hosts"))
		l->hosts = u64(v);
}

static void org_field(void *row, struct mp_obj k, struct range v)
{
	struct org_row *o = row;

	if (KEY(k, "asn"))
		o->asn = u64(v);
	else if (KEY(k, "org") && !o->org)
		o->org = str(v);
	else if (KEY(k, "packets"))
		o->packets = u64(v);
	else if (KEY(k, "bytes"))
		o->bytes = u64(v);
	else if (KEY(k, "hosts"))
		o->hosts = u64(v);
}

static void alert_field(void *row, struct mp_obj k, struct range v)
{
	struct alert_row *a = row;

	if (KEY(k, "alert") && !a->alert)
		a->alert = str(v);
	else if (KEY(k, "reason") && !a->reason)
		a->reason = str(v);
	else if (KEY(k, "country") && !a->country)
		a->country = str(v);
	else if (KEY(k, "window_start"))
		a->start_ns = ns_time(v);
	else if (KEY(k, "window_end"))
		a->end_ns = ns_time(v);
	else if (KEY(k, "host_addr"))
		a->addrlen = addr(v, a->addr);
	else if (KEY(k, "counts") && !a->counts) {
		struct mp_map_iter mi;
		struct mp_obj ck;
		struct range cv;
		size_t cap = (size_t)(v.end - v.p);

		/* Each pair takes at least two bytes. */
		a->counts = tsa_calloc(cap / 2 + 1, sizeof *a->counts);
		if (mp_map_begin(&mi, v.p, cap) < 0)
			return;
		while (map_next(&mi, &ck, &cv) && a->ncounts < cap / 2 + 1) {
			struct count_pair *c = &a->counts[a->ncounts++];
			c->key = text(ck.ptr, ck.len);
			c->n = u64(cv);
		}
	}
}

int alert_decode(const uint8_t *rec, size_t len, struct alert_row *a)
{
	struct mp_map_iter mi;
	struct mp_obj k;
	struct range v;
	int rc;

	memset(a, 0, sizeof *a);
	if (mp_map_begin(&mi, rec, len) < 0)
		return -1;
	while ((rc = mp_map_step(&mi, &k, &v.p, &v.end)) == 1)
		alert_field(a, k, v);
	if (rc < 0)
		return -1;
	a->raw = tsa_malloc(len);
	memcpy(a->raw, rec, len);
	a->rawlen = len;
	return 0;
}

void alert_free(struct alert_row *a)
{
	free(a->alert);
	free(a->reason);
	free(a->country);
	for (size_t j = 0; j < a->ncounts; j++)
		free(a->counts[j].key);
	free(a->counts);
	free(a->raw);
	memset(a, 0, sizeof *a);
}

static void bandwidth(struct range r, struct bandwidth *b)
{
	struct mp_map_iter mi;
	struct mp_obj k;
	struct range v, it, el;
	bool ok;

	if (mp_map_begin(&mi, r.p, (size_t)(r.end - r.p)) < 0)
		return;
	while (map_next(&mi, &k, &v)) {
		if (KEY(k, "start"))
			b->has_start = stime(v, &b->start);
		else if (KEY(k, "bucket_ns"))
			b->bucket_ns = u64(v);
		else if (KEY(k, "avg_bps"))
			b->avg_bps = num(v, &b->has_avg);
		else if (KEY(k, "bps") && !b->bps) {
			size_t n = array(v, &it);
			b->bps = tsa_calloc(n ? n : 1, sizeof *b->bps);
			for (size_t i = 0; i < n && element(&it, &el); i++) {
				double x = num(el, &ok);
				b->bps[b->nbps++] = ok && x >= 0 ? x : 0;
			}
		} else if (KEY(k, "bytes") && !b->bytes) {
			size_t n = array(v, &it);
			b->bytes = tsa_calloc(n ? n : 1, sizeof *b->bytes);
			for (size_t i = 0; i < n && element(&it, &el); i++)
				b->bytes[b->nbytes++] = u64(el);
		}
	}
}

/* The alerts of a snapshot: each as an alert record, kept whole. */
static struct alert_row *alerts(struct range r, size_t *n)
{
	struct range it, el;
	size_t want = array(r, &it);
	struct alert_row *out = tsa_calloc(want ? want : 1, sizeof *out);

	*n = 0;
	for (size_t i = 0; i < want && element(&it, &el); i++)
		if (alert_decode(el.p, (size_t)(el.end - el.p), &out[*n]) == 0)
			(*n)++;
		else
			alert_free(&out[*n]);
	return out;
}

/* The lists a window and a country's detail both have; false for any
 * other key. */
static bool list_field(struct country_detail *d, struct mp_obj k,
    struct range v)
{
	if (KEY(k, "hosts")) {
		if (!d->hosts)
			d->hosts = rows(v, sizeof *d->hosts, &d->nhosts,
			    host_field);
	} else if (KEY(k, "domains")) {
		if (!d->domains)
			d->domains = rows(v, sizeof *d->domains, &d->ndomains,
			    domain_field);
	} else if (KEY(k, "os")) {
		if (!d->os)
			d->os = rows(v, sizeof *d->os, &d->nos, os_field);
	} else if (KEY(k, "apps")) {
		if (!d->apps)
			d->apps = rows(v, sizeof *d->apps, &d->napps,
			    app_field);
	} else
		return false;
	return true;
}

static void detail_field(void *row, struct mp_obj k, struct range v)
{
	struct country_detail *d = row;

	if (KEY(k, "country") && !d->country)
		d->country = str(v);
	else
		(void)list_field(d, k, v);
}

int snapshot_decode(const uint8_t *rec, size_t len, struct snapshot *s)
{
	struct mp_map_iter mi;
	struct mp_obj k, o;
	struct range v;
	struct country_detail lists = { 0 };
	int rc;
	bool has_start = false, has_end = false, has_window = false;

	memset(s, 0, sizeof *s);
	if (mp_map_begin(&mi, rec, len) < 0)
		return -1;
	while ((rc = mp_map_step(&mi, &k, &v.p, &v.end)) == 1) {
		if (KEY(k, "window_start"))
			has_start = stime(v, &s->start);
		else if (KEY(k, "window_end"))
			has_end = stime(v, &s->end);
		else if (KEY(k, "window") && !has_window) {
			/* a duration text, or a count of packets */
			has_window = true;
			if (obj(v, &o) && o.type == MP_UINT)
				s->window_packets = o.u;
			else
				s->window = str(v);
		} else if (KEY(k, "final"))
			s->final = boolean(v);
		else if (KEY(k, "incomplete"))
			s->incomplete = boolean(v);
		else if (KEY(k, "epoch_end"))
			s->epoch_end = boolean(v);
		else if (KEY(k, "epoch"))
			s->epoch = u64(v);
		else if (KEY(k, "complete_from"))
			s->has_complete = stime(v, &s->complete_from);
		else if (KEY(k, "out_of_order"))
			s->out_of_order = u64(v);
		else if (KEY(k, "hosts_overflow"))
			s->hosts_overflow = u64(v);
		else if (KEY(k, "sensors"))
			s->sensors = u64(v);
		else if (KEY(k, "packets"))
			s->packets = u64(v);
		else if (KEY(k, "bytes"))
			s->bytes = u64(v);
		else if (KEY(k, "countries") && !s->countries)
			s->countries = rows(v, sizeof *s->countries,
			    &s->ncountries, country_field);
		else if (list_field(&lists, k, v))
			;
		else if (KEY(k, "ports") && !s->ports)
			s->ports = rows(v, sizeof *s->ports, &s->nports,
			    port_field);
		else if (KEY(k, "orgs") && !s->orgs)
			s->orgs = rows(v, sizeof *s->orgs, &s->norgs, org_field);
		else if (KEY(k, "locations") && !s->locs)
			s->locs = rows(v, sizeof *s->locs, &s->nlocs, loc_field);
		else if (KEY(k, "alerts") && !s->alerts)
			s->alerts = alerts(v, &s->nalerts);
		else if (KEY(k, "country_detail") && !s->detail)
			s->detail = rows(v, sizeof *s->detail, &s->ndetail,
			    detail_field);
		else if (KEY(k, "bandwidth") && !s->bw.bps)
			bandwidth(v, &s->bw);
	}
	snapshot_set_lists(s, &lists);
	s->has_bounds = has_start && has_end;
	return rc < 0 ? -1 : 0;
}

const char *snapshot_window(const struct snapshot *s, char buf[32])
{
	if (s->window)
		return s->window;
	if (!s->window_packets)
		return NULL;
	snprintf(buf, 32, "%llu packets", (unsigned long long)s->window_packets);
	return buf;
}

bool snapshot_empty(const struct snapshot *s)
{
	return !s->packets && !s->bytes && !s->ncountries && !s->ndomains &&
	    !s->nhosts && !s->nos;
}

static void domains_free(struct domain_row *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].domain);
		strlist_free(&d[i].aliases);
		strlist_free(&d[i].countries);
		strlist_free(&d[i].os);
		strlist_free(&d[i].apps);
		free(d[i].dists);
	}
	free(d);
}

static void hosts_free(struct host_row *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].country);
		free(h[i].os);
		free(h[i].os_class);
		free(h[i].app);
		free(h[i].link);
		free(h[i].lang);
		free(h[i].domain);
	}
	free(h);
}

static void os_free(struct os_row *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(o[i].os);
		free(o[i].class);
	}
	free(o);
}

static void apps_free(struct app_row *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(a[i].app);
	free(a);
}

/* A window's lists, or a country's with its name. */
static void lists_free(struct country_detail *d)
{
	free(d->country);
	hosts_free(d->hosts, d->nhosts);
	domains_free(d->domains, d->ndomains);
	os_free(d->os, d->nos);
	apps_free(d->apps, d->napps);
}

void snapshot_free(struct snapshot *s)
{
	struct country_detail lists = snapshot_lists(s);

	for (size_t i = 0; i < s->ncountries; i++)
		free(s->countries[i].country);
	lists_free(&lists);
	for (size_t i = 0; i < s->nalerts; i++)
		alert_free(&s->alerts[i]);
	for (size_t i = 0; i < s->ndetail; i++)
		lists_free(&s->detail[i]);
	free(s->detail);
	for (size_t i = 0; i < s->nports; i++) {
		free(s->ports[i].protocol);
		free(s->ports[i].app);
	}
	for (size_t i = 0; i < s->nlocs; i++) {
		free(s->locs[i].city);
		free(s->locs[i].country);
	}
	free(s->ports);
	free(s->locs);
	for (size_t i = 0; i < s->norgs; i++)
		free(s->orgs[i].org);
	free(s->orgs);
	free(s->countries);
	free(s->alerts);
	free(s->bw.bps);
	free(s->bw.bytes);
	free(s->window);
	memset(s, 0, sizeof *s);
}

struct country_detail snapshot_lists(const struct snapshot *s)
{
	return (struct country_detail){ NULL, s->hosts, s->nhosts, s->domains,
	    s->ndomains, s->os, s->nos, s->apps, s->napps };
}

void snapshot_set_lists(struct snapshot *s, const struct country_detail *d)
{
	s->hosts = d->hosts;
	s->nhosts = d->nhosts;
	s->domains = d->domains;
	s->ndomains = d->ndomains;
	s->os = d->os;
	s->nos = d->nos;
	s->apps = d->apps;
	s->napps = d->napps;
}

const struct country_detail *snapshot_detail(const struct snapshot *s,
    const char *country)
{
	for (size_t i = 0; i < s->ndetail; i++)
		if (s->detail[i].country && country &&
		    strcmp(s->detail[i].country, country) == 0)
			return &s->detail[i];
	return NULL;
}
