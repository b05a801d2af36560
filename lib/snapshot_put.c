/*
 * Encode a snapshot (lib/snapshot.h) as its record: the keys of each map
 * in the order docs/stream.md lists them, an optional key only when its
 * field is set, every map sized by mp_map_close.
 */
#include "tsa.h"

static void put_s(struct mp_buf *b, struct mp_map_w *m, const char *k,
    const char *v)
{
	if (!v)
		return;
	mp_map_key(b, m, k);
	mp_put_cstr(b, v);
}

static void put_t(struct mp_buf *b, struct mp_map_w *m, const char *k,
    struct stime t)
{
	mp_map_key(b, m, k);
	mp_put_time(b, t.sec, t.nsec);
}

static void put_true(struct mp_buf *b, struct mp_map_w *m, const char *k,
    bool v)
{
	if (!v)
		return;
	mp_map_key(b, m, k);
	mp_put_bool(b, true);
}

static void put_strs(struct mp_buf *b, struct mp_map_w *m, const char *k,
    const struct strlist *l)
{
	mp_map_key(b, m, k);
	mp_put_array(b, (uint32_t)l->n);
	for (size_t i = 0; i < l->n; i++)
		mp_put_cstr(b, l->v[i]);
}

/* The key of a list, and its array header. */
static void put_list(struct mp_buf *b, struct mp_map_w *m, const char *k,
    size_t n)
{
	mp_map_key(b, m, k);
	mp_put_array(b, (uint32_t)n);
}

/*
 * A list of maps under key k: n rows of size bytes, each written by
 * row(b, m, row) into its own sized map.  (The decoder's rows() is its
 * other half.)
 */
typedef void (*row_fn)(struct mp_buf *b, struct mp_map_w *m, const void *row);

static void put_rows(struct mp_buf *b, struct mp_map_w *top, const char *k,
    const void *rows, size_t n, size_t size, row_fn row)
{
	put_list(b, top, k, n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		row(b, &m, (const char *)rows + i * size);
		mp_map_close(b, &m);
	}
}

#define PUT_ROWS(b, top, k, v, n, fn) put_rows(b, top, k, v, n, sizeof *(v), fn)

static void put_country(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct country_row *c = row;

	put_s(b, m, "country", c->country);
	mp_map_uint(b, m, "packets", c->packets);
	mp_map_uint(b, m, "bytes", c->bytes);
	mp_map_uint(b, m, "hosts", c->hosts);
}

static void put_domain(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct domain_row *d = row;

	put_s(b, m, "domain", d->domain);
	if (d->aliases.n)
		put_strs(b, m, "aliases", &d->aliases);
	mp_map_uint(b, m, "packets", d->packets);
	mp_map_uint(b, m, "bytes", d->bytes);
	mp_map_uint(b, m, "hosts", d->hosts);
	put_strs(b, m, "countries", &d->countries);
	put_strs(b, m, "os", &d->os);
	put_strs(b, m, "apps", &d->apps);
	put_list(b, m, "dists", d->ndists);
	for (size_t j = 0; j < d->ndists; j++)
		mp_put_uint(b, d->dists[j]);
}

static void put_os(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct os_row *o = row;

	put_s(b, m, "os", o->os);
	put_s(b, m, "class", o->class);
	mp_map_uint(b, m, "hosts", o->hosts);
	mp_map_uint(b, m, "packets", o->packets);
}

static void put_host(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct host_row *h = row;

	if (h->addrlen) {
		mp_map_key(b, m, "addr");
		mp_put_bin(b, h->addr, h->addrlen);
	}
	put_s(b, m, "country", h->country);
	put_s(b, m, "os", h->os);
	put_s(b, m, "os_class", h->os_class);
	put_s(b, m, "app", h->app);
	if (h->has_dist)
		mp_map_uint(b, m, "dist", h->dist);
	put_s(b, m, "link", h->link);
	if (h->mtu)
		mp_map_uint(b, m, "mtu", h->mtu);
	put_s(b, m, "lang", h->lang);
	if (h->has_uptime)
		mp_map_uint(b, m, "uptime_min", h->uptime_min);
	put_true(b, m, "nat", h->nat);
	if (h->has_seen) {
		put_t(b, m, "first_seen", h->first_seen);
		put_t(b, m, "last_seen", h->last_seen);
	}
	put_s(b, m, "domain", h->domain);
	mp_map_uint(b, m, "packets", h->packets);
	mp_map_uint(b, m, "bytes", h->bytes);
}

static void put_app(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct app_row *a = row;

	put_s(b, m, "app", a->app);
	mp_map_uint(b, m, "packets", a->packets);
	mp_map_uint(b, m, "bytes", a->bytes);
}

static void put_detail(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct country_detail *d = row;

	put_s(b, m, "country", d->country);
	PUT_ROWS(b, m, "hosts", d->hosts, d->nhosts, put_host);
	PUT_ROWS(b, m, "domains", d->domains, d->ndomains, put_domain);
	PUT_ROWS(b, m, "os", d->os, d->nos, put_os);
	PUT_ROWS(b, m, "apps", d->apps, d->napps, put_app);
}

static void put_port(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct port_row *p = row;

	mp_map_uint(b, m, "port", p->port);
	put_s(b, m, "protocol", p->protocol);
	put_s(b, m, "app", p->app);
	mp_map_uint(b, m, "packets", p->packets);
	mp_map_uint(b, m, "bytes", p->bytes);
}

static void put_location(struct mp_buf *b, struct mp_map_w *m,
    const void *row)
{
	const struct loc_row *l = row;

	mp_map_key(b, m, "lat");
	mp_put_double(b, l->lat);
	mp_map_key(b, m, "lon");
	mp_put_double(b, l->lon);
	put_s(b, m, "city", l->city);
	put_s(b, m, "country", l->country);
	mp_map_uint(b, m, "packets", l->packets);
	mp_map_uint(b, m, "bytes", l->bytes);
	mp_map_uint(b, m, "hosts", l->hosts);
}

static void put_org(struct mp_buf *b, struct mp_map_w *m, const void *row)
{
	const struct org_row *o = row;

	mp_map_uint(b, m, "asn", o->asn);
	put_s(b, m, "org", o->org);
	mp_map_uint(b, m, "packets", o->packets);
	mp_map_uint(b, m, "bytes", o->bytes);
	mp_map_uint(b, m, "hosts", o->hosts);
}

static void put_bandwidth(struct mp_buf *b, struct mp_map_w *top,
    const struct bandwidth *bw)
{
	struct mp_map_w m;

	mp_map_key(b, top, "bandwidth");
	mp_map_open(b, &m);
	if (bw->has_start)
		put_t(b, &m, "start", bw->start);
	mp_map_uint(b, &m, "bucket_ns", bw->bucket_ns);
	put_list(b, &m, "bps", bw->nbps);
	for (size_t i = 0; i < bw->nbps; i++)
		mp_put_double(b, bw->bps[i]);
	put_list(b, &m, "bytes", bw->nbytes);
	for (size_t i = 0; i < bw->nbytes; i++)
		mp_put_uint(b, bw->bytes[i]);
	mp_map_key(b, &m, "avg_bps");
	mp_put_double(b, bw->avg_bps);
	mp_map_close(b, &m);
}

void snapshot_put(struct mp_buf *b, const struct snapshot *s)
{
	struct mp_map_w m;

	mp_map_open(b, &m);
	put_s(b, &m, "type", "snapshot");
	if (s->has_bounds) {
		put_t(b, &m, "window_start", s->start);
		put_t(b, &m, "window_end", s->end);
	}
	if (s->window)
		put_s(b, &m, "window", s->window);
	else
		mp_map_uint(b, &m, "window", s->window_packets);
	put_true(b, &m, "final", s->final);
	put_true(b, &m, "incomplete", s->incomplete);
	put_true(b, &m, "epoch_end", s->epoch_end);
	if (s->epoch)
		mp_map_uint(b, &m, "epoch", s->epoch);
	if (s->has_complete)
		put_t(b, &m, "complete_from", s->complete_from);
	if (s->out_of_order)
		mp_map_uint(b, &m, "out_of_order", s->out_of_order);
	if (s->hosts_overflow)
		mp_map_uint(b, &m, "hosts_overflow", s->hosts_overflow);
	if (s->sensors)
		mp_map_uint(b, &m, "sensors", s->sensors);
	mp_map_uint(b, &m, "packets", s->packets);
	mp_map_uint(b, &m, "bytes", s->bytes);
	PUT_ROWS(b, &m, "countries", s->countries, s->ncountries, put_country);
	PUT_ROWS(b, &m, "domains", s->domains, s->ndomains, put_domain);
	PUT_ROWS(b, &m, "os", s->os, s->nos, put_os);
	PUT_ROWS(b, &m, "hosts", s->hosts, s->nhosts, put_host);
	PUT_ROWS(b, &m, "country_detail", s->detail, s->ndetail, put_detail);
	PUT_ROWS(b, &m, "apps", s->apps, s->napps, put_app);
	PUT_ROWS(b, &m, "ports", s->ports, s->nports, put_port);
	PUT_ROWS(b, &m, "locations", s->locs, s->nlocs, put_location);
	PUT_ROWS(b, &m, "orgs", s->orgs, s->norgs, put_org);
	put_bandwidth(b, &m, &s->bw);
	/* (an alert is written as its record was packed: one without its
	 * bytes cannot be, and is left out) */
	size_t nalerts = 0;
	for (size_t i = 0; i < s->nalerts; i++)
		nalerts += s->alerts[i].raw != NULL;
	put_list(b, &m, "alerts", nalerts);
	for (size_t i = 0; i < s->nalerts; i++)
		if (s->alerts[i].raw)
			mp_put_raw(b, s->alerts[i].raw, s->alerts[i].rawlen);
	mp_map_close(b, &m);
}
