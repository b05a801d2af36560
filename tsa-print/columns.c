/*
 * Column widths come from the first rows: they are held back until SIZING
 * rows are seen, the stream ends or the input pauses, then printed, and
 * later rows reuse the widths.  A stream can be endless, so no more than
 * that is ever held; and a quiet live link may take minutes to bring
 * SIZING rows, so a pause prints what is held rather than wait for them.
 *
 * A src_ or dst_ field that a packet record lacks is a host fact: the
 * value in the latest host record of that address (docs/stream.md, "Host
 * records"), as tsa-filter reads it; src_uptime_min at the packet's time.
 */
#include <stdlib.h>

#include "columns.h"
#include "show.h"

#define SIZING 256
#define MAX_FIELDS 64

struct columns {
	char *names[MAX_FIELDS];
	int n;
	enum columns_style style;
	char delim;
	int title, sized;
	size_t width[MAX_FIELDS];
	struct mp_buf held[SIZING];	/* cells separated by NUL bytes */
	int nheld;
	struct mp_buf cell;
	struct tsa_hostfacts *hosts;	/* when a field is a src_ or dst_ one */
	uint8_t uptime[MAX_FIELDS][9];	/* a computed uptime, as msgpack */
};

static bool is_side_field(const char *f)
{
	return (strncmp(f, "src_", 4) == 0 || strncmp(f, "dst_", 4) == 0) &&
	    f[4] && strcmp(f + 4, "addr") != 0;
}

struct columns *columns_new(const char *fields, enum columns_style style,
    char delim, int title, uint32_t hosts)
{
	struct columns *c = tsa_calloc(1, sizeof *c);
	char *list = tsa_strdup(fields), *save = NULL, *f;

	for (f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (c->n == MAX_FIELDS)
			tsa_usage("-f: at most %d fields", MAX_FIELDS);
		c->names[c->n] = tsa_strdup(f);
		c->width[c->n] = strlen(f);
		c->n++;
	}
	free(list);
	if (c->n == 0)
		tsa_usage("-f: no field names");
	c->style = style;
	c->delim = delim;
	c->title = title;
	for (int i = 0; i < c->n; i++)
		if (is_side_field(c->names[i]) && !c->hosts)
			c->hosts = tsa_hostfacts_new(hosts);
	return c;
}

/* Characters on screen, counting each UTF-8 sequence once. */
static size_t display_len(const uint8_t *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += (s[i] & 0xc0) != 0x80;
	return w;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break
   (RFC 4180, 2.6), its quotes doubled (2.7). */
static void put_csv(const uint8_t *p, size_t n, FILE *out)
{
	if (!memchr(p, ',', n) && !memchr(p, '"', n) && !memchr(p, '\n', n) &&
	    !memchr(p, '\r', n)) {
		fwrite(p, 1, n, out);
		return;
	}
	putc('"', out);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"')
			putc('"', out);
		putc(p[i], out);
	}
	putc('"', out);
}

/* A TSV field: a tab or a line break in a value would split it, so those
   (and the backslash that escapes them) are written as escapes. */
static void put_tsv(const uint8_t *p, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\\': fputs("\\\\", out); break;
		default: putc(p[i], out);
		}
	}
}

static void put_row(struct columns *c, const uint8_t *cells, size_t len, FILE *out)
{
	const uint8_t *p = cells, *end = cells + len;

	if (c->style != COLUMNS_ALIGNED) {
		for (int i = 0; i < c->n && p < end; i++) {
			const uint8_t *z = memchr(p, 0, (size_t)(end - p));
			if (i)
				putc(c->style == COLUMNS_CSV ? ',' : '\t', out);
			(c->style == COLUMNS_CSV ? put_csv : put_tsv)(p, (size_t)(z - p), out);
			p = z + 1;
		}
		fputs(c->style == COLUMNS_CSV ? "\r\n" : "\n", out);
		return;
	}
	for (int i = 0; i < c->n && p < end; i++) {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));
		size_t n = (size_t)(z - p), w = display_len(p, n);
		fwrite(p, 1, n, out);
		for (; w < c->width[i]; w++)
			putc(' ', out);
		putc(c->delim, out);
		p = z + 1;
	}
	putc('\n', out);
}

static void put_title(struct columns *c, FILE *out)
{
	struct mp_buf t = { 0 };

	for (int i = 0; i < c->n; i++)
		mp_put_raw(&t, c->names[i], strlen(c->names[i]) + 1);
	put_row(c, t.p, t.len, out);
	mp_buf_free(&t);
}

static void release(struct columns *c, FILE *out)
{
	if (c->title)
		put_title(c, out);
	for (int i = 0; i < c->nheld; i++) {
		put_row(c, c->held[i].p, c->held[i].len, out);
		mp_buf_free(&c->held[i]);
	}
	c->nheld = 0;
	c->sized = 1;
}

/* Find the raw bytes of each field's value in one pass over the record. */
static int find_fields(struct columns *c, const uint8_t *rec, size_t len,
    const uint8_t **vs, const uint8_t **ve, const uint8_t **ks, size_t *kl)
{
	struct mp_map_iter it;
	struct mp_obj k;
	const uint8_t *s, *e;
	int found = 0;

	memset(vs, 0, sizeof *vs * (size_t)c->n);
	if (mp_map_begin(&it, rec, len) < 0)
		return 0;
	while (mp_map_step(&it, &k, &s, &e) > 0) {
		for (int i = 0; i < c->n; i++) {
			if (!vs[i] && k.len == strlen(c->names[i]) &&
			    memcmp(k.ptr, c->names[i], k.len) == 0) {
				/* no break: a key listed twice fills both columns */
				vs[i] = s, ve[i] = e, ks[i] = k.ptr, kl[i] = k.len;
				found++;
			}
		}
	}
	return found;
}

/* The raw value of key (n bytes) in a host's record. */
static bool host_value(const struct tsa_host *h, const char *key, size_t n,
    const uint8_t **s, const uint8_t **e)
{
	struct mp_map_iter it;
	struct mp_obj k;

	if (mp_map_begin(&it, h->rec, h->len) < 0)
		return false;
	while (mp_map_step(&it, &k, s, e) > 0)
		if (k.type == MP_STR && k.len == n && memcmp(k.ptr, key, n) == 0)
			return true;
	return false;
}

/*
 * Take in a host record, or fill a packet record's missing src_ and dst_
 * fields from its endpoints' host records; the number of fields filled.
 */
static int host_facts(struct columns *c, const uint8_t *rec, size_t len,
    const uint8_t **vs, const uint8_t **ve, const uint8_t **ks, size_t *kl)
{
	static const char *const keys[] = { "type", "src_addr", "dst_addr",
	    "timestamp" };
	const struct tsa_host *h[2] = { NULL, NULL };
	struct mp_obj v[4];
	int64_t found = mp_map_get(rec, len, keys, 4, v);
	int64_t sec = 0;
	uint32_t nsec = 0;
	int filled = 0;

	if (found < 0)
		return 0;
	if (found & 1) {
		if (tsa_hostfacts_type(&v[0]))
			tsa_hostfacts_put(c->hosts, rec, len);
		return 0;
	}
	for (int s = 0; s < 2; s++)
		if ((found >> (1 + s) & 1) && v[1 + s].type == MP_BIN)
			h[s] = tsa_hostfacts_find(c->hosts, v[1 + s].ptr, v[1 + s].len);
	if (!h[0] && !h[1])
		return 0;
	if (found & 8)
		(void)mp_obj_time(&v[3], &sec, &nsec);
	for (int i = 0; i < c->n; i++) {
		const char *f = c->names[i];
		const struct tsa_host *hi;
		uint64_t up;

		if (vs[i] || !is_side_field(f) || !(hi = h[f[0] == 'd']))
			continue;
		if (strcmp(f + 4, "uptime_min") == 0) {
			if (!tsa_host_uptime(hi, sec, nsec, &up))
				continue;
			c->uptime[i][0] = 0xcf;		/* uint 64 */
			for (int b = 0; b < 8; b++)
				c->uptime[i][1 + b] = (uint8_t)(up >> (56 - 8 * b));
			vs[i] = c->uptime[i], ve[i] = c->uptime[i] + 9;
		} else {
			const uint8_t *s, *e;
			if (!host_value(hi, f + 4, strlen(f + 4), &s, &e))
				continue;
			vs[i] = s, ve[i] = e;
		}
		ks[i] = (const uint8_t *)f, kl[i] = strlen(f);
		filled++;
	}
	return filled;
}

void columns_record(struct columns *c, const uint8_t *rec, size_t len, FILE *out)
{
	const uint8_t *vs[MAX_FIELDS], *ve[MAX_FIELDS], *ks[MAX_FIELDS];
	size_t kl[MAX_FIELDS];
	struct mp_buf *row;
	int found = find_fields(c, rec, len, vs, ve, ks, kl);

	if (c->hosts)
		found += host_facts(c, rec, len, vs, ve, ks, kl);
	if (found == 0)
		return;
	if (!c->sized && c->style != COLUMNS_ALIGNED)
		release(c, out);	/* nothing to size: the title now */
	row = c->sized ? &c->cell : &c->held[c->nheld];
	row->len = 0;
	for (int i = 0; i < c->n; i++) {
		size_t before = row->len;
		if (vs[i])
			(c->style == COLUMNS_ALIGNED ? show_text : show_text_exact)(row,
			    vs[i], ve[i], ks[i], kl[i]);
		if (!c->sized) {
			size_t w = display_len(row->p + before, row->len - before);
			if (w > c->width[i])
				c->width[i] = w;
		}
		mp_put_raw(row, "", 1);
	}
	if (c->sized)
		put_row(c, row->p, row->len, out);
	else if (++c->nheld == SIZING)
		release(c, out);
}

void columns_release(struct columns *c, FILE *out)
{
	if (!c->sized && c->nheld)
		release(c, out);
}

void columns_finish(struct columns *c, FILE *out)
{
	if (!c->sized)
		release(c, out);
	for (int i = 0; i < c->n; i++)
		free(c->names[i]);
	mp_buf_free(&c->cell);
	if (c->hosts)
		tsa_hostfacts_free(c->hosts);
	free(c);
}
