/*
 * Load world.dat.  The file is ours (written by scripts/mkworld) but is read
 * like any input: every line is checked, and a bad one stops the program
 * with the file name and line number rather than drawing a broken map.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsa.h"
#include "proj.h"
#include "worlddata.h"

#define MAX_POINTS (4u << 20)	/* far above the 1:50m data's 60 000 */

struct parse {
	struct worlddata *w;
	const char *path;
	unsigned line;
	size_t cap_c, cap_r, cap_p, cap_n;
};

_Noreturn static void bad(const struct parse *p, const char *what)
{
	tsa_die("%s:%u: %s", p->path, p->line, what);
}

static char *copy_name(const char *s)
{
	char *n = tsa_strdup(s);
	n[strcspn(n, "\r\n")] = 0;
	return n;
}

static int parse_lonlat(const char *s, double *lon, double *lat)
{
	char *end;

	errno = 0;
	*lon = strtod(s, &end);
	if (end == s)
		return -1;
	s = end;
	*lat = strtod(s, &end);
	if (end == s || errno || *lon < -180 || *lon > 180 || *lat < -90 ||
	    *lat > 90)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	return *end == 0 || *end == '\n' || *end == '\r' ? 0 : -1;
}

/* "CC" then a space: the code, at most three characters. */
static const char *parse_code(const struct parse *p, const char *s,
    char code[4])
{
	size_t n = strcspn(s, " \t\n");

	if (n == 0 || n > 3 || (s[n] != ' ' && s[n] != '\t'))
		bad(p, "expected a country code");
	memcpy(code, s, n);
	code[n] = 0;
	return s + n + 1;
}

static void add_country(struct parse *p, const char *s)
{
	struct worlddata *w = p->w;
	struct wd_country *c;
	double lon, lat;
	char *end;

	if (w->ncountries == p->cap_c) {
		p->cap_c = p->cap_c ? 2 * p->cap_c : 256;
		w->countries = tsa_realloc(w->countries,
		    p->cap_c * sizeof *w->countries);
	}
	c = &w->countries[w->ncountries];
	memset(c, 0, sizeof *c);
	s = parse_code(p, s, c->code);
	lon = strtod(s, &end);
	if (end == s)
		bad(p, "expected a longitude");
	s = end;
	lat = strtod(s, &end);
	if (end == s || *end != ' ' || lon < -180 || lon > 180 || lat < -90 ||
	    lat > 90)
		bad(p, "expected a latitude and a name");
	c->name = copy_name(end + 1);
	proj_natural_earth(lon, lat, &c->lx, &c->ly);
	c->x0 = c->y0 = 1e9;
	c->x1 = c->y1 = -1e9;
	w->ncountries++;
}

static void add_ring(struct parse *p, FILE *f, const char *s)
{
	struct worlddata *w = p->w;
	struct wd_ring *r;
	struct wd_country *c;
	char buf[256], *end;
	unsigned long n;
	double a = 0;

	if (w->ncountries == 0)
		bad(p, "a ring before any country");
	n = strtoul(s, &end, 10);
	if (end == s || n < 3 || n > MAX_POINTS - w->npts)
		bad(p, "bad ring size");
	if (w->nrings == p->cap_r) {
		p->cap_r = p->cap_r ? 2 * p->cap_r : 1024;
		w->rings = tsa_realloc(w->rings, p->cap_r * sizeof *w->rings);
	}
	if (w->npts + n > p->cap_p) {
		while (w->npts + n > p->cap_p)
			p->cap_p = p->cap_p ? 2 * p->cap_p : 65536;
		w->x = tsa_realloc(w->x, p->cap_p * sizeof *w->x);
		w->y = tsa_realloc(w->y, p->cap_p * sizeof *w->y);
	}
	r = &w->rings[w->nrings];
	r->country = w->ncountries - 1;
	r->first = w->npts;
	r->npts = n;
	r->x0 = r->y0 = 1e9;
	r->x1 = r->y1 = -1e9;
	for (unsigned long i = 0; i < n; i++) {
		double lon, lat, *x = &w->x[w->npts + i], *y = &w->y[w->npts + i];

		p->line++;
		if (!fgets(buf, sizeof buf, f) || parse_lonlat(buf, &lon, &lat))
			bad(p, "expected 'lon lat'");
		proj_natural_earth(lon, lat, x, y);
		if (*x < r->x0) r->x0 = *x;
		if (*x > r->x1) r->x1 = *x;
		if (*y < r->y0) r->y0 = *y;
		if (*y > r->y1) r->y1 = *y;
	}
	/* The shoelace formula; the sign only tells the ring's direction. */
	for (unsigned long i = 0; i < n; i++) {
		size_t j = w->npts + i, k = w->npts + (i + 1) % n;
		a += w->x[j] * w->y[k] - w->x[k] * w->y[j];
	}
	r->area = a < 0 ? -a / 2 : a / 2;
	w->npts += n;
	w->nrings++;
	c = &w->countries[r->country];
	c->nrings++;
	if (r->x0 < c->x0) c->x0 = r->x0;
	if (r->x1 > c->x1) c->x1 = r->x1;
	if (r->y0 < c->y0) c->y0 = r->y0;
	if (r->y1 > c->y1) c->y1 = r->y1;
}

static void add_name(struct parse *p, const char *s)
{
	struct worlddata *w = p->w;

	if (w->nnames == p->cap_n) {
		p->cap_n = p->cap_n ? 2 * p->cap_n : 64;
		w->names = tsa_realloc(w->names, p->cap_n * sizeof *w->names);
	}
	s = parse_code(p, s, w->names[w->nnames].code);
	w->names[w->nnames].name = copy_name(s);
	w->nnames++;
}

static int by_area(const void *a, const void *b)
{
	const struct wd_ring *x = a, *y = b;

	if (x->area != y->area)
		return x->area < y->area ? 1 : -1;
	/* equal areas: keep the file's order, so every run draws the same */
	return x->first < y->first ? -1 : x->first > y->first;
}

/* Where the program's own source tree keeps the file, if it runs from one. */
static char *tree_path(void)
{
	char exe[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return NULL;
	exe[n] = 0;
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = 0;
	path = tsa_malloc(strlen(exe) + sizeof "/../tsa-plot/world.dat");
	sprintf(path, "%s/../tsa-plot/world.dat", exe);
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

struct worlddata *worlddata_load(const char *path)
{
	struct worlddata *w = tsa_calloc(1, sizeof *w);
	struct parse p = { .w = w };
	char buf[512];
	FILE *f;

	if (path)
		w->path = tsa_strdup(path);
	else if (!(w->path = tree_path()) && !(w->path = tsa_data_file("world.dat")))
		tsa_die("world.dat: not found beside tsa-plot (the map data; see -D)");
	p.path = w->path;
	if (!(f = fopen(w->path, "r")))
		tsa_die("%s: %s (the map data; see -D)", w->path,
		    strerror(errno));
	while (fgets(buf, sizeof buf, f)) {
		p.line++;
		if (!strchr(buf, '\n') && !feof(f))
			bad(&p, "line too long");
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		if (strncmp(buf, "country ", 8) == 0)
			add_country(&p, buf + 8);
		else if (strncmp(buf, "ring ", 5) == 0)
			add_ring(&p, f, buf + 5);
		else if (strncmp(buf, "name ", 5) == 0)
			add_name(&p, buf + 5);
		else
			bad(&p, "unknown line");
	}
	if (ferror(f))
		tsa_die("%s: %s", w->path, strerror(errno));
	fclose(f);
	if (w->nrings == 0)
		tsa_die("%s: no country outlines", w->path);
	qsort(w->rings, w->nrings, sizeof *w->rings, by_area);
	return w;
}

void worlddata_free(struct worlddata *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ncountries; i++)
		free(w->countries[i].name);
	for (size_t i = 0; i < w->nnames; i++)
		free(w->names[i].name);
	free(w->countries);
	free(w->rings);
	free(w->names);
	free(w->x);
	free(w->y);
	free(w->path);
	free(w);
}

long worlddata_find(const struct worlddata *w, const char *code)
{
	for (size_t i = 0; i < w->ncountries; i++)
		if (strcmp(w->countries[i].code, code) == 0)
			return (long)i;
	return -1;
}

const char *worlddata_name(const struct worlddata *w, const char *code)
{
	long i = worlddata_find(w, code);

	if (i >= 0)
		return w->countries[i].name;
	for (size_t j = 0; j < w->nnames; j++)
		if (strcmp(w->names[j].code, code) == 0)
			return w->names[j].name;
	return NULL;
}
