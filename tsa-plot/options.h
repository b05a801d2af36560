/*
 * tsa-plot's options (options.c): the table, and where the values go.
 */
#ifndef TSA_PLOT_OPTIONS_H
#define TSA_PLOT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "opts.h"
#include "plot.h"

#define MIN_WIDTH 480
#define MIN_HEIGHT 300
#define MAX_SIDE 8000

/* The lists of -r and [plot] Regions, in the order parsed (the setting
 * first). */
struct region_lists {
	const char *v[32];
	size_t n;
};

struct plot_opts {
	const char *outdir, *data, *gnuplot, *metric;
	bool last, script_only, shared_ok;
	int verbose;
	struct region_lists regions;
	uint64_t width, height, top, refresh, timeout;
};

extern struct plot_opts plot_opt;
extern const struct tsa_tool plot_tool;

#endif
