/*
 * The dashboard page.  Every text that came from the stream (domain names,
 * OS labels, alert reasons) goes through esc(), which leaves only text:
 * a hostile name in a DNS answer must not become markup in a browser.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tsa.h"
#include "html.h"
#include "output.h"
#include "units.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			putc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
		}
	}
}

static void list(FILE *f, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			fputs(", ", f);
		esc(f, l->v[i]);
	}
}

/* 1234567 as "1,234,567": exact counts, readable. */
static void num(FILE *f, uint64_t v)
{
	char d[32];
	int n = snprintf(d, sizeof d, "%" PRIu64, v);

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			putc(',', f);
		putc(d[i], f);
	}
}

static void bytes_cell(FILE *f, uint64_t v)
{
	char u[UNITS_LEN];

	fprintf(f, "<td class=\"n\" title=\"");
	num(f, v);
	fprintf(f, " bytes\">%s</td>", units_bytes(u, (double)v));
}

static void count_cell(FILE *f, uint64_t v)
{
	fputs("<td class=\"n\">", f);
	num(f, v);
	fputs("</td>", f);
}

static void head(FILE *f, const struct plot_ctx *c,
    const struct html_page *p)
{
	char span[96];

	fmt_span(span, sizeof span, c->s->start_ns, c->s->end_ns);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", f);
	if (p->refresh)
		fprintf(f, "<meta http-equiv=\"refresh\" content=\"%u\">\n",
		    p->refresh);
	fprintf(f, "<title>TSA traffic, %s</title>\n", span);
	fputs("<style>\n"
	    "body { font: 14px/1.4 'DejaVu Sans', sans-serif; margin: 16px auto;"
	    " padding: 0 24px; max-width: 1600px;"
	    " color: #222; background: #fff; }\n"
	    "h1 { font-size: 22px; margin: 0 0 4px; }\n"
	    "h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid"
	    " #ccc; padding-bottom: 3px; }\n"
	    ".sub { color: #555; margin: 0 0 12px; }\n"
	    ".live { color: #080; font-weight: bold; }\n"
	    "figure { margin: 12px 0; }\n"
	    "img { max-width: 100%; height: auto; display: block;"
	    " border: 1px solid #e4e4e4; }\n"
	    "figcaption { font-size: 11px; text-align: right; }\n"
	    "figcaption a { color: #999; }\n"
	    "table { border-collapse: collapse; margin: 4px 0 8px; }\n"
	    "th, td { padding: 3px 10px; border-bottom: 1px solid #eee;"
	    " text-align: left; vertical-align: top; }\n"
	    "th { background: #f4f4f4; }\n"
	    "td.n, th.n { text-align: right; font-variant-numeric:"
	    " tabular-nums; }\n"
	    ".alias { color: #777; font-size: 12px; }\n"
	    ".note { color: #555; font-size: 12px; margin: 0 0 4px; }\n"
	    ".none { color: #777; }\n"
	    ".notice { background: #fff3cd; border: 1px solid #d9a400;"
	    " padding: 8px 12px; font-weight: bold; }\n"
	    ".empty { font-size: 18px; margin: 32px 0; color: #555; }\n"
	    "footer { margin-top: 32px; color: #777; font-size: 12px; }\n"
	    "</style>\n</head>\n<body>\n", f);
	fprintf(f, "<h1>TSA traffic</h1>\n<p class=\"sub\">%s", span);
	if (c->s->window) {
		fputs(" &middot; window ", f);
		esc(f, c->s->window);
	}
	fputs(" &middot; ", f);
	num(f, c->s->packets);
	fprintf(f, " packets &middot; ");
	{
		char u[UNITS_LEN], b[UNITS_LEN];
		fprintf(f, "%s", units_bytes(u, (double)c->s->bytes));
		if (c->s->bw.has_avg)
			fprintf(f, " &middot; average %s",
			    units_bps(b, c->s->bw.avg_bps));
	}
	if (p->refresh)
		fprintf(f, " &middot; <span class=\"live\">live</span>, "
		    "reloads every %u s", p->refresh);
	fputs("</p>\n", f);
	if (p->notice) {
		fputs("<p class=\"notice\">", f);
		esc(f, p->notice);
		fputs("</p>\n", f);
	}
}

static void figure(FILE *f, const struct html_page *p, const char *name,
    const char *alt)
{
	if (p->no_png) {
		fprintf(f, "<p><a href=\"%s.gp\">%s.gp</a>: %s "
		    "(run <code>gnuplot %s.gp</code> to draw it)</p>\n",
		    name, name, alt, name);
		return;
	}
	/* The query string makes a reloading browser fetch the new picture;
	 * the script beside it redraws it. */
	fprintf(f, "<figure><a href=\"%s.png\"><img src=\"%s.png?s=%" PRIu64
	    "\" alt=\"%s\"></a><figcaption><a href=\"%s.gp\">%s.gp</a>"
	    "</figcaption></figure>\n", name, name, p->serial, alt, name, name);
}

/* "2026-11-26 07:00:00" (UTC): the page says UTC once, in the header. */
static void time_cell(FILE *f, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char s[32];

	fputs("<td>", f);
	if (ns && gmtime_r(&t, &tm) && strftime(s, sizeof s,
	    "%Y-%m-%d %H:%M:%S", &tm))
		fputs(s, f);
	fputs("</td>", f);
}

static void alerts(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	char a[TSA_ADDR_STRLEN], span[96];

	fputs("<h2 id=\"alerts\">Alerts</h2>\n", f);
	if (!s->nalerts) {
		fputs("<p class=\"none\">No alerts in this window.</p>\n", f);
		return;
	}
	fputs("<p class=\"note\">The alerts that hold in this window. "
	    "<i>started</i>: when the condition began to hold (the packet that "
	    "crossed the thresholds), where tsa-plot saw the alert's record; "
	    "<i>counts</i> are over the alert's window, times in UTC.</p>\n"
	    "<table>\n<tr><th>started</th><th>alert</th><th>host</th>"
	    "<th>country</th><th>counts</th><th>window</th></tr>\n", f);
	for (size_t i = 0; i < s->nalerts; i++) {
		const struct alert_row *r = &s->alerts[i];
		fputs("<tr>", f);
		time_cell(f, r->since_ns);
		fputs("<td>", f);
		esc(f, r->alert ? r->alert : "?");
		if (r->reason) {
			fputs("<br><span class=\"alias\">", f);
			esc(f, r->reason);
			fputs("</span>", f);
		}
		fputs("</td><td>", f);
		esc(f, r->addrlen ? tsa_addr_fmt(r->addr, r->addrlen, a) : "");
		fputs("</td><td>", f);
		if (r->country) {
			esc(f, country_label(c, r->country));
			fputs(" (", f);
			esc(f, r->country);
			fputs(")", f);
		}
		fputs("</td><td>", f);
		for (size_t j = 0; j < r->ncounts; j++) {
			fputs(j ? ", " : "", f);
			esc(f, r->counts[j].key);
			putc(' ', f);
			num(f, r->counts[j].n);
		}
		fputs("</td><td>", f);
		fmt_span(span, sizeof span, r->start_ns ? r->start_ns :
		    s->start_ns, r->end_ns ? r->end_ns : s->end_ns);
		esc(f, span);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void domains(FILE *f, const struct snapshot *s)
{
	fputs("<h2 id=\"domains\">Domains</h2>\n", f);
	if (!s->ndomains) {
		fputs("<p class=\"none\">No named traffic in this window.</p>\n",
		    f);
		return;
	}
	fputs("<table>\n<tr><th>domain</th><th class=\"n\">packets</th>"
	    "<th class=\"n\">bytes</th><th>countries</th><th>OS</th>"
	    "<th>app</th><th>distance (hops)</th></tr>\n", f);
	for (size_t i = 0; i < s->ndomains; i++) {
		const struct domain_row *d = &s->domains[i];
		fputs("<tr><td>", f);
		esc(f, d->domain ? d->domain : "?");
		if (d->aliases.n) {
			fputs("<br><span class=\"alias\">also ", f);
			list(f, &d->aliases);
			fputs("</span>", f);
		}
		fputs("</td>", f);
		count_cell(f, d->packets);
		bytes_cell(f, d->bytes);
		fputs("<td>", f);
		list(f, &d->countries);
		fputs("</td><td>", f);
		list(f, &d->os);
		fputs("</td><td>", f);
		list(f, &d->apps);
		fputs("</td><td>", f);
		for (size_t j = 0; j < d->ndists; j++)
			fprintf(f, "%s%" PRId64, j ? ", " : "", d->dists[j]);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void hosts(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	char a[TSA_ADDR_STRLEN];

	if (!s->nhosts)
		return;
	fputs("<h2 id=\"hosts\">Top hosts</h2>\n<p class=\"note\">The remote "
	    "hosts with the most packets in the window, with what tsa-p0f "
	    "learnt of them: OS (class), HTTP application, distance in hops."
	    "</p>\n<table>\n<tr><th>address</th><th>country</th>"
	    "<th>domain</th><th>OS</th><th>application</th>"
	    "<th class=\"n\">distance (hops)</th><th class=\"n\">packets</th>"
	    "<th class=\"n\">bytes</th></tr>\n", f);
	for (size_t i = 0; i < s->nhosts; i++) {
		const struct host_row *h = &s->hosts[i];
		fputs("<tr><td>", f);
		esc(f, h->addrlen ? tsa_addr_fmt(h->addr, h->addrlen, a) : "");
		fputs("</td><td>", f);
		if (h->country) {
			esc(f, country_label(c, h->country));
			fputs(" (", f);
			esc(f, h->country);
			fputs(")", f);
		}
		fputs("</td><td>", f);
		esc(f, h->domain);
		fputs("</td><td>", f);
		esc(f, h->os);
		if (h->os && h->os_class) {
			fputs(" <span class=\"alias\">(", f);
			esc(f, h->os_class);
			fputs(")</span>", f);
		}
		fputs("</td><td>", f);
		esc(f, h->app);
		fputs("</td><td class=\"n\">", f);
		if (h->has_dist)
			fprintf(f, "%" PRId64, h->dist);
		fputs("</td>", f);
		count_cell(f, h->packets);
		bytes_cell(f, h->bytes);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void countries(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;

	fputs("<h2 id=\"countries\">Countries</h2>\n", f);
	if (!s->ncountries) {
		fputs("<p class=\"none\">No traffic in this window.</p>\n", f);
		return;
	}
	fputs("<table>\n<tr><th>code</th><th>country</th>"
	    "<th class=\"n\">packets</th><th class=\"n\">bytes</th>"
	    "<th class=\"n\">hosts</th></tr>\n", f);
	for (size_t i = 0; i < s->ncountries; i++) {
		const struct country_row *r = &s->countries[i];
		if (!r->country)
			continue;
		fputs("<tr><td>", f);
		esc(f, r->country);
		fputs("</td><td>", f);
		esc(f, country_label(c, r->country));
		fputs("</td>", f);
		count_cell(f, r->packets);
		bytes_cell(f, r->bytes);
		count_cell(f, r->hosts);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void apps_table(FILE *f, const struct snapshot *s)
{
	if (!s->napps && !s->nports)
		return;
	fputs("<h2 id=\"apps\">Applications</h2>\n<p class=\"note\">Each "
	    "packet counts once, under the application tsa-capture recognised "
	    "(DNS, HTTP, TLS) or else the service of its server port; the "
	    "server ports are the top ones of the window. Shares are of the "
	    "window's packets.</p>\n<table>\n<tr><th>application</th>"
	    "<th class=\"n\">packets</th><th class=\"n\">%packets</th>"
	    "<th class=\"n\">bytes</th></tr>\n", f);
	for (size_t i = 0; i < s->napps; i++) {
		fputs("<tr><td>", f);
		esc(f, s->apps[i].app);
		fputs("</td>", f);
		count_cell(f, s->apps[i].packets);
		fprintf(f, "<td class=\"n\">%.1f</td>", s->packets ? 100.0 *
		    (double)s->apps[i].packets / (double)s->packets : 0.0);
		bytes_cell(f, s->apps[i].bytes);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<table>\n<tr><th>server port</th><th>service</th>"
	    "<th class=\"n\">packets</th><th class=\"n\">%packets</th>"
	    "<th class=\"n\">bytes</th></tr>\n", f);
	for (size_t i = 0; i < s->nports; i++) {
		fprintf(f, "<tr><td>%" PRIu64 "/", s->ports[i].port);
		esc(f, s->ports[i].protocol);
		fputs("</td><td>", f);
		esc(f, s->ports[i].app);
		fputs("</td>", f);
		count_cell(f, s->ports[i].packets);
		fprintf(f, "<td class=\"n\">%.1f</td>", s->packets ? 100.0 *
		    (double)s->ports[i].packets / (double)s->packets : 0.0);
		bytes_cell(f, s->ports[i].bytes);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void os_table(FILE *f, const struct snapshot *s)
{
	if (!s->nos)
		return;
	fputs("<h2 id=\"os\">Operating systems</h2>\n<p class=\"note\">"
	    "<i>hosts</i>: addresses whose last p0f match is this OS, local ones "
	    "included; <i>packets</i>: packets to or from them. A packet between "
	    "two fingerprinted hosts counts for both, so the column adds up to "
	    "more than the window's packets.</p>\n<table>\n<tr><th>OS</th>"
	    "<th>class</th><th class=\"n\">hosts</th><th class=\"n\">packets"
	    "</th></tr>\n", f);
	for (size_t i = 0; i < s->nos; i++) {
		fputs("<tr><td>", f);
		esc(f, s->os[i].os);
		fputs("</td><td>", f);
		esc(f, s->os[i].class);
		fputs("</td>", f);
		count_cell(f, s->os[i].hosts);
		count_cell(f, s->os[i].packets);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void footer(FILE *f)
{
	fputs("<footer>Written by tsa-plot. IP geolocation by "
	    "<a href=\"https://db-ip.com\">DB-IP</a> (CC BY 4.0). Map data: "
	    "Natural Earth (public domain). OS fingerprints: p0f.</footer>\n"
	    "</body>\n</html>\n", f);
}

void html_print(FILE *f, const struct plot_ctx *c, const struct html_page *p)
{
	const char *metric = c->metric == METRIC_BYTES ? "bytes" : "packets";
	char alt[128];

	head(f, c, p);
	/* Nothing counted: say so, rather than draw empty charts. */
	if (snapshot_empty(c->s)) {
		fputs("<p class=\"empty\">The window held no packets.</p>\n",
		    f);
		if (c->s->nalerts)
			alerts(f, c);
		footer(f);
		return;
	}
	/* Alerts first: they are what a person looks for. */
	if (c->s->nalerts)
		alerts(f, c);
	snprintf(alt, sizeof alt, "World map of %s per country", metric);
	figure(f, p, "world", alt);
	for (size_t i = 0; i < p->nregions; i++) {
		snprintf(alt, sizeof alt, "Map of %s per country: %s", metric,
		    p->regions[i]->title);
		figure(f, p, p->regions[i]->name, alt);
	}
	figure(f, p, "countries", "Top countries by packets and by bytes");
	figure(f, p, "bandwidth", "Bandwidth over the window");
	figure(f, p, "trend", "Packets, bytes, countries and alerts of every "
	    "snapshot of the run");
	figure(f, p, "domains", "Top registrable domains");
	figure(f, p, "apps", "Packets by application and by server port");
	figure(f, p, "os", "Operating systems by hosts and packets");
	if (!c->s->nalerts)
		alerts(f, c);
	domains(f, c->s);
	apps_table(f, c->s);
	hosts(f, c);
	countries(f, c);
	os_table(f, c->s);
	footer(f);
}

void html_write(const struct plot_ctx *c, const struct html_page *p)
{
	struct outfile of;

	html_print(outfile_open(&of, "index.html"), c, p);
	if (outfile_commit(&of, NULL) < 0)
		exit(1);
}
