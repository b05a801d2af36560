/*
 * Bandwidth over the window: bits per second (with the window's average)
 * above, bytes per bucket below.  Rows are "time bps bytes", time in
 * seconds since the epoch at the bucket's middle, shown as UTC clock time.
 */
#include <math.h>
#include <string.h>

#include "tsa.h"
#include "plot.h"
#include "units.h"

/*
 * Times on the axis, in seconds since the epoch, must stay within this:
 * past about 1e12 s gnuplot warns for every point, and a few thousand
 * buckets of absurd width from a hostile snapshot kept it busy for
 * minutes.  1e11 s is some 3,000 years either side of 1970.
 */
#define TIME_LIMIT 1e11
/* The narrowest axis: the rows are written to the microsecond. */
#define MIN_SPAN 1e-3
/* A rate or volume below this (in the axis's unit) is drawn as zero. */
#define MIN_Y 1e-6

/*
 * One SI prefix for a whole axis, picked from its largest value, so the tic
 * labels read 0, 0.5, 1, 1.5 Mbit/s rather than gnuplot's per-tic prefixes
 * (which print 1.5M as "2M" at "%.0s").
 */
static double axis_unit(double max, const char **prefix)
{
	static const char *const p[] = { "", "k", "M", "G", "T", "P", "E" };
	double div = 1;
	int i = 0;

	while (i < 6 && max >= 1000 * div) {
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
	int64_t start = snapshot_start_ns(c->s), end = snapshot_end_ns(c->s);
	int64_t bw_start = stime_ns(bw->start, bw->has_start);
	double step = bw->bucket_ns / 1e9, t0 = bw_start / 1e9;
	double avg = 0, peak = 0, maxbytes = 0, bdiv, ydiv, width, tpt, y;
	/* About a tic every 25 pixels of a panel's plot area, 2 to 6. */
	int ytics = (h / 2 - 70) / 25 < 2 ? 2 : (h / 2 - 70) / 25 > 6 ? 6 :
	    (h / 2 - 70) / 25;
	const char *bpre, *ypre;
	char span[96], line[256], a[UNITS_LEN], p[UNITS_LEN];
	bool usable;

	if (!bw_start)
		t0 = start / 1e9;
	/* In doubles: the difference of two far-apart int64 times overflows. */
	if (step <= 0 && n && end > start)
		step = (end / 1e9 - start / 1e9) / (double)n;
	width = step * (double)n;
	usable = n && step > 0 && fabs(t0) < TIME_LIMIT &&
	    fabs(t0 + width) < TIME_LIMIT;
	if (width < MIN_SPAN)
		width = MIN_SPAN;
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
	fmt_window_span(span, sizeof span, c->s);
	snprintf(line, sizeof line, "Bandwidth    %s    average %s, peak %s",
	    span, units_bps(a, avg), units_bps(p, peak));

	/* One row a bucket, at its start: a bucket's rate holds for its whole
	 * span, so the rate is drawn in steps.  The closing row (the window's
	 * end, the last rate again, no bytes) ends the last step. */
	fprintf(f, "\n# bucket start (s since the epoch), bits/s, bytes in "
	    "the bucket\n$bw << EOD\n");
	for (size_t i = 0; i <= n && usable; i++) {
		size_t k = i < n ? i : n - 1;
		fprintf(f, "%.6f %.17g ", t0 + step * (double)i,
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
	if (usable)
		fprintf(f, "set xrange [%.6f:%.6f]\n", t0, t0 + width);
	else	/* nothing to scale the axis by: the window itself (ns_time
		 * keeps its times within TIME_LIMIT) */
		fprintf(f, "set xrange [%.3f:%.3f]\n", start / 1e9,
		    end / 1e9 + 1);
	fprintf(f, "set border 3 lc rgb '#888888'\nset xtics nomirror "
	    "scale 0.5\nset ytics nomirror scale 0.5\n"
	    "set grid lc rgb '#dddddd' lt 1\n"
	    "set lmargin 12\nset rmargin 4\n");
	fprintf(f, "set multiplot layout 2, 1 title ");
	gp_quote(f, line);
	/* 14 points, unless the line is too long for the width: a
	 * character of DejaVu Sans takes some 0.7 of a point. */
	tpt = 0.92 * c->width / (0.72 * (double)strlen(line));
	fprintf(f, " font ',%.0f'\n", tpt > 14 ? 14 : tpt < 8 ? 8 : tpt);
	if (!usable) {
		fprintf(f, "set label 1 '%s' at graph 0.5, graph 0.5 center "
		    "textcolor rgb '#777777'\nset yrange [0:1]\n"
		    "plot NaN notitle\nplot NaN notitle\nunset multiplot\n",
		    n ? "no usable bucket times in this window" :
		    "no bandwidth data in this window");
		gp_end(f);
		return;
	}
	/* All zero (or next to it): a fixed range, not gnuplot's warning
	 * about an empty one. */
	y = (peak > avg ? peak : avg) / bdiv;
	fprintf(f, "set yrange [0:%s]\nset ytics %g\n", y >= MIN_Y ? "*" : "1",
	    units_step(y >= MIN_Y ? y : 1, ytics, 0));

	fprintf(f, "set title 'bits per second' font ',12'\n"
	    "set ylabel '%sbit/s'\nset format y '%%g'\nset key top right\n"
	    "BPS = %g\n", bpre, bdiv);
	fprintf(f, "plot $bw using 1:($2 / BPS) with fillsteps "
	    "fillcolor rgb 0x9ecae1 fillstyle solid 0.6 notitle, \\\n"
	    "     $bw using 1:($2 / BPS) with steps linecolor rgb 0x3182bd "
	    "linewidth 2 title 'bits/s', \\\n"
	    "     AVG / BPS with lines dashtype 2 linecolor rgb 0xe6550d "
	    "linewidth 1.5 title 'average %s'\n", a);
	fprintf(f, "set title 'traffic volume per %.3g s bucket' font ',12'\n"
	    "set ylabel '%sB'\nunset key\nVOL = %g\n", step, ypre, ydiv);
	y = maxbytes / ydiv;
	fprintf(f, "set yrange [0:%s]\nset ytics %g\n", y >= MIN_Y ? "*" : "1",
	    units_step(y >= MIN_Y ? y : 1, ytics, 0));
	fprintf(f, "set boxwidth STEP * 0.85 absolute\n");
	fprintf(f, "plot $bw using ($1 + STEP / 2):($3 / VOL) with boxes "
	    "fillcolor rgb "
	    "0xfd8d3c fillstyle solid 0.8 noborder notitle\n");
	fprintf(f, "unset multiplot\n");
	gp_end(f);
}
