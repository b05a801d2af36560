/*
 * Bandwidth over the window: bits per second (with the window's average)
 * above, bytes per bucket below.  Rows are "time bps bytes", time in
 * seconds since the epoch at the bucket's middle, shown as UTC clock time.
 */
#include <string.h>

#include "tsa.h"
#include "plot.h"
#include "units.h"

/*
 * One SI prefix for a whole axis, picked from its largest value, so the tic
 * labels read 0, 0.5, 1, 1.5 Mbit/s rather than gnuplot's per-tic prefixes
 * (which print 1.5M as "2M" at "%.0s").
 */
static double axis_unit(double max, const char **prefix)
{
	static const char *const p[] = { "", "k", "M", "G", "T" };
	double div = 1;
	int i = 0;

	while (i < 4 && max >= 1000 * div) {
		div *= 1000;
		i++;
	}
	*prefix = p[i];
	return div;
}

void bandwidth_script(FILE *f, const struct plot_ctx *c)
{
	const struct bandwidth *bw = &c->s->bw;
	size_t n = bw->nbps > bw->nbytes ? bw->nbps : bw->nbytes;
	int h = c->height * 3 / 4;
	double step = bw->bucket_ns / 1e9, t0 = bw->start_ns / 1e9;
	double avg = 0, peak = 0, maxbytes = 0, bdiv, ydiv;
	const char *bpre, *ypre;
	char span[96], line[256], a[UNITS_LEN], p[UNITS_LEN];

	if (!bw->start_ns)
		t0 = c->s->start_ns / 1e9;
	if (step <= 0 && n && c->s->end_ns > c->s->start_ns)
		step = (c->s->end_ns - c->s->start_ns) / 1e9 / (double)n;
	/* A running mean: a sum of absurd rates must not overflow to inf,
	 * which gnuplot would read as an undefined variable. */
	for (size_t i = 0; i < bw->nbps; i++) {
		avg += (bw->bps[i] - avg) / (double)(i + 1);
		if (bw->bps[i] > peak)
			peak = bw->bps[i];
	}
	if (bw->has_avg && bw->avg_bps >= 0)
		avg = bw->avg_bps;
	for (size_t i = 0; i < bw->nbytes; i++)
		if ((double)bw->bytes[i] > maxbytes)
			maxbytes = (double)bw->bytes[i];
	bdiv = axis_unit(peak > avg ? peak : avg, &bpre);
	ydiv = axis_unit(maxbytes, &ypre);

	gp_begin(f, c, "bandwidth", "Bandwidth and traffic volume over the "
	    "window", c->width, h);
	fmt_span(span, sizeof span, c->s->start_ns, c->s->end_ns);
	snprintf(line, sizeof line, "Bandwidth    %s    average %s, peak %s",
	    span, units_bps(a, avg), units_bps(p, peak));

	/* One row a bucket, at its start: a bucket's rate holds for its whole
	 * span, so the rate is drawn in steps.  The closing row (the window's
	 * end, the last rate again, no bytes) ends the last step. */
	fprintf(f, "\n# bucket start (s since the epoch), bits/s, bytes in "
	    "the bucket\n$bw << EOD\n");
	for (size_t i = 0; i <= n && n; i++) {
		size_t k = i < n ? i : n - 1;
		fprintf(f, "%.3f %.17g ", t0 + step * (double)i,
		    k < bw->nbps ? bw->bps[k] : 0);
		if (i < n)
			fprintf(f, "%llu\n", (unsigned long long)(k <
			    bw->nbytes ? bw->bytes[k] : 0));
		else
			fprintf(f, "NaN\n");
	}
	fprintf(f, "EOD\nAVG = %.17g\nSTEP = %.6f\n", avg, step > 0 ? step : 1);

	fprintf(f, "set xdata time\nset timefmt '%%s'\nset format x "
	    "'%%H:%%M:%%S'\n");
	if (n)
		fprintf(f, "set xrange [%.3f:%.3f]\n", t0, t0 + step *
		    (double)n + (step > 0 ? 0 : 1));
	else	/* nothing to scale the axis by: the window itself */
		fprintf(f, "set xrange [%.3f:%.3f]\n", c->s->start_ns / 1e9,
		    c->s->end_ns / 1e9 + 1);
	fprintf(f, "set border 3 lc rgb '#888888'\nset xtics nomirror "
	    "scale 0.5\nset ytics nomirror scale 0.5\n"
	    "set grid lc rgb '#dddddd' lt 1\nset yrange [0:*]\n"
	    "set lmargin 12\nset rmargin 4\n");
	fprintf(f, "set multiplot layout 2, 1 title ");
	gp_quote(f, line);
	fprintf(f, " font ',14'\n");
	if (!n) {
		fprintf(f, "set label 1 'no bandwidth data in this window' at "
		    "graph 0.5, graph 0.5 center textcolor rgb '#777777'\n"
		    "set yrange [0:1]\nplot NaN notitle\nplot NaN notitle\n"
		    "unset multiplot\n");
		gp_end(f);
		return;
	}

	fprintf(f, "set title 'bits per second' font ',12'\n"
	    "set ylabel '%sbit/s'\nset format y '%%g'\nset key top right\n"
	    "BPS = %g\n", bpre, bdiv);
	fprintf(f, "plot $bw using 1:($2 / BPS) with fillsteps "
	    "fillcolor rgb 0x9ecae1 fillstyle solid 0.6 notitle, \\\n"
	    "     $bw using 1:($2 / BPS) with steps linecolor rgb 0x3182bd "
	    "linewidth 2 title 'bits/s', \\\n"
	    "     AVG / BPS with lines dashtype 2 linecolor rgb 0xe6550d "
	    "linewidth 1.5 title 'average %s'\n", a);
	fprintf(f, "set title 'traffic volume per %g s bucket' font ',12'\n"
	    "set ylabel '%sB'\nunset key\nVOL = %g\n", step, ypre, ydiv);
	fprintf(f, "set boxwidth STEP * 0.85 absolute\n");
	fprintf(f, "plot $bw using ($1 + STEP / 2):($3 / VOL) with boxes "
	    "fillcolor rgb "
	    "0xfd8d3c fillstyle solid 0.8 noborder notitle\n");
	fprintf(f, "unset multiplot\n");
	gp_end(f);
}
