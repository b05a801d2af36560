/*
 * Snapshot and alert records as text.  A snapshot becomes a title block
 * (window, totals, bandwidth) and one table per list - countries, domains,
 * hosts, OS labels, alerts - with right-aligned numbers, left-aligned
 * names, and the share of the window's packets and bytes, like rwstats:
 *
 *   Countries (6)
 *   country |packets |%packets |  bytes |%bytes |hosts
 *   IL      |   4086 |   88.23 |3539639 | 94.68 |    7
 *
 * The shares of countries and domains can add up to more than 100%: a
 * packet counts for each remote endpoint's country and domain.
 *
 * Every number comes from the wire: a count or a rate that is not a
 * finite, non-negative number (NaN, an infinity, a negative rate, a
 * string) is shown as "?", and nothing is computed from it.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "show.h"
#include "tables.h"

#define MAX_COLS 10
#define MAX_ROWS 25		/* rows of the lists that are not cut already */

struct col {
	const char *title;
	const char *key;
	enum { TEXT, NUM, PCT_PACKETS, PCT_BYTES } kind;
};

static void puts_buf(struct mp_buf *b, const char *s)
{
	mp_put_raw(b, s, strlen(s));
}

static void printf_buf(struct mp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void printf_buf(struct mp_buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		mp_put_raw(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The raw value of key in the map at rec: its bounds, or false. */
static bool find(const uint8_t *rec, const uint8_t *end, const char *key,
    const uint8_t **vs, const uint8_t **ve)
{
	struct mp_map_iter it;
	struct mp_obj k;
	size_t n = strlen(key);

	if (mp_map_begin(&it, rec, (size_t)(end - rec)) < 0)
		return false;
	while (mp_map_step(&it, &k, vs, ve) > 0)
		if (k.type == MP_STR && k.len == n && memcmp(k.ptr, key, n) == 0)
			return true;
	return false;
}

static bool find_obj(const uint8_t *rec, const uint8_t *end, const char *key,
    struct mp_obj *o)
{
	const uint8_t *vs, *ve;

	return find(rec, end, key, &vs, &ve) && mp_next(&vs, ve, o) == 0;
}

/* A count, a size or a rate: finite and not negative, else false. */
static bool amount(const struct mp_obj *o, double *v)
{
	return mp_obj_num(o, v) && isfinite(*v) && *v >= 0;
}

/* The amount under key, or false when absent or unusable. */
static bool num(const uint8_t *rec, const uint8_t *end, const char *key,
    double *v)
{
	struct mp_obj o;

	return find_obj(rec, end, key, &o) && amount(&o, v);
}

static void put_time(struct mp_buf *b, const uint8_t *rec, const uint8_t *end,
    const char *key)
{
	struct mp_obj o;
	int64_t sec;
	uint32_t nsec;
	char t[40];

	if (find_obj(rec, end, key, &o) && mp_obj_time(&o, &sec, &nsec)) {
		tsa_fmt_time(t, sec, nsec);
		puts_buf(b, t);
	} else
		puts_buf(b, "?");
}

/*
 * 1234567 -> "1.23 M" style, for bits per second and bytes; past the
 * prefixes, "1.5e+30 bit/s".  v is an amount (finite, not negative).
 */
static void put_si(struct mp_buf *b, double v, const char *unit)
{
	static const char *const prefix[] = { "", "k", "M", "G", "T", "P",
		"E", "Z", "Y" };
	double x = v;
	int i = 0;

	if (v >= 999.995e24) {
		printf_buf(b, "%.3g %s", v, unit);
		return;
	}
	while (x >= 1000 && i < 8) {
		x /= 1000;
		i++;
	}
	printf_buf(b, i ? "%.2f %s%s" : "%.0f %s%s", x, prefix[i], unit);
}

/* An amount under key in SI units, or "?". */
static void put_si_key(struct mp_buf *b, const uint8_t *rec,
    const uint8_t *end, const char *key, const char *unit)
{
	double v;

	if (num(rec, end, key, &v))
		put_si(b, v, unit);
	else
		puts_buf(b, "?");
}

/* A count under key, exactly: "123456", or "?". */
static void put_count(struct mp_buf *b, const uint8_t *rec,
    const uint8_t *end, const char *key)
{
	struct mp_obj o;

	if (find_obj(rec, end, key, &o) && o.type == MP_UINT)
		printf_buf(b, "%llu", (unsigned long long)o.u);
	else
		puts_buf(b, "?");
}

/* A cell's text: the value of key in the row map, or a share of a total. */
static void cell(struct mp_buf *b, const uint8_t *row, const uint8_t *end,
    const struct col *c, double packets, double bytes)
{
	const uint8_t *vs, *ve;
	struct mp_obj o;
	double v;

	if (!find(row, end, c->key, &vs, &ve))
		return;
	if (c->kind == PCT_PACKETS || c->kind == PCT_BYTES) {
		double total = c->kind == PCT_PACKETS ? packets : bytes;
		const uint8_t *p = vs;

		if (mp_next(&p, ve, &o) == 0 && amount(&o, &v) && total > 0)
			printf_buf(b, "%.2f", 100 * v / total);
		return;
	}
	/* JSON's null for NaN and infinities reads oddly in a table. */
	if (c->kind == NUM && mp_next(&(const uint8_t *){ vs }, ve, &o) == 0 &&
	    o.type == MP_FLOAT && !isfinite(o.f)) {
		puts_buf(b, "?");
		return;
	}
	show_text(b, vs, ve, (const uint8_t *)c->key, strlen(c->key));
}

/*
 * The elements of the array value under key: *first at the first, their
 * number (as many as are there, whatever the header claims) in *n.
 */
static bool array(const uint8_t *rec, const uint8_t *end, const char *key,
    const uint8_t **first, const uint8_t **ve, uint32_t *n)
{
	const uint8_t *vs, *p;
	struct mp_obj a;
	uint32_t i;

	if (!find(rec, end, key, &vs, ve) || mp_next(&vs, *ve, &a) < 0 ||
	    a.type != MP_ARRAY)
		return false;
	for (i = 0, p = vs; i < a.len && mp_skip(&p, *ve) == 0; i++)
		;
	*first = vs;
	*n = i;
	return true;
}

/*
 * One table: the title, a header line and a row per element of the array
 * value (the first max), columns as wide as their widest cell.
 */
static void table(struct mp_buf *out, const char *title, const uint8_t *rec,
    const uint8_t *end, const char *key, const struct col *cols, int ncols,
    uint32_t max, double packets, double bytes)
{
	const uint8_t *ve, *p, *row;
	struct mp_buf cells = { 0 };
	size_t *off = NULL, width[MAX_COLS];
	uint32_t i, n, all;
	int j;

	if (!array(rec, end, key, &p, &ve, &all))
		return;
	printf_buf(out, "\n%s (%u)\n", title, all);
	if (all == 0) {
		puts_buf(out, "  (none)\n");
		return;
	}
	n = all < max ? all : max;
	/* cells[i][j] start at off[i * (ncols + 1) + j] */
	off = tsa_malloc(((size_t)n * (ncols + 1) + 1) * sizeof *off);
	for (j = 0; j < ncols; j++)
		width[j] = strlen(cols[j].title);
	for (i = 0; i < n; i++) {
		row = p;
		mp_skip(&p, ve);	/* counted whole by array() */
		for (j = 0; j < ncols; j++) {
			off[(size_t)i * (ncols + 1) + j] = cells.len;
			cell(&cells, row, p, &cols[j], packets, bytes);
			if (cells.len - off[(size_t)i * (ncols + 1) + j] > width[j])
				width[j] = cells.len - off[(size_t)i * (ncols + 1) + j];
		}
		off[(size_t)i * (ncols + 1) + ncols] = cells.len;
	}
	for (j = 0; j < ncols; j++)
		if (j + 1 < ncols)
			printf_buf(out, "%*s|", cols[j].kind == TEXT ?
			    -(int)width[j] : (int)width[j], cols[j].title);
		else
			printf_buf(out, "%*s\n", cols[j].kind == TEXT ? 0 :
			    (int)width[j], cols[j].title);
	for (i = 0; i < n; i++) {
		for (j = 0; j < ncols; j++) {
			size_t s = off[(size_t)i * (ncols + 1) + j];
			size_t e = off[(size_t)i * (ncols + 1) + j + 1];
			size_t w = e - s, pad = width[j] - w;

			if (cols[j].kind != TEXT)
				while (pad--)
					puts_buf(out, " ");
			if (w)	/* cells.p is NULL while every cell is empty */
				mp_put_raw(out, cells.p + s, w);
			if (cols[j].kind == TEXT && j + 1 < ncols)
				while (pad--)
					puts_buf(out, " ");
			puts_buf(out, j + 1 < ncols ? "|" : "\n");
		}
	}
	if (n < all)
		printf_buf(out, "  ... and %u more\n", all - n);
	free(off);
	mp_buf_free(&cells);
}

/* "12.5s" or "150s": a duration in seconds for the bandwidth line. */
static void put_secs(struct mp_buf *b, double s)
{
	printf_buf(b, s < 100 ? "%.3fs" : s < 1e9 ? "%.0fs" : "%.3gs", s);
}

/*
 * Bandwidth: average, peak bucket, and a one-line chart of the buckets,
 * one character each, '?' for a bucket whose rate is not a usable number.
 */
static void bandwidth(struct mp_buf *out, const uint8_t *rec, const uint8_t *end)
{
	static const char bars[] = " .:-=+*#%@";
	const int top = (int)sizeof bars - 2;	/* the last bar */
	const uint8_t *vs, *ve, *p, *q;
	struct mp_obj o;
	double v, peak = -1, bucket;
	uint32_t i, at = 0, n;
	bool has_bucket;

	if (!find(rec, end, "bandwidth", &vs, &ve))
		return;
	has_bucket = num(vs, ve, "bucket_ns", &bucket) && bucket > 0;
	bucket /= 1e9;
	puts_buf(out, "Bandwidth: average ");
	put_si_key(out, vs, ve, "avg_bps", "bit/s");
	if (!array(vs, ve, "bps", &p, &ve, &n)) {
		puts_buf(out, "\n");
		return;
	}
	for (i = 0, q = p; i < n; i++) {
		const uint8_t *e = q;
		mp_skip(&e, ve);
		if (mp_next(&q, e, &o) == 0 && amount(&o, &v) && v > peak) {
			peak = v;
			at = i;
		}
		q = e;
	}
	if (peak >= 0) {
		puts_buf(out, ", peak ");
		put_si(out, peak, "bit/s");
		if (has_bucket) {
			puts_buf(out, " at +");
			put_secs(out, at * bucket);
		}
	}
	printf_buf(out, "; %u buckets", n);
	if (has_bucket) {
		puts_buf(out, " of ");
		put_secs(out, bucket);
	}
	puts_buf(out, "\n  [");
	for (i = 0; i < n; i++) {
		const uint8_t *e = p;
		char c = '?';

		mp_skip(&e, ve);
		if (mp_next(&p, e, &o) == 0 && amount(&o, &v)) {
			/* v <= peak, both finite: the ratio is in [0, 1]. */
			double r = peak > 0 ? v / peak : 0;
			c = r > 0 ? bars[1 + (int)(r * (top - 1) + 0.5)] : ' ';
		}
		mp_put_raw(out, &c, 1);
		p = e;
	}
	puts_buf(out, "]\n");
}

static void snapshot(struct mp_buf *out, const uint8_t *rec, const uint8_t *end)
{
	static const struct col countries[] = {
		{ "country", "country", TEXT }, { "packets", "packets", NUM },
		{ "%packets", "packets", PCT_PACKETS }, { "bytes", "bytes", NUM },
		{ "%bytes", "bytes", PCT_BYTES }, { "hosts", "hosts", NUM },
	};
	static const struct col domains[] = {
		{ "domain", "domain", TEXT }, { "packets", "packets", NUM },
		{ "%packets", "packets", PCT_PACKETS }, { "bytes", "bytes", NUM },
		{ "%bytes", "bytes", PCT_BYTES }, { "hosts", "hosts", NUM },
		{ "countries", "countries", TEXT }, { "os", "os", TEXT },
		{ "aliases", "aliases", TEXT },
	};
	static const struct col hosts[] = {
		{ "addr", "addr", TEXT }, { "country", "country", TEXT },
		{ "packets", "packets", NUM }, { "%packets", "packets", PCT_PACKETS },
		{ "bytes", "bytes", NUM }, { "%bytes", "bytes", PCT_BYTES },
		{ "os", "os", TEXT }, { "dist", "dist", NUM }, { "domain", "domain", TEXT },
	};
	static const struct col os[] = {
		{ "os", "os", TEXT }, { "class", "class", TEXT },
		{ "hosts", "hosts", NUM }, { "packets", "packets", NUM },
		{ "%packets", "packets", PCT_PACKETS },
	};
	static const struct col apps[] = {
		{ "app", "app", TEXT }, { "packets", "packets", NUM },
		{ "%packets", "packets", PCT_PACKETS }, { "bytes", "bytes", NUM },
		{ "%bytes", "bytes", PCT_BYTES },
	};
	static const struct col ports[] = {
		{ "port", "port", NUM }, { "protocol", "protocol", TEXT },
		{ "app", "app", TEXT }, { "packets", "packets", NUM },
		{ "%packets", "packets", PCT_PACKETS }, { "bytes", "bytes", NUM },
		{ "%bytes", "bytes", PCT_BYTES },
	};
	static const struct col alerts[] = {
		{ "alert", "alert", TEXT }, { "host_addr", "host_addr", TEXT },
		{ "country", "country", TEXT }, { "reason", "reason", TEXT },
	};
	double packets = 0, bytes = 0;
	const uint8_t *vs, *ve;
	struct mp_obj o;
	bool empty;

	/* Shares of an unusable total are left blank (cell()). */
	empty = num(rec, end, "packets", &packets) && packets == 0;
	num(rec, end, "bytes", &bytes);

	puts_buf(out, "== Snapshot ");
	put_time(out, rec, end, "window_start");
	puts_buf(out, " .. ");
	put_time(out, rec, end, "window_end");
	if (find(rec, end, "window", &vs, &ve)) {
		puts_buf(out, " (window ");
		show_text(out, vs, ve, NULL, 0);
		if (find_obj(rec, end, "window", &o) && o.type != MP_STR)
			puts_buf(out, " packets");
		puts_buf(out, ")");
	}
	if (find_obj(rec, end, "final", &o) && o.type == MP_BOOL && o.b)
		puts_buf(out, " final");
	if (find_obj(rec, end, "incomplete", &o) && o.type == MP_BOOL && o.b)
		puts_buf(out, " incomplete");
	if (find_obj(rec, end, "sensors", &o) && o.type == MP_UINT)
		printf_buf(out, " from %llu sensors", (unsigned long long)o.u);
	puts_buf(out, " ==\n");
	put_count(out, rec, end, "packets");
	puts_buf(out, " packets, ");
	put_count(out, rec, end, "bytes");
	puts_buf(out, " bytes (");
	put_si_key(out, rec, end, "bytes", "B");
	puts_buf(out, ")\n");
	/* Nothing counted: say so once, not with five empty tables. */
	for (size_t i = 0; empty && i < 4; i++) {
		static const char *const lists[] = { "countries", "domains",
			"hosts", "os" };
		uint32_t n;
		empty = !array(rec, end, lists[i], &vs, &ve, &n) || n == 0;
	}
	if (empty) {
		puts_buf(out, "The window held no packets.\n");
		uint32_t n;
		if (array(rec, end, "alerts", &vs, &ve, &n) && n)
			table(out, "Active alerts", rec, end, "alerts", alerts,
			    4, UINT32_MAX, packets, bytes);
		puts_buf(out, "\n");
		return;
	}
	bandwidth(out, rec, end);
	/* The shares can surprise: say once what they are of. */
	puts_buf(out, "(%packets and %bytes: shares of these totals; a packet "
	    "counts once for each country, host or OS at either end, so a "
	    "column can add up to more than 100%)\n");
	/* Domains and hosts are cut to the top entries by tsa-aggregate already. */
	table(out, "Countries", rec, end, "countries", countries, 6, MAX_ROWS, packets, bytes);
	table(out, "Domains", rec, end, "domains", domains, 9, UINT32_MAX, packets, bytes);
	table(out, "Top hosts", rec, end, "hosts", hosts, 9, UINT32_MAX, packets, bytes);
	table(out, "Operating systems", rec, end, "os", os, 5, MAX_ROWS, packets, bytes);
	table(out, "Applications", rec, end, "apps", apps, 5, UINT32_MAX, packets, bytes);
	table(out, "Server ports", rec, end, "ports", ports, 7, UINT32_MAX, packets, bytes);
	table(out, "Active alerts", rec, end, "alerts", alerts, 4, UINT32_MAX, packets, bytes);
	puts_buf(out, "\n");
}

static void alert(struct mp_buf *out, const uint8_t *rec, const uint8_t *end)
{
	const uint8_t *vs, *ve;

	puts_buf(out, "ALERT ");
	put_time(out, rec, end, "window_end");
	puts_buf(out, " ");
	if (find(rec, end, "alert", &vs, &ve))
		show_text(out, vs, ve, NULL, 0);
	if (find(rec, end, "country", &vs, &ve)) {
		puts_buf(out, " (");
		show_text(out, vs, ve, NULL, 0);
		puts_buf(out, ")");
	}
	puts_buf(out, ": ");
	if (find(rec, end, "reason", &vs, &ve))
		show_text(out, vs, ve, NULL, 0);
	if (find(rec, end, "counts", &vs, &ve)) {
		puts_buf(out, " ");
		show_text(out, vs, ve, NULL, 0);
	}
	puts_buf(out, "\n");
}

int tables_record(struct mp_buf *out, const uint8_t *rec, size_t len)
{
	struct mp_obj t;
	const uint8_t *end = rec + len;

	switch (mp_map_get1(rec, len, "type", &t)) {
	case -1: return -1;
	case 0: return 0;
	}
	if (mp_str_eq(&t, "snapshot", 8)) {
		snapshot(out, rec, end);
		return 1;
	}
	if (mp_str_eq(&t, "alert", 5)) {
		alert(out, rec, end);
		return 1;
	}
	return 0;
}
