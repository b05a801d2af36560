/*
 * The country outlines (tsa-plot/world.dat, written by scripts/mkworld),
 * already projected.  Rings are sorted by area, largest first: drawn in
 * that order, an enclave (Lesotho, San Marino) lands on top of the country
 * around it.
 */
#ifndef TSA_PLOT_WORLDDATA_H
#define TSA_PLOT_WORLDDATA_H

#include <stddef.h>

struct wd_country {
	char code[4];		/* alpha-2; "--" for unattributed land */
	char *name;
	double lx, ly;		/* projected label point */
	double x0, y0, x1, y1;	/* projected bounding box of its rings */
	size_t nrings;		/* 0: a label point only */
};

struct wd_ring {
	size_t country;		/* index into countries */
	size_t first, npts;	/* into x[], y[] */
	double area;		/* projected, always positive */
	double x0, y0, x1, y1;
};

struct worlddata {
	char *path;
	struct wd_country *countries;
	size_t ncountries;
	struct wd_ring *rings;
	size_t nrings;
	double *x, *y;
	size_t npts;
	/* names of codes without outlines (for chart labels) */
	struct { char code[4]; char *name; } *names;
	size_t nnames;
};

/*
 * Find the data file: path if not NULL, else next to the program's
 * source tree (BINDIR/../tsa-plot/world.dat), else TSA_DATADIR/world.dat.
 * Exits with "prog: file:line: problem" on a missing or malformed file.
 */
struct worlddata *worlddata_load(const char *path);
void worlddata_free(struct worlddata *w);

/* Index of a country by code, or -1. */
long worlddata_find(const struct worlddata *w, const char *code);
/* The country's name for a code, or NULL when the file has none. */
const char *worlddata_name(const struct worlddata *w, const char *code);

#endif
