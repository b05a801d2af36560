// link: TSA_PLOT_OBJS
/*
 * tsa-plot's snapshot reader and everything drawn from it: arbitrary bytes
 * as a snapshot record, decoded, then every gnuplot script (a map of the
 * world or a region, the charts) and the page written to memory.  Nothing
 * may read out of bounds, overflow or divide into nonsense, and no script
 * may hold a number gnuplot cannot read: outside quoted strings, comments
 * and labels, no "nan" or "inf" (printf's words for what is not a number;
 * gnuplot's own NaN is spelt so).  The first byte chooses the metric and
 * the region; a small map stands in for world.dat, so a run stays short.
 * The country pages are written too (from the snapshot's country_detail).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tsa.h"
#include "../tsa-plot/html.h"
#include "../tsa-plot/plot.h"

/* Three countries with outlines, one label point, unattributed land. */
static const char map[] =
    "country DE 10.4 51.1 Germany\nring 4\n6 47.5\n15 47.5\n15 55\n6 55\n"
    "country US -98 39 United States\nring 4\n-124 25\n-67 25\n-67 49\n"
    "-124 49\n"
    "country BR -52 -10 Brazil\nring 3\n-74 5\n-35 -7\n-53 -33\n"
    "country SG 103.8 1.35 Singapore\n"
    "country -- 0 0 -\nring 3\n77 35\n76.8 35.7\n77.5 35.5\n";

static struct worlddata *world;

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* "nan" or "inf" as a word outside strings and comments. */
static void check_numbers(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '#') {			/* a comment, to the line's end */
			while (i < n && s[i] != '\n')
				i++;
		} else if (c == '\'') {	/* to the closing quote */
			for (i++; i < n; i++) {
				if (s[i] != '\'')
					continue;
				if (i + 1 < n && s[i + 1] == '\'') {
					i++;	/* '' is a quote inside */
					continue;
				}
				break;
			}
		} else if (c == '"') {
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
		} else if (i + 3 <= n && (i == 0 || !is_word(s[i - 1])) &&
		    (memcmp(s + i, "nan", 3) == 0 ||
		    memcmp(s + i, "inf", 3) == 0) &&
		    (i + 3 == n || !is_word(s[i + 3]))) {
			fprintf(stderr, "a script holds '%.3s' at byte %zu\n",
			    s + i, i);
			abort();
		}
	}
}

typedef void (*script_fn)(FILE *, const struct plot_ctx *);

static void script(const struct plot_ctx *c, script_fn fn,
    const struct region *rg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	if (fn)
		fn(f, c);
	else
		world_script(f, c, rg);
	fclose(f);
	check_numbers(buf, len);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const script_fn charts[] = { countries_script, domains_script,
		os_script, bandwidth_script };
	struct snapshot s;
	struct plot_ctx c;
	struct html_page page = { 0 };
	const struct region *rg;
	FILE *f;

	if (!world) {
		char path[64];
		int fd = memfd_create("world.dat", 0);

		if (fd < 0 || write(fd, map, sizeof map - 1) !=
		    (ssize_t)(sizeof map - 1))
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		world = worlddata_load(path);
	}
	if (size < 1)
		return 0;
	if (snapshot_decode(data + 1, size - 1, &s) < 0) {
		snapshot_free(&s);
		return 0;
	}
	rg = &regions[(data[0] >> 1) % 7];
	c = (struct plot_ctx){ .s = &s, .w = world, .width = 800, .height = 450,
		.metric = data[0] & 1 ? METRIC_BYTES : METRIC_PACKETS,
		.top = 15, .font = "DejaVu Sans" };
	script(&c, NULL, regions);
	if (rg != regions)
		script(&c, NULL, rg);
	for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
		script(&c, charts[i], NULL);
	page.regions = &rg;
	page.nregions = rg != regions;
	page.refresh = data[0] & 0x10 ? 10 : 0;
	page.no_png = data[0] >> 5 & 1;
	page.notice = data[0] & 0x40 ? "cut short" : NULL;
	if ((f = fopen("/dev/null", "w"))) {
		html_print(f, &c, &page);
		/* the country pages, from their detail or the window's lists */
		for (size_t i = 0; i < s.ncountries; i++)
			if (html_country_page(s.countries[i].country))
				html_print_country(f, &c, &page, i);
		fclose(f);
	}
	snapshot_free(&s);
	return 0;
}
