/*
 * The choropleth: one country-coloured map of the world or of a region.
 *
 * Country outlines are projected here (Natural Earth projection) and go into
 * the script as a datablock of "x y n" rows, n indexing the array V of the
 * countries' values; the script turns V into colours with the same log
 * scale its colour bar shows.  So changing a value in V, or the palette,
 * and running the script again redraws the map.
 *
 * The layout is fixed in pixels (title band, map, colour bar band) and the
 * view's range is widened to the map area's shape, so that the projection
 * keeps its aspect ratio and a point's pixel can be computed from the
 * script's margins and ranges alone (tests/plot does exactly that).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "plot.h"
#include "proj.h"
#include "units.h"

/*
 * Lat/lon boxes around each continent's land (with a margin, so that no
 * coast touches the frame): the world from pole to pole, the regions as
 * the original app's plotly "scope" values showed them, widened where
 * they cut a coast.  The map area's shape widens a box further, showing
 * neighbours, which are greyed.
 */
const struct region regions[] = {
	{ "world", "World", NULL, -180, 180, -90, 90 },
	{ "europe", "Europe", "EU", -25, 45, 34, 72 },
	{ "asia", "Asia", "AS", 25, 150, -12, 56 },
	{ "africa", "Africa", "AF", -19, 53, -36, 39 },
	{ "north-america", "North America", "NA", -170, -50, 6, 72 },
	{ "south-america", "South America", "SA", -92, -30, -56, 14 },
	{ "oceania", "Oceania", "OC", 110, 180, -48, 2 },
	{ NULL, NULL, NULL, 0, 0, 0, 0 }
};

bool region_has(const struct region *r, const char *code)
{
	const char *ct;

	if (!r->continent)
		return true;
	ct = continent_of(code);
	return ct && strcmp(ct, r->continent) == 0;
}

const struct region *region_find(const char *name)
{
	for (const struct region *r = regions; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

/* Palette: ColorBrewer YlOrRd, light to dark; the same stops in the colour
 * function and in the colour bar. */
static const char *const stops[] = {
	"0xffeda0", "0xfeb24c", "0xfd8d3c", "0xe31a1c", "0x800026"
};
#define NSTOPS 5
#define NODATA "0xd4d4d4"
#define OUTSIDE "0xf2f2f2"	/* countries outside a region's continent */
#define OCEAN "0xe6eff6"
#define BORDER "0xffffff"
#define GRID "0xd3e1ec"

/* Pixels of the layout. */
#define TITLE_BAND 80
#define KEY_BAND 92
#define SIDE 16
#define DOT_PX 6.0		/* countries smaller than this become dots */

struct view {
	double x0, x1, y0, y1;	/* projected range */
	double l, r, b, t;	/* plot area, screen fractions */
	double sx, sy;		/* pixels per projected unit */
};

static void view_for(const struct region *rg, int w, int h, struct view *v)
{
	double mw = w - 2 * SIDE, mh = h - TITLE_BAND - KEY_BAND;
	double cx, cy, half;

	if (mh < 20)
		mh = 20;
	v->x0 = v->y0 = 1e9;
	v->x1 = v->y1 = -1e9;
	/* Sample the box's edges: in a pseudo-cylindrical projection the
	 * widest point of a box need not be a corner. */
	for (int i = 0; i <= 64; i++) {
		double lon = rg->lon0 + (rg->lon1 - rg->lon0) * i / 64;
		double lat = rg->lat0 + (rg->lat1 - rg->lat0) * i / 64;
		double pts[4][2] = { { lon, rg->lat0 }, { lon, rg->lat1 },
			{ rg->lon0, lat }, { rg->lon1, lat } };
		for (int k = 0; k < 4; k++) {
			double x, y;
			proj_natural_earth(pts[k][0], pts[k][1], &x, &y);
			if (x < v->x0) v->x0 = x;
			if (x > v->x1) v->x1 = x;
			if (y < v->y0) v->y0 = y;
			if (y > v->y1) v->y1 = y;
		}
	}
	/* Widen the narrower dimension to the map area's shape. */
	cx = (v->x0 + v->x1) / 2;
	cy = (v->y0 + v->y1) / 2;
	if ((v->x1 - v->x0) / (v->y1 - v->y0) < mw / mh) {
		half = (v->y1 - v->y0) * mw / mh / 2;
		v->x0 = cx - half;
		v->x1 = cx + half;
	} else {
		half = (v->x1 - v->x0) * mh / mw / 2;
		v->y0 = cy - half;
		v->y1 = cy + half;
	}
	v->l = (double)SIDE / w;
	v->r = 1 - (double)SIDE / w;
	v->t = 1 - (double)TITLE_BAND / h;
	v->b = (double)KEY_BAND / h;
	v->sx = mw / (v->x1 - v->x0);
	v->sy = mh / (v->y1 - v->y0);
}

static bool ring_in_view(const struct wd_ring *r, const struct view *v)
{
	return r->x1 >= v->x0 && r->x0 <= v->x1 && r->y1 >= v->y0 &&
	    r->y0 <= v->y1;
}

static uint64_t metric_of(const struct plot_ctx *c, const struct country_row *r)
{
	return c->metric == METRIC_BYTES ? r->bytes : r->packets;
}

/* a + b, or the largest count: hostile counts must not wrap around. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Sum the snapshot's value per country of the data file: the region's
 * countries only. */
static uint64_t *values(const struct plot_ctx *c, const struct region *rg)
{
	uint64_t *val = tsa_calloc(c->w->ncountries ? c->w->ncountries : 1,
	    sizeof *val);

	for (size_t i = 0; i < c->s->ncountries; i++) {
		const struct country_row *r = &c->s->countries[i];
		long k;
		if (!r->country || strcmp(r->country, "--") == 0 ||
		    !region_has(rg, r->country))
			continue;
		if ((k = worlddata_find(c->w, r->country)) >= 0)
			val[k] = add_sat(val[k], metric_of(c, r));
	}
	return val;
}

static void colour_function(FILE *f, uint64_t lo, uint64_t hi)
{
	fprintf(f, "\n# Colours: a log scale from CBMIN to CBMAX over the palette"
	    " stops below,\n# grey without traffic.  The colour bar uses the "
	    "same stops.\n");
	fprintf(f, "CBMIN = %llu.; CBMAX = %llu.\n", (unsigned long long)lo,
	    (unsigned long long)hi);
	fprintf(f, "NODATA = %s; OUTSIDE = %s; OCEAN = %s; BORDER = %s; "
	    "GRID = %s\n", NODATA, OUTSIDE, OCEAN, BORDER, GRID);
	for (int i = 0; i < NSTOPS; i++)
		fprintf(f, "S%d = %s%s", i, stops[i], i + 1 < NSTOPS ? "; " :
		    "\n");
	fprintf(f, "mix(a, b, t) = (int(((a >> 16) & 255) * (1 - t) + "
	    "((b >> 16) & 255) * t) << 16) + \\\n"
	    "    (int(((a >> 8) & 255) * (1 - t) + ((b >> 8) & 255) * t) << 8)"
	    " + \\\n"
	    "    int((a & 255) * (1 - t) + (b & 255) * t)\n");
	fprintf(f, "pal(t) = t < 0.25 ? mix(S0, S1, t * 4) : t < 0.5 ? "
	    "mix(S1, S2, t * 4 - 1) : \\\n"
	    "    t < 0.75 ? mix(S2, S3, t * 4 - 2) : mix(S3, S4, t * 4 - 3)\n");
	fprintf(f, "scale(v) = (log10(v) - log10(CBMIN)) / "
	    "(log10(CBMAX) - log10(CBMIN))\n");
	fprintf(f, "clamp(t) = t < 0 ? 0 : t > 1 ? 1 : t\n");
	fprintf(f, "colour(v) = v > 0 ? pal(clamp(scale(v))) : v < 0 ? OUTSIDE "
	    ": NODATA\n");
	fprintf(f, "set palette defined (0 '#%s', 1 '#%s', 2 '#%s', 3 '#%s', "
	    "4 '#%s')\n", stops[0] + 2, stops[1] + 2, stops[2] + 2,
	    stops[3] + 2, stops[4] + 2);
}

/* Decade bounds around the values, for a colour bar with whole tics. */
static void cb_range(const uint64_t *val, size_t n, uint64_t *lo,
    uint64_t *hi)
{
	uint64_t mn = 0, mx = 0;

	for (size_t i = 0; i < n; i++)
		if (val[i]) {
			if (!mn || val[i] < mn)
				mn = val[i];
			if (val[i] > mx)
				mx = val[i];
		}
	if (!mx) {
		*lo = 1;
		*hi = 10;
		return;
	}
	for (*lo = 1; *lo * 10 <= mn && *lo <= UINT64_MAX / 10; *lo *= 10)
		;
	for (*hi = *lo; *hi < mx && *hi <= UINT64_MAX / 10; *hi *= 10)
		;
	if (*hi == *lo)
		*hi = *lo * 10;
}

static void header_labels(FILE *f, const struct plot_ctx *c,
    const struct region *rg, const uint64_t *val, size_t ncountries)
{
	const struct snapshot *s = c->s;
	char span[96], a[UNITS_LEN], b[UNITS_LEN], l[UNITS_LEN], u[UNITS_LEN];
	char line[512], wbuf[32];
	const char *window;
	size_t with = 0;
	uint64_t local = 0, unknown = 0, pk = 0, by = 0;
	bool bytes = c->metric == METRIC_BYTES;

	for (size_t i = 0; i < ncountries; i++)
		with += val[i] != 0;
	for (size_t i = 0; i < s->ncountries; i++) {
		const struct country_row *r = &s->countries[i];
		if (!r->country)
			continue;
		if (strcmp(r->country, "local") == 0)
			local = add_sat(local, metric_of(c, r));
		else if (strcmp(r->country, "unknown") == 0)
			unknown = add_sat(unknown, metric_of(c, r));
		else if (rg->continent && region_has(rg, r->country)) {
			pk = add_sat(pk, r->packets);
			by = add_sat(by, r->bytes);
		}
	}
	fmt_window_span(span, sizeof span, s);
	snprintf(line, sizeof line, "%s by country%s%s",
	    bytes ? "Traffic (bytes)" : "Packets", rg->continent ? " - " : "",
	    rg->continent ? rg->title : "");
	fprintf(f, "set label 1 ");
	gp_quote(f, line);
	fprintf(f, " at screen %.4f, screen 1 offset character 0, character -1.6"
	    " left font ',%d'\n", (double)SIDE / c->width,
	    c->height < 600 ? 13 : 16);
	fprintf(f, "set label 2 ");
	gp_quote(f, span);
	fprintf(f, " at screen %.4f, screen 1 offset character 0, character -1.6"
	    " right font ',%d'\n", 1 - (double)SIDE / c->width,
	    c->height < 600 ? 11 : 13);
	if (rg->continent)
		/* The region's own totals: the remote endpoints in its
		 * countries (a packet to two of them counts in both). */
		snprintf(line, sizeof line, "%s packets, %s to or from %s; "
		    "%zu of its countries with traffic; %.1f%% of the "
		    "window's packets", units_count(a, (double)pk),
		    units_bytes(b, (double)by), rg->title, with,
		    s->packets ? 100.0 * (double)pk / (double)s->packets : 0);
	else if (bytes)
		snprintf(line, sizeof line, "%s in %s packets; %zu countries "
		    "with traffic; local %s, unknown %s",
		    units_bytes(a, (double)s->bytes),
		    units_count(b, (double)s->packets), with,
		    units_bytes(l, (double)local), units_bytes(u,
		    (double)unknown));
	else
		snprintf(line, sizeof line, "%s packets, %s; %zu countries "
		    "with traffic; local %s, unknown %s",
		    units_count(a, (double)s->packets),
		    units_bytes(b, (double)s->bytes), with,
		    units_count(l, (double)local), units_count(u,
		    (double)unknown));
	fprintf(f, "set label 3 ");
	gp_quote(f, line);
	fprintf(f, " at screen %.4f, screen 1 offset character 0, character -3.3"
	    " left textcolor rgb '#555555'\n", (double)SIDE / c->width);
	if ((window = snapshot_window(s, wbuf))) {
		snprintf(line, sizeof line, "window %s", window);
		fprintf(f, "set label 4 ");
		gp_quote(f, line);
		fprintf(f, " at screen %.4f, screen 1 offset character 0, "
		    "character -3.3 right textcolor rgb '#555555'\n",
		    1 - (double)SIDE / c->width);
	}
}

/* The map's credit line, quoted for gnuplot: the geolocation's sources
 * (the stream's header), then the map data's. */
static void credit_line(FILE *f, const struct plot_ctx *c)
{
	char t[256];
	size_t n = 0;

	t[0] = 0;
	for (size_t i = 0; i < c->ncredits && n < sizeof t; i++) {
		const struct credit *k = &c->credits[i];

		n += (size_t)snprintf(t + n, sizeof t - n, "%s%s%s%s%s",
		    i ? ", " : "IP geolocation by ", k->name,
		    k->licence ? " (" : "", k->licence ? k->licence : "",
		    k->licence ? ")" : "");
	}
	if (n < sizeof t)
		snprintf(t + n, sizeof t - n, "%sMap: Natural Earth (public "
		    "domain)", n ? "   " : "");
	gp_quote(f, t);
}

static void key_band(FILE *f, const struct plot_ctx *c,
    const struct region *rg, uint64_t lo, uint64_t hi)
{
	double w = c->width, h = c->height;
	double bw = w * 0.36 > 560 ? 560 : w * 0.36 < 320 ? 320 : w * 0.36;
	double bx = (w - bw) / 2;
	/* A label every decade while they fit ("100 MB" needs about 60 px,
	 * "100k" 40), else every second or third. */
	double decades = log10((double)hi / (double)lo);
	double need = c->metric == METRIC_BYTES ? 60 : 40;
	int every = 1;

	while (every < 6 && bw / decades * every < need)
		every++;

	fprintf(f, "\n# The colour bar, a 'no traffic' swatch and the credits.\n");
	fprintf(f, "set logscale cb\nset cbrange [CBMIN:CBMAX]\n");
	fprintf(f, "set format cb '%s'\n", c->metric == METRIC_BYTES ?
	    "%.0s %cB" : "%.0s%c");
	fprintf(f, "set cbtics %g scale 0.6 nomirror\nset mcbtics %d\n",
	    pow(10, every), every == 1 ? 10 : every);
	fprintf(f, "set colorbox horizontal user origin screen %.4f, screen "
	    "%.4f size screen %.4f, screen %.4f bdefault\n",
	    bx / w, 54 / h, bw / w, 14 / h);
	fprintf(f, "set label 5 ");
	gp_quote(f, c->metric == METRIC_BYTES ?
	    "bytes per country (log scale)" : "packets per country (log scale)");
	fprintf(f, " at screen 0.5, screen %.4f center\n", 78 / h);
	fprintf(f, "set object 1 rectangle from screen %.4f, screen %.4f "
	    "to screen %.4f, screen %.4f fillcolor rgb NODATA fillstyle solid "
	    "border lc rgb '#888888' front\n", (bx - 130) / w, 54 / h,
	    (bx - 106) / w, 68 / h);
	fprintf(f, "set label 6 'no traffic' at screen %.4f, screen %.4f "
	    "left\n", (bx - 100) / w, 61 / h);
	if (rg->continent) {
		fprintf(f, "set object 2 rectangle from screen %.4f, screen "
		    "%.4f to screen %.4f, screen %.4f fillcolor rgb OUTSIDE "
		    "fillstyle solid border lc rgb '#888888' front\n",
		    (bx + bw + 24) / w, 54 / h, (bx + bw + 48) / w, 68 / h);
		char t[64];
		snprintf(t, sizeof t, "outside %s", rg->title);
		fprintf(f, "set label 8 ");
		gp_quote(f, t);
		fprintf(f, " at screen %.4f, screen %.4f left\n",
		    (bx + bw + 54) / w, 61 / h);
	}
	fputs("set label 7 ", f);
	credit_line(f, c);
	fprintf(f, " at screen %.4f, screen %.4f right font ',8' textcolor "
	    "rgb '#777777'\n", 1 - (double)SIDE / w, 12 / h);
}

/* Meridians and parallels every 30 degrees, within the view's latitudes:
 * they show the projection's curve on the open sea. */
static void graticule(FILE *f, const struct region *rg)
{
	double x, y;

	fprintf(f, "\n# Graticule, every 30 degrees.\n$graticule << EOD\n");
	for (int lon = -180; lon <= 180; lon += 30) {
		for (int i = 0; i <= 40; i++) {
			proj_natural_earth(lon, rg->lat0 + (rg->lat1 -
			    rg->lat0) * i / 40, &x, &y);
			fprintf(f, "%.4f %.4f\n", x, y);
		}
		putc('\n', f);
	}
	for (int lat = -60; lat <= 90; lat += 30) {
		if (lat < rg->lat0 || lat > rg->lat1)
			continue;
		for (int lon = -180; lon <= 180; lon += 5) {
			proj_natural_earth(lon, lat, &x, &y);
			fprintf(f, "%.4f %.4f\n", x, y);
		}
		putc('\n', f);
	}
	fprintf(f, "EOD\n");
}

/* One ring, closed (its first point again) so 'with lines' closes it too. */
static void emit_ring(FILE *f, const struct worlddata *w,
    const struct wd_ring *r, size_t idx)
{
	for (size_t i = 0; i <= r->npts; i++) {
		size_t k = r->first + (i == r->npts ? 0 : i);
		fprintf(f, "%.4f %.4f %zu\n", w->x[k], w->y[k], idx);
	}
	putc('\n', f);
}

void world_script(FILE *f, const struct plot_ctx *c, const struct region *rg)
{
	const struct worlddata *w = c->w;
	uint64_t *val = values(c, rg), lo, hi;
	size_t *idx = tsa_calloc(w->ncountries + 1, sizeof *idx), n = 0;
	size_t ndots = 0, npts = 0;
	bool *dot = tsa_calloc(w->ncountries + 1, sizeof *dot);
	struct view v;
	char what[128];

	view_for(rg, c->width, c->height, &v);
	/* Countries in view get their index into V, in the file's order. */
	for (size_t i = 0; i < w->nrings; i++)
		if (ring_in_view(&w->rings[i], &v))
			idx[w->rings[i].country] = 1;
	for (size_t k = 0; k < w->ncountries; k++) {
		const struct wd_country *ct = &w->countries[k];
		bool small = !ct->nrings ||
		    ((ct->x1 - ct->x0) * v.sx < DOT_PX &&
		    (ct->y1 - ct->y0) * v.sy < DOT_PX);
		bool here = ct->lx >= v.x0 && ct->lx <= v.x1 &&
		    ct->ly >= v.y0 && ct->ly <= v.y1;
		/* Traffic in a country too small to see: a dot at its label. */
		dot[k] = small && here && val[k];
		if (idx[k] || dot[k])
			idx[k] = ++n;
	}
	cb_range(val, w->ncountries, &lo, &hi);

	snprintf(what, sizeof what, "%s map of %s per country", rg->title,
	    c->metric == METRIC_BYTES ? "bytes" : "packets");
	gp_begin(f, c, rg->name, what, c->width, c->height);

	fprintf(f, "\n# %s per country in this view, indexed by the third "
	    "column of $map and $dots.\narray V[%zu]\n",
	    c->metric == METRIC_BYTES ? "Bytes" : "Packets", n ? n : 1);
	if (!n)
		fprintf(f, "V[1] = 0\n");
	for (size_t k = 0; k < w->ncountries; k++)
		if (idx[k] && !region_has(rg, w->countries[k].code))
			/* Outside the region: greyed, whatever its traffic. */
			fprintf(f, "V[%zu] = -1\t# %s %s (outside)\n", idx[k],
			    w->countries[k].code, w->countries[k].name);
		else if (idx[k])
			/* gnuplot's integers are signed 64-bit: a larger
			 * count goes in as a float (the trailing '.'). */
			fprintf(f, "V[%zu] = %llu%s\t# %s %s\n", idx[k],
			    (unsigned long long)val[k], val[k] > INT64_MAX ?
			    "." : "", w->countries[k].code,
			    w->countries[k].name);

	colour_function(f, lo, hi);
	fprintf(f, "array C[%zu]\ndo for [i = 1:%zu] { C[i] = colour(V[i]) }\n",
	    n ? n : 1, n ? n : 1);

	fprintf(f, "\n# The plot area: Natural Earth projection, x and y in "
	    "earth radii.\n");
	fprintf(f, "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
	    "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
	    v.l, v.r, v.b, v.t);
	fprintf(f, "set xrange [%.6f:%.6f]\nset yrange [%.6f:%.6f]\n",
	    v.x0, v.x1, v.y0, v.y1);
	fprintf(f, "unset border\nunset xtics\nunset ytics\nunset key\n");

	header_labels(f, c, rg, val, w->ncountries);
	key_band(f, c, rg, lo, hi);

	/* The sea: the projection's outline between the view's latitudes for
	 * the world, the whole plot area for a region. */
	fprintf(f, "\n$ocean << EOD\n");
	if (strcmp(rg->name, "world") == 0) {
		for (int i = 0; i <= 90; i++) {
			double x, y;
			proj_natural_earth(-180, rg->lat0 + (rg->lat1 -
			    rg->lat0) * i / 90, &x, &y);
			fprintf(f, "%.4f %.4f\n", x, y);
		}
		for (int i = 90; i >= 0; i--) {
			double x, y;
			proj_natural_earth(180, rg->lat0 + (rg->lat1 -
			    rg->lat0) * i / 90, &x, &y);
			fprintf(f, "%.4f %.4f\n", x, y);
		}
	} else
		fprintf(f, "%.6f %.6f\n%.6f %.6f\n%.6f %.6f\n%.6f %.6f\n",
		    v.x0, v.y0, v.x1, v.y0, v.x1, v.y1, v.x0, v.y1);
	fprintf(f, "EOD\n");

	graticule(f, rg);

	fprintf(f, "\n# Country outlines, largest first (so enclaves are drawn "
	    "over their\n# surroundings); one ring per block: x y country.\n"
	    "$map << EOD\n");
	for (size_t i = 0; i < w->nrings; i++)
		if (ring_in_view(&w->rings[i], &v))
			emit_ring(f, w, &w->rings[i],
			    idx[w->rings[i].country]);
	fprintf(f, "EOD\n");

	for (size_t k = 0; k < w->ncountries; k++)
		ndots += dot[k];
	if (ndots) {
		fprintf(f, "\n# Countries with traffic too small to see: "
		    "x y country.\n$dots << EOD\n");
		for (size_t k = 0; k < w->ncountries; k++)
			if (dot[k])
				fprintf(f, "%.4f %.4f %zu\n",
				    w->countries[k].lx, w->countries[k].ly,
				    idx[k]);
		fprintf(f, "EOD\n");
	}

	/* Locations (a City database): a circle per place, its area in
	 * proportion to its packets, the largest drawn first. */
	{
		uint64_t pmax = 0;

		for (size_t i = 0; i < c->s->nlocs; i++)
			if (c->s->locs[i].has_lat && c->s->locs[i].has_lon &&
			    c->s->locs[i].packets > pmax)
				pmax = c->s->locs[i].packets;
		for (size_t i = 0; pmax && i < c->s->nlocs; i++) {
			const struct loc_row *l = &c->s->locs[i];
			double x, y;
			if (!l->has_lat || !l->has_lon || !l->packets ||
			    (rg->continent && (!l->country ||
			    !region_has(rg, l->country))))
				continue;
			proj_natural_earth(l->lon, l->lat, &x, &y);
			if (x < v.x0 || x > v.x1 || y < v.y0 || y > v.y1)
				continue;
			if (!npts++)
				fprintf(f, "\n# Locations: x y size (its area in "
				    "proportion to its packets) packets city\n"
				    "$points << EOD\n");
			fprintf(f, "%.4f %.4f %.3f %llu ", x, y, 0.5 + 2.5 *
			    sqrt((double)l->packets / (double)pmax),
			    (unsigned long long)l->packets);
			putc('"', f);
			for (const char *q = l->city ? l->city : ""; *q; q++)
				putc(*q == '"' || *q == '\\' ||
				    (unsigned char)*q < 0x20 ? '?' : *q, f);
			fputs("\"\n", f);
		}
		if (npts) {
			fprintf(f, "EOD\n");
			fprintf(f, "set label 9 'circles: packets per location "
			    "(City database), area in proportion' at screen "
			    "%.4f, screen %.4f left font ',8' textcolor rgb "
			    "'#777777'\n", (double)SIDE / c->width,
			    12.0 / c->height);
		}
	}

	fprintf(f, "\nplot $ocean with filledcurves closed fillcolor rgb OCEAN,"
	    " \\\n"
	    "     $graticule with lines linecolor rgb GRID linewidth 0.6, "
	    "\\\n"
	    "     $map using 1:2:(C[int($3)]) with filledcurves closed "
	    "fillcolor rgb variable, \\\n"
	    "     $map using 1:2 with lines linecolor rgb BORDER "
	    "linewidth 0.5, \\\n");
	if (npts)
		fprintf(f, "     $points using 1:2:3 with points pointtype 7 "
		    "pointsize variable linecolor rgb 0x803182bd, \\\n"
		    "     $points using 1:2:3 with points pointtype 6 "
		    "pointsize variable linecolor rgb 0x08306b, \\\n");
	if (ndots)
		fprintf(f, "     $dots using 1:2:(C[int($3)]) with points "
		    "pointtype 7 pointsize 1.1 linecolor rgb variable, \\\n"
		    "     $dots using 1:2 with points pointtype 6 "
		    "pointsize 1.1 linecolor rgb '#555555', \\\n");
	fprintf(f, "     NaN linecolor palette\n");
	gp_end(f);
	free(val);
	free(idx);
	free(dot);
}
