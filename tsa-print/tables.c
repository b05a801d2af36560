/*
 * Snapshot and alert records as text.  A snapshot becomes a title block
 * (window, totals, bandwidth) and one table per list - countries, domains,
 * hosts, OS labels, applications, server ports, alerts - with right-aligned
 * numbers, left-aligned names, and the share of the window's packets and
 * bytes, like rwstats:
 *
 *   Countries (2)
 *   country|packets|%packets|bytes|%bytes|hosts
 *   unknown|    146|   90.68|22153| 86.36|    7
 *   local  |     15|    9.32| 3498| 13.64|    6
 *
 * The shares of countries and domains can add up to more than 100%: a
 * packet counts for each remote endpoint's country and domain.
 *
 * Records are read with lib/snapshot's decoders, as tsa-plot reads them:
 * a count that is not an unsigned integer reads as 0, a name or address
 * that is absent or mistyped leaves its cell empty, and a rate that is
 * not a finite number is not kept (a bucket's reads as 0; the average,
 * like a missing time, shows as "?").  Of a damaged record (a key that
 * is not a string, say) they keep what came before the damage, and that
 * is shown.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "show.h"
#include "tables.h"

#define MAX_COLS 10
#define MAX_ROWS 25		/* rows of the lists that are not cut already */

/*
 * A table's cells as they are made, row by row and column by column: their
 * text one after another, the k-th from off[k] to off[k + 1].
 */
struct cells {
	struct mp_buf text;
	size_t *off, n, cap;	/* n cells made, room for cap */
	size_t ncols, width[MAX_COLS];
	double packets, bytes;	/* the window's totals, for the shares */
};

/* A list's table: its columns, and the function that makes a row's cells
 * (one cell_ call a column, in their order). */
struct table {
	const char *title;
	void (*cells)(struct cells *c, const void *row);
	struct col {
		const char *title;
		enum { TEXT, NUM } kind;	/* left- or right-aligned */
	} cols[MAX_COLS];	/* up to the first without a title */
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

static void put_time(struct mp_buf *b, struct stime t, bool has)
{
	char s[40];

	if (has) {
		tsa_fmt_time(s, t.sec, t.nsec);
		puts_buf(b, s);
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

/* End the cell whose text was just added: its column widens to fit it. */
static void cell_done(struct cells *c)
{
	size_t w = c->text.len - c->off[c->n], j = c->n % c->ncols;

	assert(c->n < c->cap);	/* no row makes more cells than columns */
	if (w > c->width[j])
		c->width[j] = w;
	c->off[++c->n] = c->text.len;
}

/* A name; NULL (absent) leaves the cell empty. */
static void cell_str(struct cells *c, const char *s)
{
	if (s)
		show_str(&c->text, s);
	cell_done(c);
}

/* Names joined with ',', as show_text joins an array's. */
static void cell_strs(struct cells *c, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			puts_buf(&c->text, ",");
		show_str(&c->text, l->v[i]);
	}
	cell_done(c);
}

/* An address; len 0 (absent) leaves the cell empty. */
static void cell_addr(struct cells *c, const uint8_t *addr, size_t len)
{
	char a[TSA_ADDR_STRLEN];

	if (len)
		puts_buf(&c->text, tsa_addr_fmt(addr, len, a));
	cell_done(c);
}

static void cell_num(struct cells *c, uint64_t v)
{
	printf_buf(&c->text, "%llu", (unsigned long long)v);
	cell_done(c);
}

/* v as a percentage of total, blank when there is no total to share. */
static void cell_share(struct cells *c, uint64_t v, double total)
{
	if (total > 0)
		printf_buf(&c->text, "%.2f", 100 * (double)v / total);
	cell_done(c);
}

/* The four columns packets, %packets, bytes, %bytes. */
static void cell_traffic(struct cells *c, uint64_t packets, uint64_t bytes)
{
	cell_num(c, packets);
	cell_share(c, packets, c->packets);
	cell_num(c, bytes);
	cell_share(c, bytes, c->bytes);
}

static void country_cells(struct cells *c, const void *row)
{
	const struct country_row *r = row;

	cell_str(c, r->country);
	cell_traffic(c, r->packets, r->bytes);
	cell_num(c, r->hosts);
}

static const struct table countries = { "Countries", country_cells, {
	{ "country", TEXT }, { "packets", NUM }, { "%packets", NUM },
	{ "bytes", NUM }, { "%bytes", NUM }, { "hosts", NUM },
} };

static void domain_cells(struct cells *c, const void *row)
{
	const struct domain_row *r = row;

	cell_str(c, r->domain);
	cell_traffic(c, r->packets, r->bytes);
	cell_num(c, r->hosts);
	cell_strs(c, &r->countries);
	cell_strs(c, &r->os);
	cell_strs(c, &r->aliases);
}

static const struct table domains = { "Domains", domain_cells, {
	{ "domain", TEXT }, { "packets", NUM }, { "%packets", NUM },
	{ "bytes", NUM }, { "%bytes", NUM }, { "hosts", NUM },
	{ "countries", TEXT }, { "os", TEXT }, { "aliases", TEXT },
} };

static void host_cells(struct cells *c, const void *row)
{
	const struct host_row *r = row;

	cell_addr(c, r->addr, r->addrlen);
	cell_str(c, r->country);
	cell_traffic(c, r->packets, r->bytes);
	cell_str(c, r->os);
	if (r->has_dist)
		cell_num(c, r->dist);
	else
		cell_str(c, NULL);
	cell_str(c, r->domain);
}

static const struct table hosts = { "Top hosts", host_cells, {
	{ "addr", TEXT }, { "country", TEXT }, { "packets", NUM },
	{ "%packets", NUM }, { "bytes", NUM }, { "%bytes", NUM },
	{ "os", TEXT }, { "dist", NUM }, { "domain", TEXT },
} };

static void os_cells(struct cells *c, const void *row)
{
	const struct os_row *r = row;

	cell_str(c, r->os);
	cell_str(c, r->class);
	cell_num(c, r->hosts);
	cell_num(c, r->packets);
	cell_share(c, r->packets, c->packets);
}

static const struct table oses = { "Operating systems", os_cells, {
	{ "os", TEXT }, { "class", TEXT }, { "hosts", NUM },
	{ "packets", NUM }, { "%packets", NUM },
} };

static void app_cells(struct cells *c, const void *row)
{
	const struct app_row *r = row;

	cell_str(c, r->app);
	cell_traffic(c, r->packets, r->bytes);
}

static const struct table apps = { "Applications", app_cells, {
	{ "app", TEXT }, { "packets", NUM }, { "%packets", NUM },
	{ "bytes", NUM }, { "%bytes", NUM },
} };

static void port_cells(struct cells *c, const void *row)
{
	const struct port_row *r = row;

	cell_num(c, r->port);
	cell_str(c, r->protocol);
	cell_str(c, r->app);
	cell_traffic(c, r->packets, r->bytes);
}

static const struct table ports = { "Server ports", port_cells, {
	{ "port", NUM }, { "protocol", TEXT }, { "app", TEXT },
	{ "packets", NUM }, { "%packets", NUM }, { "bytes", NUM },
	{ "%bytes", NUM },
} };

static void alert_cells(struct cells *c, const void *row)
{
	const struct alert_row *r = row;

	cell_str(c, r->alert);
	cell_addr(c, r->addr, r->addrlen);
	cell_str(c, r->country);
	cell_str(c, r->reason);
}

static const struct table alerts = { "Active alerts", alert_cells, {
	{ "alert", TEXT }, { "host_addr", TEXT }, { "country", TEXT },
	{ "reason", TEXT },
} };

/*
 * One table: the title, a header line and a line for each of the list's
 * first max rows (nrows of size bytes each), columns as wide as their
 * widest cell.  rows is NULL when the snapshot has no such list: no table.
 */
static void table(struct mp_buf *out, const struct table *t, const void *rows,
    size_t size, size_t nrows, size_t max, const struct snapshot *s)
{
	const struct col *cols = t->cols;
	struct cells c = { .packets = (double)s->packets,
		.bytes = (double)s->bytes };
	size_t i, j, n, ncols = 0;

	if (!rows)
		return;
	printf_buf(out, "\n%s (%zu)\n", t->title, nrows);
	if (nrows == 0) {
		puts_buf(out, "  (none)\n");
		return;
	}
	while (ncols < MAX_COLS && cols[ncols].title)
		ncols++;
	n = nrows < max ? nrows : max;
	c.ncols = ncols;
	c.cap = n * ncols;
	c.off = tsa_calloc(c.cap + 1, sizeof *c.off);
	for (j = 0; j < ncols; j++)
		c.width[j] = strlen(cols[j].title);
	for (i = 0; i < n; i++)
		t->cells(&c, (const char *)rows + i * size);
	assert(c.n == c.cap);	/* every row made a cell for each column */
	for (j = 0; j < ncols; j++)
		if (j + 1 < ncols)
			printf_buf(out, "%*s|", cols[j].kind == TEXT ?
			    -(int)c.width[j] : (int)c.width[j], cols[j].title);
		else
			printf_buf(out, "%*s\n", cols[j].kind == TEXT ? 0 :
			    (int)c.width[j], cols[j].title);
	for (i = 0; i < n; i++) {
		for (j = 0; j < ncols; j++) {
			size_t at = c.off[i * ncols + j];
			size_t w = c.off[i * ncols + j + 1] - at;
			size_t pad = c.width[j] - w;

			if (cols[j].kind != TEXT)
				while (pad--)
					puts_buf(out, " ");
			if (w)	/* c.text.p is NULL while every cell is empty */
				mp_put_raw(out, c.text.p + at, w);
			if (cols[j].kind == TEXT && j + 1 < ncols)
				while (pad--)
					puts_buf(out, " ");
			puts_buf(out, j + 1 < ncols ? "|" : "\n");
		}
	}
	if (n < nrows)
		printf_buf(out, "  ... and %zu more\n", nrows - n);
	free(c.off);
	mp_buf_free(&c.text);
}

/* "12.5s" or "150s": a duration in seconds for the bandwidth line. */
static void put_secs(struct mp_buf *b, double s)
{
	printf_buf(b, s < 100 ? "%.3fs" : s < 1e9 ? "%.0fs" : "%.3gs", s);
}

/*
 * Bandwidth: average, peak bucket, and a one-line chart of the buckets,
 * one character each.  The decoder keeps only finite rates, and a bucket's
 * only when it is not negative (else 0), so every ratio to the peak is in
 * [0, 1].
 */
static void bandwidth(struct mp_buf *out, const struct bandwidth *bw)
{
	static const char bars[] = " .:-=+*#%@";
	const int top = (int)sizeof bars - 2;	/* the last bar */
	double peak = -1, bucket = (double)bw->bucket_ns / 1e9;
	size_t i, at = 0;

	/* No bandwidth map: the decoder marks none, but a map has buckets
	 * or an average. */
	if (!bw->bps && !bw->has_avg)
		return;
	puts_buf(out, "Bandwidth: average ");
	/* The decoder keeps a negative average: no rate either. */
	if (bw->has_avg && bw->avg_bps >= 0)
		put_si(out, bw->avg_bps, "bit/s");
	else
		puts_buf(out, "?");
	if (!bw->bps) {
		puts_buf(out, "\n");
		return;
	}
	for (i = 0; i < bw->nbps; i++)
		if (bw->bps[i] > peak) {
			peak = bw->bps[i];
			at = i;
		}
	if (peak >= 0) {
		puts_buf(out, ", peak ");
		put_si(out, peak, "bit/s");
		if (bw->bucket_ns) {
			puts_buf(out, " at +");
			put_secs(out, (double)at * bucket);
		}
	}
	printf_buf(out, "; %zu buckets", bw->nbps);
	if (bw->bucket_ns) {
		puts_buf(out, " of ");
		put_secs(out, bucket);
	}
	puts_buf(out, "\n  [");
	for (i = 0; i < bw->nbps; i++) {
		double r = peak > 0 ? bw->bps[i] / peak : 0;
		char c = r > 0 ? bars[1 + (int)(r * (top - 1) + 0.5)] : ' ';

		mp_put_raw(out, &c, 1);
	}
	puts_buf(out, "]\n");
}

static void snapshot(struct mp_buf *out, const struct snapshot *s)
{
	char buf[32];
	const char *window = snapshot_window(s, buf);

	puts_buf(out, "== Snapshot ");
	put_time(out, s->start, s->has_bounds);
	puts_buf(out, " .. ");
	put_time(out, s->end, s->has_bounds);
	if (window) {
		puts_buf(out, " (window ");
		show_str(out, window);
		puts_buf(out, ")");
	}
	if (s->final)
		puts_buf(out, " final");
	if (s->incomplete)
		puts_buf(out, " incomplete");
	if (s->sensors)
		printf_buf(out, " from %llu sensors",
		    (unsigned long long)s->sensors);
	puts_buf(out, " ==\n");
	printf_buf(out, "%llu packets, %llu bytes (",
	    (unsigned long long)s->packets, (unsigned long long)s->bytes);
	put_si(out, (double)s->bytes, "B");
	puts_buf(out, ")\n");
	/* Nothing counted: say so once, not with five empty tables. */
	if (snapshot_empty(s)) {
		puts_buf(out, "The window held no packets.\n");
		if (s->nalerts)
			table(out, &alerts, s->alerts, sizeof *s->alerts,
			    s->nalerts, SIZE_MAX, s);
		puts_buf(out, "\n");
		return;
	}
	bandwidth(out, &s->bw);
	/* The shares can surprise: say once what they are of. */
	puts_buf(out, "(%packets and %bytes: shares of these totals; a packet "
	    "counts once for each country, host or OS at either end, so a "
	    "column can add up to more than 100%)\n");
	/* Domains and hosts are cut to the top entries by tsa-aggregate already. */
	table(out, &countries, s->countries, sizeof *s->countries,
	    s->ncountries, MAX_ROWS, s);
	table(out, &domains, s->domains, sizeof *s->domains, s->ndomains,
	    SIZE_MAX, s);
	table(out, &hosts, s->hosts, sizeof *s->hosts, s->nhosts, SIZE_MAX, s);
	table(out, &oses, s->os, sizeof *s->os, s->nos, MAX_ROWS, s);
	table(out, &apps, s->apps, sizeof *s->apps, s->napps, SIZE_MAX, s);
	table(out, &ports, s->ports, sizeof *s->ports, s->nports, SIZE_MAX, s);
	table(out, &alerts, s->alerts, sizeof *s->alerts, s->nalerts,
	    SIZE_MAX, s);
	puts_buf(out, "\n");
}

/* "ALERT time syn_flood (CN): reason {counts}", the counts as JSON. */
static void alert(struct mp_buf *out, const struct alert_row *a)
{
	puts_buf(out, "ALERT ");
	/* (end_ns is 0 when absent: no capture's window ends at the epoch) */
	put_time(out, stime_of_ns(a->end_ns), a->end_ns != 0);
	puts_buf(out, " ");
	if (a->alert)
		show_str(out, a->alert);
	if (a->country) {
		puts_buf(out, " (");
		show_str(out, a->country);
		puts_buf(out, ")");
	}
	puts_buf(out, ": ");
	if (a->reason)
		show_str(out, a->reason);
	if (a->counts) {
		puts_buf(out, " {");
		for (size_t i = 0; i < a->ncounts; i++) {
			if (i)
				puts_buf(out, ",");
			show_json_str(out, a->counts[i].key);
			printf_buf(out, ":%llu", (unsigned long long)a->counts[i].n);
		}
		puts_buf(out, "}");
	}
	puts_buf(out, "\n");
}

int tables_record(struct mp_buf *out, const uint8_t *rec, size_t len)
{
	struct mp_obj t;

	switch (mp_map_get1(rec, len, "type", &t)) {
	case -1: return -1;
	case 0: return 0;
	}
	/* A damaged record still shows what the decoder read before the
	 * damage (lib/snapshot.h), so its failure is not tested. */
	if (mp_str_eq(&t, "snapshot", 8)) {
		struct snapshot s;

		(void)snapshot_decode(rec, len, &s);
		snapshot(out, &s);
		snapshot_free(&s);
		return 1;
	}
	if (mp_str_eq(&t, "alert", 5)) {
		struct alert_row a;

		(void)alert_decode(rec, len, &a);
		alert(out, &a);
		alert_free(&a);
		return 1;
	}
	return 0;
}
