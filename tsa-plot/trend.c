/*
 * The trend over the whole run (history.h): packets, bytes, countries
 * with traffic and active alerts of each snapshot, against its end time,
 * in four panels.  Each point is a snapshot's value over its own window
 * (cumulative for a whole-stream window), as the rest of the page shows
 * it, so the latest point is what the page shows.
 */
#include <inttypes.h>
#include <string.h>

#include "tsa.h"
#include "history.h"
#include "plot.h"
#include "units.h"

static void trend_panel(FILE *f, const char *title, int col,
    const char *colour, int bytes, double max, int n)
{
	char t[UNITS_LEN];
	double step = units_step(max > 0 ? max : 1, 4, 1);

	fprintf(f, "set title ");
	gp_quote(f, title);
	fprintf(f, " font ',12'\nset yrange [0:%.17g]\nset ytics (", max > 0 ?
	    max * 1.1 : 1);
	for (int i = 0; i * step <= (max > 0 ? max * 1.1 : 1) && i <= 12; i++)
		fprintf(f, "%s'%s' %.17g", i ? ", " : "",
		    units_tic(t, i * step, bytes), i * step);
	fprintf(f, ")\nplot $trend using 1:%d with %s linecolor rgb %s "
	    "linewidth 2 pointtype 7 pointsize 0.6 notitle\n", col,
	    n > 1 ? "linespoints" : "points", colour);
}

void trend_script(FILE *f, const struct plot_ctx *c)
{
	const struct history *h = c->hist;
	double mp = 0, mb = 0, mc = 0, ma = 0, t0, t1;
	char span[96], line[256];
	int height = c->height * 2 / 3;

	for (size_t i = 0; i < h->n; i++) {
		if ((double)h->p[i].packets > mp) mp = (double)h->p[i].packets;
		if ((double)h->p[i].bytes > mb) mb = (double)h->p[i].bytes;
		if ((double)h->p[i].countries > mc) mc = (double)h->p[i].countries;
		if ((double)h->p[i].alerts > ma) ma = (double)h->p[i].alerts;
	}
	gp_begin(f, c, "trend", "The run's history, a point per snapshot",
	    c->width, height < 400 ? 400 : height);
	t0 = h->n ? h->p[0].t_ns / 1e9 : snapshot_end_ns(c->s) / 1e9;
	t1 = h->n ? h->p[h->n - 1].t_ns / 1e9 : t0;
	fmt_span(span, sizeof span, h->n ? h->p[0].t_ns : snapshot_end_ns(c->s),
	    h->n ? h->p[h->n - 1].t_ns : snapshot_end_ns(c->s));
	snprintf(line, sizeof line, "History of the run    %zu snapshot%s, "
	    "%s%s", h->n, h->n == 1 ? "" : "s", span, h->thinned ?
	    " (older ones thinned)" : "");
	fprintf(f, "\n# snapshot end (s since the epoch), packets, bytes, "
	    "countries with traffic, active alerts\n$trend << EOD\n");
	for (size_t i = 0; i < h->n; i++)
		fprintf(f, "%.3f %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		    "\n", h->p[i].t_ns / 1e9, h->p[i].packets, h->p[i].bytes,
		    h->p[i].countries, h->p[i].alerts);
	fprintf(f, "EOD\n");
	fprintf(f, "set xdata time\nset timefmt '%%s'\nset format x '%s'\n",
	    t1 - t0 > 2 * 86400 ? "%m-%d %H:%M" : "%H:%M:%S");
	/* One snapshot: a minute either side, so the point has an axis. */
	fprintf(f, "set xrange [%.3f:%.3f]\n", t1 > t0 ? t0 : t0 - 60,
	    t1 > t0 ? t1 : t0 + 60);
	fprintf(f, "set border 3 lc rgb '#888888'\nset xtics nomirror "
	    "scale 0.5\nset ytics nomirror scale 0.5\nset grid lc rgb "
	    "'#dddddd' lt 1\nset lmargin 10\nset rmargin 4\nset key off\n");
	fprintf(f, "set multiplot layout 2, 2 title ");
	gp_quote(f, line);
	fprintf(f, " font ',14'\n");
	trend_panel(f, "packets in the window", 2, "0x3182bd", 0, mp,
	    (int)h->n);
	trend_panel(f, "bytes in the window", 3, "0xe6550d", 1, mb,
	    (int)h->n);
	trend_panel(f, "countries with traffic", 4, "0x31a354", 0, mc,
	    (int)h->n);
	trend_panel(f, "active alerts", 5, "0xcb181d", 0, ma, (int)h->n);
	fprintf(f, "unset multiplot\n");
	gp_end(f);
}
