/*
 * index.html: the original app's dashboard as one static page - the maps
 * and charts, and the tables the pictures cannot show well.  No script:
 * it opens from the file system or any static web server.
 */
#ifndef TSA_PLOT_HTML_H
#define TSA_PLOT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plot.h"

struct html_page {
	const struct region *const *regions;	/* drawn besides the world */
	size_t nregions;
	int no_png;		/* --script-only: link the scripts instead */
	unsigned refresh;	/* seconds between reloads; 0: final page */
	uint64_t serial;	/* snapshot number: busts image caches */
	uint64_t skipped;	/* snapshots not drawn: newer ones came first */
	const char *notice;	/* shown above all: why the page is not whole */
};

/* The page, to f. */
void html_print(FILE *f, const struct plot_ctx *c,
    const struct html_page *page);
/* Write index.html into the output directory atomically; exits on a
 * write error. */
void html_write(const struct plot_ctx *c, const struct html_page *page);
/* The page of the snapshot's i-th country, to f. */
void html_print_country(FILE *f, const struct plot_ctx *c,
    const struct html_page *page, size_t i);
/* Write country-XX.html for each country of the snapshot (drill-down). */
void html_write_countries(const struct plot_ctx *c,
    const struct html_page *page);
/* Whether a country code has a page (two capitals, local, unknown). */
bool html_country_page(const char *code);

#endif
