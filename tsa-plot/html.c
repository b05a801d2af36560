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

/* Codes that have a page: two capital letters, "local", "unknown" (so a
 * code from the stream never makes a file name of its own). */
bool html_country_page(const char *code)
{
	if (!code)
		return false;
	if (strcmp(code, "local") == 0 || strcmp(code, "unknown") == 0)
		return true;
	return strlen(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' &&
	    code[1] >= 'A' && code[1] <= 'Z';
}

/* A country's name and code, linked to its page when it has one: a
 * country of the snapshot's list. */
static void country_ref(FILE *f, const struct plot_ctx *c, const char *code,
    bool name)
{
	bool link = false;

	for (size_t i = 0; c->links && !link && i < c->s->ncountries; i++)
		link = c->s->countries[i].country && strcmp(code,
		    c->s->countries[i].country) == 0 && html_country_page(code);

	if (link)
		fprintf(f, "<a href=\"country-%s.html\">", code);
	if (name) {
		esc(f, country_label(c, code));
		fputs(" (", f);
	}
	esc(f, code);
	if (name)
		fputs(")", f);
	if (link)
		fputs("</a>", f);
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

/* The pages' one style sheet, inline: the page loads nothing else. */
static void style(FILE *f)
{
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
	    "table.small { font-size: 12px; }\n"
	    "table.small th, table.small td { padding: 3px 6px; }\n"
	    ".none { color: #777; }\n"
	    ".notice { background: #fff3cd; border: 1px solid #d9a400;"
	    " padding: 8px 12px; font-weight: bold; }\n"
	    ".empty { font-size: 18px; margin: 32px 0; color: #555; }\n"
	    "footer { margin-top: 32px; color: #777; font-size: 12px; }\n"
	    "</style>\n", f);
}

static void head(FILE *f, const struct plot_ctx *c,
    const struct html_page *p)
{
	char span[96], wbuf[32];
	const char *window;

	fmt_window_span(span, sizeof span, c->s);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", f);
	if (p->refresh)
		fprintf(f, "<meta http-equiv=\"refresh\" content=\"%u\">\n",
		    p->refresh);
	fprintf(f, "<title>TSA traffic, %s</title>\n", span);
	style(f);
	fputs("</head>\n<body>\n", f);
	fprintf(f, "<h1>TSA traffic</h1>\n<p class=\"sub\">%s", span);
	if ((window = snapshot_window(c->s, wbuf))) {
		fputs(" &middot; window ", f);
		esc(f, window);
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
	if (p->skipped)
		fprintf(f, " &middot; %" PRIu64 " snapshot%s not drawn (newer "
		    "ones came first; the history has them)", p->skipped,
		    p->skipped == 1 ? "" : "s");
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

static void alerts(FILE *f, const struct plot_ctx *c, const char *only)
{
	const struct snapshot *s = c->s;
	char a[TSA_ADDR_STRLEN], span[96];
	size_t n = 0;

	for (size_t i = 0; i < s->nalerts; i++)
		n += !only || (s->alerts[i].country &&
		    strcmp(s->alerts[i].country, only) == 0);
	fputs("<h2 id=\"alerts\">Alerts</h2>\n", f);
	if (!n) {
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
		if (only && (!r->country || strcmp(r->country, only)))
			continue;
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
		if (r->country)
			country_ref(f, c, r->country, true);
		fputs("</td><td>", f);
		for (size_t j = 0; j < r->ncounts; j++) {
			fputs(j ? ", " : "", f);
			esc(f, r->counts[j].key);
			putc(' ', f);
			num(f, r->counts[j].n);
		}
		fputs("</td><td>", f);
		fmt_span(span, sizeof span, r->start_ns ? r->start_ns :
		    snapshot_start_ns(s), r->end_ns ? r->end_ns : snapshot_end_ns(s));
		esc(f, span);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static bool has_str(const struct strlist *l, const char *v)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], v) == 0)
			return true;
	return false;
}

static void domains(FILE *f, const struct plot_ctx *c, const char *only)
{
	const struct snapshot *s = c->s;
	size_t n = 0;

	for (size_t i = 0; i < s->ndomains; i++)
		n += !only || has_str(&s->domains[i].countries, only);
	fputs("<h2 id=\"domains\">Domains</h2>\n", f);
	if (!n) {
		fputs("<p class=\"none\">No named traffic in this window.</p>\n",
		    f);
		return;
	}
	fputs("<table>\n<tr><th>domain</th><th class=\"n\">packets</th>"
	    "<th class=\"n\">bytes</th><th>countries</th><th>OS</th>"
	    "<th>app</th><th>distance (hops)</th></tr>\n", f);
	for (size_t i = 0; i < s->ndomains; i++) {
		const struct domain_row *d = &s->domains[i];
		if (only && !has_str(&d->countries, only))
			continue;
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
		for (size_t j = 0; j < d->countries.n; j++) {
			fputs(j ? ", " : "", f);
			country_ref(f, c, d->countries.v[j], false);
		}
		fputs("</td><td>", f);
		list(f, &d->os);
		fputs("</td><td>", f);
		list(f, &d->apps);
		fputs("</td><td>", f);
		for (size_t j = 0; j < d->ndists; j++)
			fprintf(f, "%s%" PRIu64, j ? ", " : "", d->dists[j]);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* "45 d 3 h", "3 h 12 min", "12 min": an uptime at a glance. */
static void uptime_cell(FILE *f, const struct host_row *h)
{
	uint64_t m = h->uptime_min;

	fputs("<td class=\"n\">", f);
	if (h->has_uptime) {
		if (m >= 1440)
			fprintf(f, "%" PRIu64 " d %" PRIu64 " h", m / 1440,
			    m % 1440 / 60);
		else if (m >= 60)
			fprintf(f, "%" PRIu64 " h %" PRIu64 " min", m / 60, m % 60);
		else
			fprintf(f, "%" PRIu64 " min", m);
	}
	fputs("</td>", f);
}

/* "07:00:01", the date in its title: a time within the window. */
static void clock_time(FILE *f, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	char d[32], h[16];

	if (!ns || !gmtime_r(&t, &tm))
		return;
	strftime(d, sizeof d, "%Y-%m-%d %H:%M:%S UTC", &tm);
	strftime(h, sizeof h, "%H:%M:%S", &tm);
	fprintf(f, "<span title=\"%s\">%s</span>", d, h);
}

static void hosts(FILE *f, const struct plot_ctx *c, const char *only)
{
	const struct snapshot *s = c->s;
	char a[TSA_ADDR_STRLEN];
	size_t n = 0;

	for (size_t i = 0; i < s->nhosts; i++)
		n += !only || (s->hosts[i].country &&
		    strcmp(s->hosts[i].country, only) == 0);
	if (!n)
		return;
	fputs("<h2 id=\"hosts\">Top hosts</h2>\n<p class=\"note\">The remote "
	    "hosts with the most packets in the window and what tsa-p0f "
	    "learnt of them (the original app's security view): domain, OS "
	    "(class) and HTTP application, link type and MTU (from the MSS of "
	    "its SYNs), distance in hops, "
	    "uptime, language of its HTTP requests, NAT (several systems seen "
	    "behind the address). <i>seen</i>: its first packet since it last "
	    "had none in the window, and its latest (UTC; the date on "
	    "hover).</p>\n<table class=\"small\">\n<tr><th>address</th>"
	    "<th>country</th><th>OS, application</th><th>link</th>"
	    "<th class=\"n\">hops</th><th class=\"n\">uptime</th>"
	    "<th>language</th><th>NAT</th><th>seen</th>"
	    "<th class=\"n\">packets</th><th class=\"n\">bytes</th></tr>\n",
	    f);
	for (size_t i = 0; i < s->nhosts; i++) {
		const struct host_row *h = &s->hosts[i];
		int64_t first, last;

		if (only && (!h->country || strcmp(h->country, only)))
			continue;
		fputs("<tr><td>", f);
		esc(f, h->addrlen ? tsa_addr_fmt(h->addr, h->addrlen, a) : "");
		if (h->domain) {
			fputs("<br><span class=\"alias\">", f);
			esc(f, h->domain);
			fputs("</span>", f);
		}
		fputs("</td><td>", f);
		if (h->country)
			country_ref(f, c, h->country, true);
		fputs("</td><td>", f);
		esc(f, h->os);
		if (h->os && h->os_class) {
			fputs(" <span class=\"alias\">(", f);
			esc(f, h->os_class);
			fputs(")</span>", f);
		}
		if (h->app) {
			fputs("<br><span class=\"alias\">", f);
			esc(f, h->app);
			fputs("</span>", f);
		}
		fputs("</td><td>", f);
		esc(f, h->link);
		if (h->mtu)
			fprintf(f, "%sMTU %" PRIu64, h->link ? "<br>" : "",
			    h->mtu);
		fputs("</td><td class=\"n\">", f);
		if (h->has_dist)
			fprintf(f, "%" PRIu64, h->dist);
		fputs("</td>", f);
		uptime_cell(f, h);
		fputs("<td>", f);
		esc(f, h->lang);
		fputs(h->nat ? "</td><td>yes</td><td>" : "</td><td></td><td>", f);
		first = stime_ns(h->first_seen, h->has_seen);
		last = stime_ns(h->last_seen, h->has_seen);
		clock_time(f, first);
		if (first && last)
			fputs(" &ndash; ", f);
		clock_time(f, last);
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
		if (c->links && html_country_page(r->country)) {
			fprintf(f, "<a href=\"country-%s.html\">", r->country);
			esc(f, country_label(c, r->country));
			fputs("</a>", f);
		} else
			esc(f, country_label(c, r->country));
		fputs("</td>", f);
		count_cell(f, r->packets);
		bytes_cell(f, r->bytes);
		count_cell(f, r->hosts);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The applications (and the window's server ports): of the window, or
 * with country, of the packets with a remote endpoint in the country
 * whose lists s holds (s->packets its packets). */
static void apps_table(FILE *f, const struct snapshot *s, bool country)
{
	if (!s->napps && !s->nports)
		return;
	fprintf(f, "<h2 id=\"apps\">Applications</h2>\n<p class=\"note\">"
	    "Each packet%s counts once, under the application tsa-capture "
	    "recognised (DNS, HTTP, TLS) or else the service of its server "
	    "port%s. Shares are of the %s's packets.</p>\n<table>\n<tr>"
	    "<th>application</th><th class=\"n\">packets</th>"
	    "<th class=\"n\">%%packets</th><th class=\"n\">bytes</th></tr>\n",
	    country ? " with a remote endpoint in the country" : "",
	    country ? "" : "; the server ports are the top ones of the window",
	    country ? "country" : "window");
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
	if (!s->nports) {
		fputs("</table>\n", f);
		return;
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

static void locations(FILE *f, const struct plot_ctx *c)
{
	const struct snapshot *s = c->s;
	size_t n = s->nlocs < c->top ? s->nlocs : c->top;

	if (!n)
		return;
	fprintf(f, "<h2 id=\"locations\">Locations</h2>\n<p class=\"note\">"
	    "Where the City database places the remote hosts (cells of 0.1 "
	    "degree, about 10 km, named after their host with most packets); "
	    "the circles on the world map. The top %zu of %zu.</p>\n<table>\n"
	    "<tr><th>city</th><th>country</th><th class=\"n\">latitude</th>"
	    "<th class=\"n\">longitude</th><th class=\"n\">hosts</th>"
	    "<th class=\"n\">packets</th><th class=\"n\">bytes</th></tr>\n",
	    n, s->nlocs);
	for (size_t i = 0; i < n; i++) {
		const struct loc_row *l = &s->locs[i];
		fputs("<tr><td>", f);
		esc(f, l->city);
		fputs("</td><td>", f);
		if (l->country)
			country_ref(f, c, l->country, true);
		fprintf(f, "</td><td class=\"n\">%.4f</td><td class=\"n\">"
		    "%.4f</td>", l->lat, l->lon);
		count_cell(f, l->hosts);
		count_cell(f, l->packets);
		bytes_cell(f, l->bytes);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void orgs(FILE *f, const struct snapshot *s)
{
	if (!s->norgs)
		return;
	fputs("<h2 id=\"orgs\">Organisations</h2>\n<p class=\"note\">The "
	    "autonomous systems of the remote hosts (an ASN database), by "
	    "packets to or from their hosts.</p>\n<table>\n<tr><th>AS</th>"
	    "<th>organisation</th><th class=\"n\">hosts</th>"
	    "<th class=\"n\">packets</th><th class=\"n\">bytes</th></tr>\n",
	    f);
	for (size_t i = 0; i < s->norgs; i++) {
		fprintf(f, "<tr><td>AS%" PRIu64 "</td><td>", s->orgs[i].asn);
		esc(f, s->orgs[i].org);
		fputs("</td>", f);
		count_cell(f, s->orgs[i].hosts);
		count_cell(f, s->orgs[i].packets);
		bytes_cell(f, s->orgs[i].bytes);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The OS labels of the window's hosts, or with country, of the remote
 * hosts of the country whose lists s holds. */
static void os_table(FILE *f, const struct snapshot *s, bool country)
{
	if (!s->nos)
		return;
	fprintf(f, "<h2 id=\"os\">Operating systems</h2>\n<p class=\"note\">"
	    "<i>hosts</i>: %saddresses whose last p0f match is this OS%s; "
	    "<i>packets</i>: packets to or from them. A packet between two "
	    "fingerprinted hosts counts for both, so the column adds up to "
	    "more than the %s's packets.</p>\n<table>\n<tr><th>OS</th>"
	    "<th>class</th><th class=\"n\">hosts</th><th class=\"n\">packets"
	    "</th></tr>\n", country ? "the country's remote " : "",
	    country ? "" : ", local ones included", country ? "country" :
	    "window");
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

/* The credits: the geolocation's as the stream's header names it. */
static void footer(FILE *f, const struct plot_ctx *c)
{
	fputs("<footer>Written by tsa-plot. ", f);
	for (size_t i = 0; i < c->ncredits; i++) {
		const struct credit *k = &c->credits[i];

		fputs(i ? ", " : "IP geolocation by ", f);
		if (k->url)
			fprintf(f, "<a href=\"%s\">", k->url);
		esc(f, k->name);
		fputs(k->url ? "</a>" : "", f);
		if (k->licence)
			fprintf(f, " (%s)", k->licence);
		fputs(i + 1 == c->ncredits ? ". " : "", f);
	}
	fputs("Map data: Natural Earth (public domain). OS fingerprints: "
	    "p0f.</footer>\n</body>\n</html>\n", f);
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
			alerts(f, c, NULL);
		footer(f, c);
		return;
	}
	/* Alerts first: they are what a person looks for. */
	if (c->s->nalerts)
		alerts(f, c, NULL);
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
		alerts(f, c, NULL);
	domains(f, c, NULL);
	apps_table(f, c->s, false);
	hosts(f, c, NULL);
	countries(f, c);
	locations(f, c);
	orgs(f, c->s);
	os_table(f, c->s, false);
	footer(f, c);
}

/*
 * A country page's lists from the snapshot's detail of it: the page's
 * tables are the index's, drawn from a view of the snapshot whose lists
 * are the country's own (and whose packets are its packets, for the
 * shares).
 */
static void country_lists(FILE *f, const struct plot_ctx *c,
    const struct country_row *r, const struct country_detail *d)
{
	struct snapshot v = *c->s;
	struct plot_ctx cv = *c;

	snapshot_set_lists(&v, d);
	v.ports = NULL;
	v.nports = 0;
	v.packets = r->packets;
	cv.s = &v;
	/* "its 3 remote hosts with the most packets (of 40)", or, when the
	   list holds them all, "its remote host" / "its 2 remote hosts" */
	fputs("<p class=\"note\">This country's own lists: ", f);
	if (d->nhosts < r->hosts)
		fprintf(f, "its %zu remote host%s with the most packets (of %"
		    PRIu64 ")", d->nhosts, d->nhosts == 1 ? "" : "s", r->hosts);
	else if (d->nhosts == 1)
		fputs("its remote host", f);
	else
		fprintf(f, "its %zu remote hosts", d->nhosts);
	fputs(", the top domains of its hosts, their operating systems, and "
	    "the applications of its packets.</p>\n", f);
	alerts(f, c, r->country);
	hosts(f, &cv, NULL);
	domains(f, &cv, NULL);
	apps_table(f, &v, true);
	os_table(f, &v, true);
}

/*
 * Without a detail of it (a snapshot from before there was one, or a
 * country below DetailCountries): what the window's lists hold of it.
 */
static void country_from_top(FILE *f, const struct plot_ctx *c,
    const struct country_row *r)
{
	const struct snapshot *s = c->s;
	struct os_count { const char *os; uint64_t hosts, packets; } os[64];
	size_t nos = 0, nhosts = 0;

	for (size_t i = 0; i < s->nhosts; i++)
		nhosts += s->hosts[i].country &&
		    strcmp(s->hosts[i].country, r->country) == 0;
	fprintf(f, "<p class=\"note\">The snapshot has no lists of this "
	    "country's own; what the window's lists hold of it: %zu of its "
	    "hosts are among the window's top %zu hosts; domains are the "
	    "window's top domains with a host here.</p>\n", nhosts, s->nhosts);
	alerts(f, c, r->country);
	hosts(f, c, r->country);
	if (!nhosts)
		fputs("<h2 id=\"hosts\">Top hosts</h2>\n<p class=\"none\">None "
		    "of its hosts is among the window's top hosts.</p>\n", f);
	domains(f, c, r->country);
	for (size_t i = 0; i < s->nhosts; i++) {
		const struct host_row *h = &s->hosts[i];
		size_t k;
		if (!h->os || !h->country || strcmp(h->country, r->country))
			continue;
		for (k = 0; k < nos && strcmp(os[k].os, h->os); k++)
			;
		if (k == nos && nos < sizeof os / sizeof os[0])
			os[nos++] = (struct os_count){ h->os, 0, 0 };
		if (k < nos) {
			os[k].hosts++;
			os[k].packets += h->packets;
		}
	}
	if (nos) {
		fputs("<h2 id=\"os\">Operating systems of these hosts</h2>\n"
		    "<table>\n<tr><th>OS</th><th class=\"n\">hosts</th>"
		    "<th class=\"n\">packets</th></tr>\n", f);
		for (size_t k = 0; k < nos; k++) {
			fputs("<tr><td>", f);
			esc(f, os[k].os);
			fputs("</td>", f);
			count_cell(f, os[k].hosts);
			count_cell(f, os[k].packets);
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
}

/* A country's page: its totals, alerts, hosts, domains, applications, OS. */
void html_print_country(FILE *f, const struct plot_ctx *c,
    const struct html_page *p, size_t i)
{
	const struct snapshot *s = c->s;
	const struct country_row *r = &s->countries[i];
	const struct country_detail *d = snapshot_detail(s, r->country);
	char span[96], u[UNITS_LEN], wbuf[32];
	const char *window;

	fmt_window_span(span, sizeof span, s);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n", f);
	if (p->refresh)
		fprintf(f, "<meta http-equiv=\"refresh\" content=\"%u\">\n",
		    p->refresh);
	fputs("<title>TSA traffic: ", f);
	esc(f, country_label(c, r->country));
	fprintf(f, ", %s</title>\n", span);
	style(f);
	fputs("</head>\n<body>\n<p class=\"sub\"><a href=\"index.html\">"
	    "&larr; all countries</a></p>\n<h1>", f);
	esc(f, country_label(c, r->country));
	fputs(" (", f);
	esc(f, r->country);
	fprintf(f, ")</h1>\n<p class=\"sub\">%s", span);
	if ((window = snapshot_window(s, wbuf))) {
		fputs(" &middot; window ", f);
		esc(f, window);
	}
	fputs(" &middot; ", f);
	num(f, r->packets);
	fprintf(f, " packets (%.1f%% of the window's) &middot; %s &middot; ",
	    s->packets ? 100.0 * (double)r->packets / (double)s->packets : 0.0,
	    units_bytes(u, (double)r->bytes));
	num(f, r->hosts);
	fputs(" hosts</p>\n", f);
	if (p->notice) {
		fputs("<p class=\"notice\">", f);
		esc(f, p->notice);
		fputs("</p>\n", f);
	}
	if (d)
		country_lists(f, c, r, d);
	else
		country_from_top(f, c, r);
	footer(f, c);
}

void html_write_countries(const struct plot_ctx *c,
    const struct html_page *p)
{
	for (size_t i = 0; i < c->s->ncountries; i++) {
		const struct country_row *r = &c->s->countries[i];
		struct outfile of;
		char name[32];

		if (!html_country_page(r->country))
			continue;
		snprintf(name, sizeof name, "country-%s.html", r->country);
		html_print_country(outfile_open(&of, name), c, p, i);
		if (outfile_commit(&of, NULL) < 0)
			exit(1);
	}
}

void html_write(const struct plot_ctx *c, const struct html_page *p)
{
	struct outfile of;

	html_print(outfile_open(&of, "index.html"), c, p);
	if (outfile_commit(&of, NULL) < 0)
		exit(1);
}
