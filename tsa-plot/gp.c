/*
 * The parts every script shares: the terminal, the output variable, quoting.
 * Text from the stream (domain names, OS labels) reaches gnuplot only in
 * single-quoted strings, where nothing but the quote itself is special, and
 * the terminal runs noenhanced so '_' and '^' in a name stay themselves.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "plot.h"

void gp_begin(FILE *f, const struct plot_ctx *c, const char *png,
    const char *what, int w, int h)
{
	double pt = h < 500 ? 9 : h < 800 ? 10 : 11;

	fprintf(f, "# %s, written by tsa-plot.\n"
	    "# Self-contained: every value is in this file, so it can be "
	    "edited and\n# run again alone: gnuplot %s.gp\n", what, png);
	fprintf(f, "if (!exists(\"outfile\")) outfile = '%s.png'\n", png);
	fprintf(f, "set terminal pngcairo size %d,%d noenhanced font '%s,%g'"
	    " background rgb 'white'\n", w, h, c->font, pt);
	/* tsa-plot itself has gnuplot write to a file it made (gnuplot.c),
	 * never to a name in the directory. */
	fprintf(f, "# outfile = '' writes the PNG to standard output.\n"
	    "if (outfile eq '') { set output } else { set output outfile }\n");
	fprintf(f, "set encoding utf8\n");
}

void gp_end(FILE *f)
{
	fprintf(f, "unset output\n");
}

void gp_quote(FILE *f, const char *s)
{
	putc('\'', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '\'')
			fputs("''", f);
		else if (ch < 0x20 || ch == 0x7f)
			putc('?', f);
		else
			putc(ch, f);
	}
	putc('\'', f);
}

void fmt_window_span(char *out, size_t n, const struct snapshot *s)
{
	fmt_span(out, n, snapshot_start_ns(s), snapshot_end_ns(s));
}

void fmt_span(char *out, size_t n, int64_t start_ns, int64_t end_ns)
{
	time_t a = (time_t)(start_ns / 1000000000), b = (time_t)(end_ns /
	    1000000000);
	struct tm ta, tb;
	char sa[32], sb[32];

	/* An empty stream's snapshot may have no time at all. */
	if (!start_ns && !end_ns) {
		snprintf(out, n, "no time span");
		return;
	}
	if (!gmtime_r(&a, &ta) || !gmtime_r(&b, &tb)) {
		snprintf(out, n, "unknown window");
		return;
	}
	strftime(sa, sizeof sa, "%Y-%m-%d %H:%M:%S", &ta);
	/* The end's date only when the window crosses midnight. */
	strftime(sb, sizeof sb, ta.tm_yday == tb.tm_yday && ta.tm_year ==
	    tb.tm_year ? "%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tb);
	snprintf(out, n, "%s - %s UTC", sa, sb);
}

const char *country_label(const struct plot_ctx *c, const char *code)
{
	const char *name;

	if (strcmp(code, "local") == 0)
		return "Local networks";
	if (strcmp(code, "unknown") == 0)
		return "Unknown (not in the database)";
	/* Region codes some databases use for blocks without a country. */
	if (strcmp(code, "EU") == 0)
		return "Europe (no country)";
	if (strcmp(code, "AP") == 0)
		return "Asia/Pacific (no country)";
	name = worlddata_name(c->w, code);
	return name ? name : code;
}
