/*
 * What every figure needs to know, and the figures tsa-plot writes.  Each
 * writer emits one self-contained gnuplot script: all data sits in inline
 * datablocks, and the PNG name is a variable the caller may override
 * (gnuplot -e "outfile='x.png'"), so a script can be edited and re-run
 * alone.
 */
#ifndef TSA_PLOT_PLOT_H
#define TSA_PLOT_PLOT_H

#include <stdbool.h>
#include <stdio.h>

#include "credit.h"
#include "tsa.h"
#include "worlddata.h"

enum metric { METRIC_PACKETS, METRIC_BYTES };

struct history;

struct plot_ctx {
	const struct snapshot *s;
	const struct history *hist;	/* the run's snapshots so far */
	const struct worlddata *w;
	int width, height;	/* of the maps; charts derive theirs */
	enum metric metric;
	size_t top;		/* bars per chart */
	const char *font;	/* "DejaVu Sans" */
	bool links;		/* countries link to their pages */
	struct credit credits[CREDITS_MAX];	/* the geolocation's sources */
	size_t ncredits;
};

/* A map view: the world or one of the original app's regions. */
struct region {
	const char *name;	/* "world", "europe", ... (the PNG's name) */
	const char *title;	/* "Europe" */
	const char *continent;	/* its countries' continent; NULL: all */
	double lon0, lon1, lat0, lat1;
};
extern const struct region regions[];	/* world first; ends with name NULL */
const struct region *region_find(const char *name);
/* The continent code ("EU") of a country code, or NULL (continents.c). */
const char *continent_of(const char *code);
/* Whether the country (a code of the snapshot) belongs on the region's
 * map: every country on the world's. */
bool region_has(const struct region *r, const char *code);

void world_script(FILE *f, const struct plot_ctx *c, const struct region *r);
void countries_script(FILE *f, const struct plot_ctx *c);
void domains_script(FILE *f, const struct plot_ctx *c);
void os_script(FILE *f, const struct plot_ctx *c);
void bandwidth_script(FILE *f, const struct plot_ctx *c);
void trend_script(FILE *f, const struct plot_ctx *c);
void apps_script(FILE *f, const struct plot_ctx *c);

/* Shared pieces of the scripts (gp.c). */
void gp_begin(FILE *f, const struct plot_ctx *c, const char *png,
    const char *what, int w, int h);
void gp_end(FILE *f);
/* s as a gnuplot single-quoted string, control characters shown as '?'. */
void gp_quote(FILE *f, const char *s);
/* "2026-11-26 07:00:00 - 07:01:00 UTC" */
void fmt_span(char *out, size_t n, int64_t start_ns, int64_t end_ns);
/* The same for a snapshot's window. */
void fmt_window_span(char *out, size_t n, const struct snapshot *s);
/* A country's name for labels: "Germany", "Local networks", the code. */
const char *country_label(const struct plot_ctx *c, const char *code);

#endif
