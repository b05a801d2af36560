/*
 * Encode a snapshot (lib/snapshot.h) as its record: the keys of each map
 * in the order docs/stream.md lists them, an optional key only when its
 * field is set, every map sized by mp_map_close.
 */
#include "tsa.h"

static void put_u(struct mp_buf *b, struct mp_map_w *m, const char *k,
    uint64_t v)
{
	mp_map_key(b, m, k);
	mp_put_uint(b, v);
}

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

static void put_countries(struct mp_buf *b, struct mp_map_w *top,
    const struct country_row *c, size_t n)
{
	put_list(b, top, "countries", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_s(b, &m, "country", c[i].country);
		put_u(b, &m, "packets", c[i].packets);
		put_u(b, &m, "bytes", c[i].bytes);
		put_u(b, &m, "hosts", c[i].hosts);
		mp_map_close(b, &m);
	}
}

static void put_domains(struct mp_buf *b, struct mp_map_w *top,
    const struct domain_row *d, size_t n)
{
	put_list(b, top, "domains", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_s(b, &m, "domain", d[i].domain);
		if (d[i].aliases.n)
			put_strs(b, &m, "aliases", &d[i].aliases);
		put_u(b, &m, "packets", d[i].packets);
		put_u(b, &m, "bytes", d[i].bytes);
		put_u(b, &m, "hosts", d[i].hosts);
		put_strs(b, &m, "countries", &d[i].countries);
		put_strs(b, &m, "os", &d[i].os);
		put_strs(b, &m, "apps", &d[i].apps);
		put_list(b, &m, "dists", d[i].ndists);
		for (size_t j = 0; j < d[i].ndists; j++)
			mp_put_uint(b, d[i].dists[j]);
		mp_map_close(b, &m);
	}
}

static void put_os(struct mp_buf *b, struct mp_map_w *top,
    const struct os_row *o, size_t n)
{
	put_list(b, top, "os", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_s(b, &m, "os", o[i].os);
		put_s(b, &m, "class", o[i].class);
		put_u(b, &m, "hosts", o[i].hosts);
		put_u(b, &m, "packets", o[i].packets);
		mp_map_close(b, &m);
	}
}

static void put_host(struct mp_buf *b, const struct host_row *h)
{
	struct mp_map_w m;

	mp_map_open(b, &m);
	if (h->addrlen) {
		mp_map_key(b, &m, "addr");
		mp_put_bin(b, h->addr, h->addrlen);
	}
	put_s(b, &m, "country", h->country);
	put_s(b, &m, "os", h->os);
	put_s(b, &m, "os_class", h->os_class);
	put_s(b, &m, "app", h->app);
	if (h->has_dist)
		put_u(b, &m, "dist", h->dist);
	put_s(b, &m, "link", h->link);
	if (h->mtu)
		put_u(b, &m, "mtu", h->mtu);
	put_s(b, &m, "lang", h->lang);
	if (h->has_uptime)
		put_u(b, &m, "uptime_min", h->uptime_min);
	put_true(b, &m, "nat", h->nat);
	if (h->has_seen) {
		put_t(b, &m, "first_seen", h->first_seen);
		put_t(b, &m, "last_seen", h->last_seen);
	}
	put_s(b, &m, "domain", h->domain);
	put_u(b, &m, "packets", h->packets);
	put_u(b, &m, "bytes", h->bytes);
	mp_map_close(b, &m);
}

static void put_hosts(struct mp_buf *b, struct mp_map_w *top,
    const struct host_row *h, size_t n)
{
	put_list(b, top, "hosts", n);
	for (size_t i = 0; i < n; i++)
		put_host(b, &h[i]);
}

static void put_apps(struct mp_buf *b, struct mp_map_w *top,
    const struct app_row *a, size_t n)
{
	put_list(b, top, "apps", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_s(b, &m, "app", a[i].app);
		put_u(b, &m, "packets", a[i].packets);
		put_u(b, &m, "bytes", a[i].bytes);
		mp_map_close(b, &m);
	}
}

static void put_detail(struct mp_buf *b, struct mp_map_w *top,
    const struct country_detail *d, size_t n)
{
	put_list(b, top, "country_detail", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_s(b, &m, "country", d[i].country);
		put_hosts(b, &m, d[i].hosts, d[i].nhosts);
		put_domains(b, &m, d[i].domains, d[i].ndomains);
		put_os(b, &m, d[i].os, d[i].nos);
		put_apps(b, &m, d[i].apps, d[i].napps);
		mp_map_close(b, &m);
	}
}

static void put_ports(struct mp_buf *b, struct mp_map_w *top,
    const struct port_row *p, size_t n)
{
	put_list(b, top, "ports", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_u(b, &m, "port", p[i].port);
		put_s(b, &m, "protocol", p[i].protocol);
		put_s(b, &m, "app", p[i].app);
		put_u(b, &m, "packets", p[i].packets);
		put_u(b, &m, "bytes", p[i].bytes);
		mp_map_close(b, &m);
	}
}

static void put_locations(struct mp_buf *b, struct mp_map_w *top,
    const struct loc_row *l, size_t n)
{
	put_list(b, top, "locations", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		mp_map_key(b, &m, "lat");
		mp_put_double(b, l[i].lat);
		mp_map_key(b, &m, "lon");
		mp_put_double(b, l[i].lon);
		put_s(b, &m, "city", l[i].city);
		put_s(b, &m, "country", l[i].country);
		put_u(b, &m, "packets", l[i].packets);
		put_u(b, &m, "bytes", l[i].bytes);
		put_u(b, &m, "hosts", l[i].hosts);
		mp_map_close(b, &m);
	}
}

static void put_orgs(struct mp_buf *b, struct mp_map_w *top,
    const struct org_row *o, size_t n)
{
	put_list(b, top, "orgs", n);
	for (size_t i = 0; i < n; i++) {
		struct mp_map_w m;

		mp_map_open(b, &m);
		put_u(b, &m, "asn", o[i].asn);
		put_s(b, &m, "org", o[i].org);
		put_u(b, &m, "packets", o[i].packets);
		put_u(b, &m, "bytes", o[i].bytes);
		put_u(b, &m, "hosts", o[i].hosts);
		mp_map_close(b, &m);
	}
}

static void put_bandwidth(struct mp_buf *b, struct mp_map_w *top,
    const struct bandwidth *bw)
{
	struct mp_map_w m;

	mp_map_key(b, top, "bandwidth");
	mp_map_open(b, &m);
	if (bw->has_start)
		put_t(b, &m, "start", bw->start);
	put_u(b, &m, "bucket_ns", bw->bucket_ns);
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
		put_u(b, &m, "window", s->window_packets);
	put_true(b, &m, "final", s->final);
	put_true(b, &m, "incomplete", s->incomplete);
	put_true(b, &m, "epoch_end", s->epoch_end);
	if (s->epoch)
		put_u(b, &m, "epoch", s->epoch);
	if (s->has_complete)
		put_t(b, &m, "complete_from", s->complete_from);
	if (s->out_of_order)
		put_u(b, &m, "out_of_order", s->out_of_order);
	if (s->hosts_overflow)
		put_u(b, &m, "hosts_overflow", s->hosts_overflow);
	if (s->sensors)
		put_u(b, &m, "sensors", s->sensors);
	put_u(b, &m, "packets", s->packets);
	put_u(b, &m, "bytes", s->bytes);
	put_countries(b, &m, s->countries, s->ncountries);
	put_domains(b, &m, s->domains, s->ndomains);
	put_os(b, &m, s->os, s->nos);
	put_hosts(b, &m, s->hosts, s->nhosts);
	put_detail(b, &m, s->detail, s->ndetail);
	put_apps(b, &m, s->apps, s->napps);
	put_ports(b, &m, s->ports, s->nports);
	put_locations(b, &m, s->locs, s->nlocs);
	put_orgs(b, &m, s->orgs, s->norgs);
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
