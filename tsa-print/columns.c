/*
 * Aligned columns take their widths from the first rows: they are held back
 * until SIZING rows are seen (or the stream ends), then printed, and later
 * rows reuse the widths.  A stream can be endless, so no more than that is
 * ever held.  CSV and TSV are not padded: every row goes out as it comes.
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
};

struct columns *columns_new(const char *fields, enum columns_style style,
    char delim, int title)
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

void columns_record(struct columns *c, const uint8_t *rec, size_t len, FILE *out)
{
	const uint8_t *vs[MAX_FIELDS], *ve[MAX_FIELDS], *ks[MAX_FIELDS];
	size_t kl[MAX_FIELDS];
	struct mp_buf *row;

	if (find_fields(c, rec, len, vs, ve, ks, kl) == 0)
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

void columns_finish(struct columns *c, FILE *out)
{
	if (!c->sized)
		release(c, out);
	for (int i = 0; i < c->n; i++)
		free(c->names[i]);
	mp_buf_free(&c->cell);
	free(c);
}
