/*
 * Horizontal bar charts: top countries (by packets and by bytes), top
 * domains, operating systems.  Names go into the y tics as quoted strings;
 * each panel's datablock holds "rank value label" rows, the label being
 * the value in human units printed at the end of its bar.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "plot.h"
#include "units.h"

#define BAR_PACKETS "0x3182bd"
#define BAR_BYTES "0xe6550d"
#define BAR_HOSTS "0x31a354"
#define NAME_MAX_CHARS 34
#define MIN_ROWS 5
/* The margins of a panel, in characters (set lmargin, rmargin): the left
 * one fits the panel's names, the typical one sizes the x tics. */
#define MIN_LMARGIN 8
#define LMARGIN 30
#define RMARGIN 4
/* Pixels a tic label needs ("500 kB" and the space around it), and of a
 * character at the charts' font sizes. */
#define TIC_PX 60
#define CHAR_PX 7

struct bar {
	const char *name;
	double value;
	char label[64];
};

/*
 * The byte after the character at s[i]: its first byte and the
 * continuation bytes after it, at most 3 as in UTF-8.  Text from the
 * stream need not be UTF-8; bounding a character at 4 bytes bounds what a
 * name of NAME_MAX_CHARS characters takes.
 */
static size_t utf8_next(const char *s, size_t len, size_t i)
{
	size_t end = i + 4 < len ? i + 4 : len;

	for (i++; i < end && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

/* Characters in s[0..len). */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i = utf8_next(s, len, i))
		n++;
	return n;
}

/* Byte offset of the character after the first k characters of s. */
static size_t utf8_skip(const char *s, size_t len, size_t k)
{
	size_t i = 0;

	for (; i < len && k; k--)
		i = utf8_next(s, len, i);
	return i;
}

/*
 * A name longer than a tic label may be: shortened in the middle, where
 * both ends stay readable ("MacOS X 10.9 or ne…iPhone or iPad)"), never
 * inside a UTF-8 sequence.  The page's tables hold the whole name.
 */
static void put_name(FILE *f, const char *name)
{
	size_t len = strlen(name), chars = utf8_chars(name, len);
	size_t head, tail;
	char buf[NAME_MAX_CHARS * 4 + 8];

	if (chars <= NAME_MAX_CHARS) {
		gp_quote(f, name);
		return;
	}
	head = utf8_skip(name, len, (NAME_MAX_CHARS - 1) / 2 + 1);
	tail = utf8_skip(name, len, chars - (NAME_MAX_CHARS - 1) / 2);
	memcpy(buf, name, head);
	memcpy(buf + head, "\xe2\x80\xa6", 3);	/* U+2026 */
	memcpy(buf + head + 3, name + tail, len - tail);
	buf[head + 3 + len - tail] = 0;
	gp_quote(f, buf);
}

/* Characters the longest of the panel's names takes once shortened. */
static size_t name_width(const struct bar *b, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		size_t c = utf8_chars(b[i].name, strlen(b[i].name));
		if (c > NAME_MAX_CHARS)
			c = NAME_MAX_CHARS;
		if (c > w)
			w = c;
	}
	return w;
}

/* The left margin, in characters, that the panel's names need: gnuplot
 * counts in its estimate of a character of the font, which is wider than
 * most of a proportional font's letters. */
static int name_margin(const struct bar *b, size_t n)
{
	int w = (int)name_width(b, n) * 9 / 10 + 3;

	return w < MIN_LMARGIN ? MIN_LMARGIN : w;
}

/*
 * The x axis: round steps labelled in human units, listed explicitly (a
 * gnuplot format would print 1500 as "2k" or 500 as "500.0"); no more of
 * them than the panel's width holds.
 */
static void x_axis(FILE *f, double max, int bytes, int tics)
{
	double top = max > 0 ? max * 1.22 : 1;	/* room for the labels */
	double step = units_step(top, tics, 1);
	char t[UNITS_LEN];

	fprintf(f, "set xrange [0:%.17g]\nset xtics (", top);
	for (int i = 0; i * step <= top && i <= 12; i++)
		fprintf(f, "%s'%s' %.17g", i ? ", " : "",
		    units_tic(t, i * step, bytes), i * step);
	fprintf(f, ")\n");
}

/*
 * One panel.  block names the datablock ("$packets"); colour is a
 * gnuplot colour constant; bytes says how the x axis counts.
 */
static void panel(FILE *f, const char *title, const char *block,
    const struct bar *b, size_t n, const char *colour, int bytes, int tics)
{
	double max = 0;

	fprintf(f, "\n%s << EOD\n", block);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%zu %.17g \"%s\"\n", i + 1, b[i].value,
		    b[i].label);
		if (b[i].value > max)
			max = b[i].value;
	}
	fprintf(f, "EOD\n");
	fprintf(f, "set title ");
	gp_quote(f, title);
	fprintf(f, " font ',12'\n");
	/* Room at the left for the longest name, as shortened. */
	fprintf(f, "set lmargin %d\n", name_margin(b, n));
	fprintf(f, "set ytics scale 0 (");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "%s", i ? ", " : "");
		put_name(f, b[i].name);
		fprintf(f, " %zu", i + 1);
	}
	fprintf(f, ")\n");
	/* Room at the right for the value labels. */
	x_axis(f, max, bytes, tics);
	/* At least MIN_ROWS rows, so a bar is as thick with one as with ten. */
	fprintf(f, "set yrange [%zu.6:0.4]\n", n > MIN_ROWS ? n : MIN_ROWS);
	if (n == 0) {
		fprintf(f, "set label 1 'nothing in this window' at graph 0.5, "
		    "graph 0.5 center textcolor rgb '#777777'\n"
		    "unset ytics\nplot NaN notitle\nunset label 1\n"
		    "set ytics\n");
		return;
	}
	fprintf(f, "plot %s using (0):1:(0):2:($1 - 0.36):($1 + 0.36) with "
	    "boxxyerror fillcolor rgb %s fillstyle solid noborder notitle, \\\n"
	    "     %s using 2:1:3 with labels left offset character 0.5, 0 "
	    "notitle\n", block, colour, block);
}

/* The common frame of every bar chart. */
static void chart_begin(FILE *f, const struct plot_ctx *c, const char *png,
    const char *what, const char *heading, int panels, int h)
{
	char span[96], line[256];

	gp_begin(f, c, png, what, c->width, h);
	fmt_window_span(span, sizeof span, c->s);
	snprintf(line, sizeof line, "%s    %s", heading, span);
	fprintf(f, "set border 3 lc rgb '#888888'\nset xtics nomirror "
	    "scale 0.5\nset grid xtics lc rgb '#dddddd' lt 1\n"
	    "set key off\nset style fill solid\n"
	    "set ytics textcolor rgb '#222222'\n");
	fprintf(f, "set rmargin %d\n", RMARGIN);
	fprintf(f, "set multiplot layout 1, %d title ", panels);
	gp_quote(f, line);
	fprintf(f, " font ',14'\n");
}

/* How many x tics a panel of a chart of this many panels has room for. */
static int x_tics(const struct plot_ctx *c, int panels)
{
	int px = c->width / panels - (LMARGIN + RMARGIN) * CHAR_PX;
	int n = px / TIC_PX;

	return n < 2 ? 2 : n > 6 ? 6 : n;
}

static void chart_end(FILE *f)
{
	fprintf(f, "unset multiplot\n");
	gp_end(f);
}

static int chart_height(const struct plot_ctx *c, size_t n)
{
	/* 26 px a bar plus the frame, within the map's height. */
	int h = 150 + 26 * (int)(n < 5 ? 5 : n);

	return h > c->height ? c->height : h;
}

static int by_bytes(const void *a, const void *b)
{
	const struct country_row *x = *(const struct country_row *const *)a;
	const struct country_row *y = *(const struct country_row *const *)b;

	return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 :
	    strcmp(x->country, y->country);
}

static int by_packets(const void *a, const void *b)
{
	const struct country_row *x = *(const struct country_row *const *)a;
	const struct country_row *y = *(const struct country_row *const *)b;

	return x->packets < y->packets ? 1 : x->packets > y->packets ? -1 :
	    strcmp(x->country, y->country);
}

void countries_script(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	const struct country_row **rows = tsa_calloc(s->ncountries + 1,
	    sizeof *rows);
	struct bar *b = tsa_calloc(c->top, sizeof *b);
	size_t n = 0, k;
	char title[64];

	for (size_t i = 0; i < s->ncountries; i++)
		if (s->countries[i].country)
			rows[n++] = &s->countries[i];
	k = n < c->top ? n : c->top;

	chart_begin(f, c, "countries", "Top countries by packets and by bytes",
	    "Top countries", 2, chart_height(c, k));
	/* The stream sorts by packets; sort anyway, a stage may not have. */
	qsort(rows, n, sizeof *rows, by_packets);
	for (size_t i = 0; i < k; i++) {
		b[i].name = country_label(c, rows[i]->country);
		b[i].value = (double)rows[i]->packets;
		units_count(b[i].label, b[i].value);
	}
	snprintf(title, sizeof title, "by packets (top %zu of %zu)", k, n);
	panel(f, title, "$packets", b, k, BAR_PACKETS, 0, x_tics(c, 2));
	qsort(rows, n, sizeof *rows, by_bytes);
	for (size_t i = 0; i < k; i++) {
		b[i].name = country_label(c, rows[i]->country);
		b[i].value = (double)rows[i]->bytes;
		units_bytes(b[i].label, b[i].value);
	}
	snprintf(title, sizeof title, "by bytes (top %zu of %zu)", k, n);
	panel(f, title, "$bytes", b, k, BAR_BYTES, 1, x_tics(c, 2));
	chart_end(f);
	free(rows);
	free(b);
}

static int domain_by_packets(const void *a, const void *b)
{
	const struct domain_row *x = *(const struct domain_row *const *)a;
	const struct domain_row *y = *(const struct domain_row *const *)b;

	return x->packets < y->packets ? 1 : x->packets > y->packets ? -1 :
	    strcmp(x->domain, y->domain);
}

void domains_script(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	const struct domain_row **rows = tsa_calloc(s->ndomains + 1,
	    sizeof *rows);
	struct bar *b = tsa_calloc(c->top, sizeof *b);
	size_t n = 0, k;
	char cnt[UNITS_LEN], by[UNITS_LEN];

	for (size_t i = 0; i < s->ndomains; i++)
		if (s->domains[i].domain)
			rows[n++] = &s->domains[i];
	/* The stream lists them by packets; a stage of one's own may not. */
	qsort(rows, n, sizeof *rows, domain_by_packets);
	k = n < c->top ? n : c->top;
	for (size_t i = 0; i < k; i++) {
		b[i].name = rows[i]->domain;
		b[i].value = (double)rows[i]->packets;
		snprintf(b[i].label, sizeof b[i].label, "%s packets, %s",
		    units_count(cnt, (double)rows[i]->packets),
		    units_bytes(by, (double)rows[i]->bytes));
	}
	chart_begin(f, c, "domains", "Top registrable domains by packets",
	    "Top domains", 1, chart_height(c, k));
	panel(f, "packets to or from each domain's hosts", "$domains", b, k,
	    BAR_PACKETS, 0, x_tics(c, 1));
	chart_end(f);
	free(rows);
	free(b);
}

/* Operating system rows by hosts or by packets, descending; then by name. */
static int os_by_hosts(const void *a, const void *b)
{
	const struct os_row *x = *(const struct os_row *const *)a;
	const struct os_row *y = *(const struct os_row *const *)b;

	return x->hosts < y->hosts ? 1 : x->hosts > y->hosts ? -1 :
	    strcmp(x->os, y->os);
}

static int os_by_packets(const void *a, const void *b)
{
	const struct os_row *x = *(const struct os_row *const *)a;
	const struct os_row *y = *(const struct os_row *const *)b;

	return x->packets < y->packets ? 1 : x->packets > y->packets ? -1 :
	    strcmp(x->os, y->os);
}

void os_script(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	const struct os_row **rows = tsa_calloc(s->nos + 1, sizeof *rows);
	struct bar *b = tsa_calloc(c->top, sizeof *b);
	size_t n = 0, k;
	char title[96];

	for (size_t i = 0; i < s->nos; i++)
		if (s->os[i].os)
			rows[n++] = &s->os[i];
	k = n < c->top ? n : c->top;
	chart_begin(f, c, "os", "Operating systems (p0f) by hosts and packets",
	    "Operating systems (p0f)", 2, chart_height(c, k));
	/* Each panel sorted by what it shows: the top by hosts need not be
	 * the top by packets. */
	qsort(rows, n, sizeof *rows, os_by_hosts);
	for (size_t i = 0; i < k; i++) {
		b[i].name = rows[i]->os;
		b[i].value = (double)rows[i]->hosts;
		units_count(b[i].label, b[i].value);
	}
	snprintf(title, sizeof title, "hosts (top %zu of %zu)", k, n);
	panel(f, title, "$hosts", b, k, BAR_HOSTS, 0, x_tics(c, 2));
	qsort(rows, n, sizeof *rows, os_by_packets);
	for (size_t i = 0; i < k; i++) {
		b[i].name = rows[i]->os;
		b[i].value = (double)rows[i]->packets;
		units_count(b[i].label, b[i].value);
	}
	/* A packet between two fingerprinted hosts counts for both. */
	snprintf(title, sizeof title, "packets to or from hosts of each OS "
	    "(top %zu of %zu)", k, n);
	panel(f, title, "$packets", b, k, BAR_PACKETS, 0, x_tics(c, 2));
	chart_end(f);
	free(rows);
	free(b);
}

static int app_by_packets(const void *a, const void *b)
{
	const struct app_row *x = *(const struct app_row *const *)a;
	const struct app_row *y = *(const struct app_row *const *)b;

	return x->packets < y->packets ? 1 : x->packets > y->packets ? -1 :
	    strcmp(x->app, y->app);
}

static int port_by_packets(const void *a, const void *b)
{
	const struct port_row *x = *(const struct port_row *const *)a;
	const struct port_row *y = *(const struct port_row *const *)b;

	return x->packets < y->packets ? 1 : x->packets > y->packets ? -1 :
	    x->port < y->port ? -1 : x->port > y->port;
}

void apps_script(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	const struct app_row **apps = tsa_calloc(s->napps + 1, sizeof *apps);
	const struct port_row **ports = tsa_calloc(s->nports + 1,
	    sizeof *ports);
	struct bar *b = tsa_calloc(c->top, sizeof *b);
	char (*names)[48] = tsa_calloc(c->top, sizeof *names);
	char cnt[UNITS_LEN], by[UNITS_LEN], title[96];
	size_t na = 0, np = 0, ka, kp;

	for (size_t i = 0; i < s->napps; i++)
		if (s->apps[i].app)
			apps[na++] = &s->apps[i];
	for (size_t i = 0; i < s->nports; i++)
		if (s->ports[i].protocol)
			ports[np++] = &s->ports[i];
	qsort(apps, na, sizeof *apps, app_by_packets);
	qsort(ports, np, sizeof *ports, port_by_packets);
	ka = na < c->top ? na : c->top;
	kp = np < c->top ? np : c->top;
	chart_begin(f, c, "apps", "Applications and server ports by packets",
	    "Applications", 2, chart_height(c, ka > kp ? ka : kp));
	for (size_t i = 0; i < ka; i++) {
		b[i].name = apps[i]->app;
		b[i].value = (double)apps[i]->packets;
		snprintf(b[i].label, sizeof b[i].label, "%s, %s",
		    units_count(cnt, b[i].value),
		    units_bytes(by, (double)apps[i]->bytes));
	}
	snprintf(title, sizeof title, "packets by application (%zu)", na);
	panel(f, title, "$apps", b, ka, BAR_PACKETS, 0, x_tics(c, 2));
	for (size_t i = 0; i < kp; i++) {
		snprintf(names[i], sizeof names[i], "%" PRIu64 "/%s%s%s",
		    ports[i]->port, ports[i]->protocol, ports[i]->app ? " " :
		    "", ports[i]->app ? ports[i]->app : "");
		b[i].name = names[i];
		b[i].value = (double)ports[i]->packets;
		snprintf(b[i].label, sizeof b[i].label, "%s, %s",
		    units_count(cnt, b[i].value),
		    units_bytes(by, (double)ports[i]->bytes));
	}
	snprintf(title, sizeof title, "packets by server port (top %zu)", kp);
	panel(f, title, "$ports", b, kp, BAR_BYTES, 0, x_tics(c, 2));
	chart_end(f);
	free(apps);
	free(ports);
	free(b);
	free(names);
}
