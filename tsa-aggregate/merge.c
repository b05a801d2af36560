/*
 * --merge: combine the snapshot streams of several sensors into one, so
 * that many capture points feed one map.  The inputs are read in lockstep:
 * snapshots with the same window_end (the sensors' schedules are aligned to
 * multiples of Every, so synchronised clocks give equal boundaries) are
 * merged into one; the final snapshots are merged at the end.  Other
 * records (alerts, stats) pass through as they are read.
 *
 * Sums: packets, bytes, per-country and per-domain packets and bytes, the
 * bandwidth buckets.  Distinct-host counts are added too, so a host that two
 * sensors see counts twice.  Hosts, domains and OS labels are merged by
 * address or name and cut to the top entries again.  Not a per-record path:
 * it allocates freely.
 */
#include <stdlib.h>

#include "agg.h"

#define SET_MAX 16

struct strset {
	char *s[SET_MAX];
	int n;
};

struct ment {				/* a country, domain, host or OS entry */
	char *name;			/* country, domain or OS label */
	uint8_t addr[16];
	uint8_t alen;
	uint64_t packets, bytes, hosts, dist;
	bool has_dist;
	char *cls, *country, *os, *os_class, *app, *domain;
	struct strset countries, oss, apps, aliases;
	uint64_t dists[SET_MAX];
	int ndists;
};

struct mlist {
	struct ment *e;
	size_t n, cap;
};

struct msnap {
	bool have, final;
	int64_t start, end;
	uint64_t packets, bytes;
	struct mp_obj window;		/* str or uint */
	char *window_str;
	struct mlist countries, domains, hosts, os;
	int64_t bw_start;
	uint64_t bucket_ns;
	uint64_t *bw_bytes;
	size_t nbuckets;
	double avg_bps;
	struct mp_buf alerts;		/* packed alert maps */
	uint32_t nalerts, sensors;
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
	memset(l, 0, sizeof *l);
}

static void snap_free(struct msnap *s)
{
	mlist_free(&s->countries);
	mlist_free(&s->domains);
	mlist_free(&s->hosts);
	mlist_free(&s->os);
	free(s->bw_bytes);
	free(s->window_str);
	mp_buf_free(&s->alerts);
	memset(s, 0, sizeof *s);
}

/* The entry with this name (or address), created empty if absent. */
static struct ment *mlist_get(struct mlist *l, const char *name,
    const uint8_t *addr, uint8_t alen)
{
	size_t i;
	struct ment *e;

	for (i = 0; i < l->n; i++) {
		e = &l->e[i];
		if (name ? e->name && strcmp(e->name, name) == 0 :
		    e->alen == alen && memcmp(e->addr, addr, alen) == 0)
			return e;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->e = tsa_realloc(l->e, l->cap * sizeof *l->e);
	}
	e = &l->e[l->n++];
	memset(e, 0, sizeof *e);
	if (name)
		e->name = tsa_strdup(name);
	else {
		memcpy(e->addr, addr, alen);
		e->alen = alen;
	}
	return e;
}

/* ---- reading ---- */

struct field {
	struct mp_obj k, v;
	const uint8_t *vs, *ve;
};

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

enum section { S_COUNTRIES, S_DOMAINS, S_HOSTS, S_OS };

static void read_entry(const uint8_t *m, const uint8_t *end, enum section sec,
    struct mlist *l)
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p;
	const char *namekey = sec == S_COUNTRIES ? "country" : sec == S_DOMAINS ? "domain" : "os";
	char *name = NULL;
	struct ment *e;
	int64_t iv;

	/* First the key that names the entry. */
	if (mp_map_begin(&it, m, (size_t)(end - m)) < 0)
		return;
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return;
		if (sec == S_HOSTS && mp_str_eq(&k, "addr", 4) && v.type == MP_BIN &&
		    (v.len == 4 || v.len == 16)) {
			e = mlist_get(l, NULL, v.ptr, (uint8_t)v.len);
			goto found;
		}
		if (sec != S_HOSTS && k.len == strlen(namekey) &&
		    memcmp(k.ptr, namekey, k.len) == 0 && (name = obj_str(&v)))
			break;
	}
	if (!name)
		return;
	e = mlist_get(l, name, NULL, 0);
	free(name);
found:
	mp_map_begin(&it, m, (size_t)(end - m));
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			return;
		if (mp_obj_int(&v, &iv) && iv >= 0) {
			if (mp_str_eq(&k, "packets", 7))
				e->packets += (uint64_t)iv;
			else if (mp_str_eq(&k, "bytes", 5))
				e->bytes += (uint64_t)iv;
			else if (mp_str_eq(&k, "hosts", 5))
				e->hosts += (uint64_t)iv;
			else if (mp_str_eq(&k, "dist", 4) && !e->has_dist) {
				e->dist = (uint64_t)iv;
				e->has_dist = true;
			}
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
				if (!mp_obj_int(&d, &iv) || iv < 0)
					continue;
				for (j = 0; j < e->ndists && e->dists[j] != (uint64_t)iv; j++)
					;
				if (j == e->ndists && j < SET_MAX)
					e->dists[e->ndists++] = (uint64_t)iv;
			}
		} else if (sec == S_HOSTS) {
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

static void read_bandwidth(struct msnap *s, const uint8_t *vs, const uint8_t *ve)
{
	struct mp_map_iter it;
	struct mp_obj k, v, o;
	const uint8_t *bs, *be, *p;
	int64_t sec, iv;
	uint32_t nsec, i;
	double f;

	if (mp_map_begin(&it, vs, (size_t)(ve - vs)) < 0)
		return;
	while (mp_map_step(&it, &k, &bs, &be) > 0) {
		p = bs;
		if (mp_next(&p, be, &v) < 0)
			return;
		if (mp_str_eq(&k, "start", 5) && mp_obj_time(&v, &sec, &nsec))
			s->bw_start = sec * NS + nsec;
		else if (mp_str_eq(&k, "bucket_ns", 9) && mp_obj_int(&v, &iv) && iv > 0)
			s->bucket_ns = (uint64_t)iv;
		else if (mp_str_eq(&k, "avg_bps", 7) && mp_obj_num(&v, &f))
			s->avg_bps += f;
		else if (mp_str_eq(&k, "bytes", 5) && v.type == MP_ARRAY) {
			if (!s->bw_bytes) {
				s->nbuckets = v.len > 100000 ? 100000 : v.len;
				s->bw_bytes = tsa_calloc(s->nbuckets ? s->nbuckets : 1, sizeof *s->bw_bytes);
			}
			for (i = 0; i < v.len && mp_next(&p, be, &o) == 0; i++)
				if (i < s->nbuckets && mp_obj_int(&o, &iv) && iv > 0)
					s->bw_bytes[i] += (uint64_t)iv;
		}
	}
}

/* Fold one snapshot record into s. */
static void fold(struct msnap *s, const uint8_t *rec, size_t len)
{
	struct mp_map_iter it;
	struct mp_obj k, v;
	const uint8_t *vs, *ve, *p, *q;
	int64_t sec, iv;
	uint32_t nsec, i;
	struct msnap one = { 0 };

	mp_map_begin(&it, rec, len);
	while (mp_map_step(&it, &k, &vs, &ve) > 0) {
		p = vs;
		if (mp_next(&p, ve, &v) < 0)
			break;
		if (mp_str_eq(&k, "window_start", 12) && mp_obj_time(&v, &sec, &nsec))
			one.start = sec * NS + nsec;
		else if (mp_str_eq(&k, "window_end", 10) && mp_obj_time(&v, &sec, &nsec))
			one.end = sec * NS + nsec;
		else if (mp_str_eq(&k, "final", 5) && v.type == MP_BOOL)
			one.final = v.b;
		else if (mp_str_eq(&k, "window", 6) && !s->have) {
			if (v.type == MP_STR)
				s->window_str = obj_str(&v);
			else
				s->window = v;
		}
		else if (mp_str_eq(&k, "packets", 7) && mp_obj_int(&v, &iv) && iv > 0)
			s->packets += (uint64_t)iv;
		else if (mp_str_eq(&k, "bytes", 5) && mp_obj_int(&v, &iv) && iv > 0)
			s->bytes += (uint64_t)iv;
		else if (mp_str_eq(&k, "sensors", 7) && mp_obj_int(&v, &iv) && iv > 0)
			s->sensors += (uint32_t)iv - 1;
		else if (mp_str_eq(&k, "countries", 9))
			read_list(vs, ve, S_COUNTRIES, &s->countries);
		else if (mp_str_eq(&k, "domains", 7))
			read_list(vs, ve, S_DOMAINS, &s->domains);
		else if (mp_str_eq(&k, "hosts", 5))
			read_list(vs, ve, S_HOSTS, &s->hosts);
		else if (mp_str_eq(&k, "os", 2))
			read_list(vs, ve, S_OS, &s->os);
		else if (mp_str_eq(&k, "bandwidth", 9))
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
	if (!s->have || one.start < s->start)
		s->start = one.start;
	if (!s->have || one.end > s->end)
		s->end = one.end;
	if (!s->have && s->bw_start == 0)
		s->bw_start = one.start;
	s->final = s->final || one.final;
	s->sensors++;
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

static void put_opt(struct mp_buf *b, const char *k, const char *v)
{
	if (v) {
		mp_put_cstr(b, k);
		mp_put_cstr(b, v);
	}
}

static void emit(struct tsa_writer *w, struct msnap *s, uint32_t top_hosts,
    uint32_t top_domains)
{
	struct mp_buf *b = tsa_out(w);
	size_t i, n;
	int j;

	mp_put_map(b, 13 + s->final);
	mp_put_cstr(b, "type");
	mp_put_cstr(b, "snapshot");
	mp_put_cstr(b, "window_start");
	put_ns(b, s->start);
	mp_put_cstr(b, "window_end");
	put_ns(b, s->end);
	mp_put_cstr(b, "window");
	if (s->window_str)
		mp_put_cstr(b, s->window_str);
	else
		mp_put_uint(b, s->window.type == MP_UINT ? s->window.u : 0);
	if (s->final) {
		mp_put_cstr(b, "final");
		mp_put_bool(b, true);
	}
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

	sort(&s->domains);
	n = s->domains.n < top_domains ? s->domains.n : top_domains;
	mp_put_cstr(b, "domains");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &s->domains.e[i];

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

	sort(&s->os);
	mp_put_cstr(b, "os");
	mp_put_array(b, (uint32_t)s->os.n);
	for (i = 0; i < s->os.n; i++) {
		struct ment *e = &s->os.e[i];

		mp_put_map(b, 3 + !!e->cls);
		put_opt(b, "os", e->name);
		put_opt(b, "class", e->cls);
		put_u(b, "hosts", e->hosts);
		put_u(b, "packets", e->packets);
	}

	sort(&s->hosts);
	n = s->hosts.n < top_hosts ? s->hosts.n : top_hosts;
	mp_put_cstr(b, "hosts");
	mp_put_array(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		struct ment *e = &s->hosts.e[i];

		mp_put_map(b, 3 + !!e->country + !!e->os + !!e->os_class + !!e->app +
		    e->has_dist + !!e->domain);
		mp_put_cstr(b, "addr");
		mp_put_bin(b, e->addr, e->alen);
		put_opt(b, "country", e->country);
		put_opt(b, "os", e->os);
		put_opt(b, "os_class", e->os_class);
		put_opt(b, "app", e->app);
		if (e->has_dist)
			put_u(b, "dist", e->dist);
		put_opt(b, "domain", e->domain);
		put_u(b, "packets", e->packets);
		put_u(b, "bytes", e->bytes);
	}

	mp_put_cstr(b, "bandwidth");
	mp_put_map(b, 5);
	mp_put_cstr(b, "start");
	put_ns(b, s->bw_start);
	put_u(b, "bucket_ns", s->bucket_ns);
	mp_put_cstr(b, "bps");
	mp_put_array(b, (uint32_t)s->nbuckets);
	for (i = 0; i < s->nbuckets; i++)
		mp_put_double(b, s->bucket_ns ?
		    (double)s->bw_bytes[i] * 8 / ((double)s->bucket_ns / NS) : 0);
	mp_put_cstr(b, "bytes");
	mp_put_array(b, (uint32_t)s->nbuckets);
	for (i = 0; i < s->nbuckets; i++)
		mp_put_uint(b, s->bw_bytes[i]);
	mp_put_cstr(b, "avg_bps");
	mp_put_double(b, s->avg_bps);

	mp_put_cstr(b, "alerts");
	mp_put_array(b, s->nalerts);
	mp_put_raw(b, s->alerts.p, s->alerts.len);
	tsa_wrote(w);
	snap_free(s);
}

/* ---- the lockstep ---- */

struct input {
	struct tsa_reader *r;
	const uint8_t *rec;		/* the pending snapshot, or NULL */
	size_t len;
	int64_t end;
	bool final, eof;
};

/* Read up to the input's next snapshot, passing other records through. */
static int advance(struct input *in, struct tsa_writer *w)
{
	struct mp_obj t, v;
	int64_t sec;
	uint32_t nsec;
	int rc;

	in->rec = NULL;
	while ((rc = tsa_read(in->r, &in->rec, &in->len)) > 0) {
		if (tsa_rec_type(in->rec, in->len, &t) && mp_str_eq(&t, "snapshot", 8)) {
			in->end = mp_map_get1(in->rec, in->len, "window_end", &v) == 1 &&
			    mp_obj_time(&v, &sec, &nsec) ? sec * NS + nsec : 0;
			in->final = mp_map_get1(in->rec, in->len, "final", &v) == 1 &&
			    v.type == MP_BOOL && v.b;
			return 0;
		}
		mp_put_raw(tsa_out(w), in->rec, in->len);
		tsa_wrote(w);
	}
	in->rec = NULL;
	in->eof = true;
	return rc < 0 ? -1 : 0;
}

int merge_main(int nin, char **inputs, int argc, char **argv,
    const char *out, uint32_t top_hosts, uint32_t top_domains)
{
	struct input *in = tsa_calloc((size_t)nin, sizeof *in);
	struct tsa_writer *w;
	struct msnap s = { 0 }, fin = { 0 };
	struct mp_obj v;
	size_t hlen;
	const uint8_t *h;
	int i, bad = 0, waiting;
	int64_t min;

	for (i = 0; i < nin; i++) {
		in[i].r = tsa_reader_open(inputs[i]);
		h = tsa_reader_header(in[i].r, &hlen);
		if (mp_map_get1(h, hlen, "kind", &v) != 1 || !mp_str_eq(&v, "snapshots", 9))
			tsa_die("%s: not a snapshot stream (run tsa-aggregate on it first)",
			    tsa_reader_name(in[i].r));
	}
	w = tsa_writer_open(out, 0);
	tsa_header_pass(w, in[0].r, "snapshots", argc, argv);
	for (i = 0; i < nin; i++)
		bad |= advance(&in[i], w);
	for (;;) {
		/* The earliest boundary any input is at; finals wait for the end. */
		waiting = 0;
		min = INT64_MAX;
		for (i = 0; i < nin; i++)
			if (in[i].rec && !in[i].final) {
				waiting++;
				if (in[i].end < min)
					min = in[i].end;
			}
		if (!waiting)
			break;
		for (i = 0; i < nin; i++) {
			if (!in[i].rec || in[i].final || in[i].end != min)
				continue;
			fold(&s, in[i].rec, in[i].len);
			bad |= advance(&in[i], w);
		}
		emit(w, &s, top_hosts, top_domains);
	}
	for (i = 0; i < nin; i++)
		if (in[i].rec) {
			fold(&fin, in[i].rec, in[i].len);
			bad |= advance(&in[i], w);	/* the rest passes through */
		}
	if (fin.have)
		emit(w, &fin, top_hosts, top_domains);
	tsa_writer_close(w);
	for (i = 0; i < nin; i++)
		tsa_reader_close(in[i].r);
	free(in);
	return bad || tsa_exit_status();
}
