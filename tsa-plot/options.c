/*
 * tsa-plot's options and settings, declared once (lib/opts.h).
 */
#include <stdio.h>
#include <string.h>

#include "tsa.h"
#include "options.h"

struct plot_opts plot_opt;

static const char *const metrics[] = { "packets", "bytes", NULL };

/* A comma-separated list of region names, or "all": checked here, each
 * list kept in the order given (main.c draws them). */
static bool parse_regions(const char *s, void *dest, char *why, size_t n)
{
	struct region_lists *r = dest;
	char copy[256], *save = NULL;

	if (strlen(s) >= sizeof copy) {
		snprintf(why, n, "is too long a list");
		return false;
	}
	snprintf(copy, sizeof copy, "%s", s);
	for (char *t = strtok_r(copy, ", ", &save); t;
	    t = strtok_r(NULL, ", ", &save)) {
		const struct region *rg = region_find(t);
		if (strcmp(t, "all") && (!rg || rg == regions)) {
			snprintf(why, n, "is not a region (europe, asia, africa, "
			    "north-america, south-america, oceania, all)");
			return false;
		}
	}
	if (r->n < sizeof r->v / sizeof r->v[0])
		r->v[r->n++] = s;
	return true;
}

/* WxH: the map's width and height at once. */
static bool parse_size(const char *s, void *dest, char *why, size_t n)
{
	uint64_t *wh = dest, a, b;
	char buf[64], *x;

	(void)wh;
	snprintf(buf, sizeof buf, "%s", s);
	if (!(x = strchr(buf, 'x'))) {
		snprintf(why, n, "is not WIDTHxHEIGHT");
		return false;
	}
	*x = 0;
	if (!tsa_parse_u64(buf, &a) || !tsa_parse_u64(x + 1, &b) ||
	    a < MIN_WIDTH || b < MIN_HEIGHT || a > MAX_SIDE || b > MAX_SIDE) {
		snprintf(why, n, "is not between %dx%d and %dx%d", MIN_WIDTH,
		    MIN_HEIGHT, MAX_SIDE, MAX_SIDE);
		return false;
	}
	plot_opt.width = a;
	plot_opt.height = b;
	return true;
}

static const struct tsa_opt options[] = {
	{ .name = "output", .shrt = 'o', .type = TSA_OPT_PATH, .arg = "DIR",
	  .section = "plot", .key = "OutputDirectory", .def = "out",
	  .dest = &plot_opt.outdir, .help = "the output directory" },
	{ .name = "last", .type = TSA_OPT_FLAG, .dest = &plot_opt.last,
	  .help = "draw only the last snapshot of the stream" },
	{ .name = "script-only", .type = TSA_OPT_FLAG,
	  .dest = &plot_opt.script_only,
	  .help = "write the gnuplot scripts and the page, run nothing" },
	{ .name = "metric", .shrt = 'm', .type = TSA_OPT_CHOICE, .arg = "WHAT",
	  .section = "plot", .key = "Metric", .def = "packets",
	  .choices = metrics, .dest = &plot_opt.metric,
	  .help = "colour the maps by packets or bytes" },
	{ .name = "region", .shrt = 'r', .type = TSA_OPT_CUSTOM, .arg = "NAMES",
	  .section = "plot", .key = "Regions", .parse = parse_regions,
	  .dest = &plot_opt.regions,
	  .help = "also draw regions: europe, asia, africa,\n"
	  "north-america, south-america, oceania, or all;\n"
	  "comma-separated, repeatable" },
	{ .name = "width", .type = TSA_OPT_U64, .arg = "PX", .section = "plot",
	  .key = "Width", .def = "1600", .min = MIN_WIDTH, .max = MAX_SIDE,
	  .dest = &plot_opt.width,
	  .help = "width of the maps; the charts take the same" },
	{ .name = "height", .type = TSA_OPT_U64, .arg = "PX", .section = "plot",
	  .key = "Height", .def = "900", .min = MIN_HEIGHT, .max = MAX_SIDE,
	  .dest = &plot_opt.height, .help = "height of the maps" },
	{ .name = "size", .type = TSA_OPT_CUSTOM, .arg = "WxH",
	  .parse = parse_size, .dest = &plot_opt.width,
	  .help = "width and height at once" },
	{ .name = "top", .type = TSA_OPT_U64, .arg = "N", .section = "plot",
	  .key = "Top", .def = "15", .min = 1, .max = 100,
	  .dest = &plot_opt.top, .help = "bars per chart" },
	{ .name = "refresh", .type = TSA_OPT_U64, .arg = "SECS",
	  .section = "plot", .key = "Refresh", .def = "10", .min = 1,
	  .max = 86400, .dest = &plot_opt.refresh,
	  .help = "reload interval of the live page" },
	{ .name = "data", .shrt = 'D', .type = TSA_OPT_PATH, .arg = "FILE",
	  .section = "plot", .key = "MapData", .def = "",
	  .dest = &plot_opt.data,
	  .help = "map data (empty: the source tree's\n"
	  "tsa-plot/world.dat, else PREFIX/share/tsa/world.dat)" },
	{ .name = "gnuplot", .type = TSA_OPT_PROGRAM, .arg = "PROG",
	  .section = "plot", .key = "Gnuplot", .def = "gnuplot",
	  .dest = &plot_opt.gnuplot,
	  .help = "the gnuplot to run; as root, it must be root's\n"
	  "and writable by no one else" },
	{ .name = "gnuplot-timeout", .type = TSA_OPT_U64, .arg = "SECS",
	  .section = "plot", .key = "GnuplotTimeout", .def = "120", .min = 1,
	  .max = 86400, .dest = &plot_opt.timeout,
	  .help = "seconds a figure may take before gnuplot is\n"
	  "stopped and the previous picture kept" },
	{ .name = "verbose", .shrt = 'v', .type = TSA_OPT_COUNT,
	  .dest = &plot_opt.verbose,
	  .help = "counts on stderr at the end: snapshots read, drawn,\n"
	  "skipped because newer ones came first" },
	{ .name = "allow-shared-dir", .type = TSA_OPT_FLAG,
	  .dest = &plot_opt.shared_ok,
	  .help = "write into DIR even if another user can write it\n"
	  "(refused by default: see SECURITY in tsa-plot(1))" },
	TSA_OPT_END
};

const struct tsa_tool plot_tool = {
	.synopsis = "[OPTIONS] [FILE]",
	.about = "Draw tsa-aggregate's snapshot records (FILE or standard input) as gnuplot\n"
	    "scripts, PNGs and an index.html dashboard in DIR.",
	.notes = "Files: world.png (and REGION.png), countries.png, domains.png, os.png,\n"
	    "apps.png, bandwidth.png, trend.png, each with its NAME.gp script, index.html\n"
	    "and history.tsv (the run's history, continued by a later run).",
	.opts = options,
};
