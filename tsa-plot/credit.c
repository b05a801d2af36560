/*
 * Geolocation credits.  DB-IP's Lite databases are CC BY 4.0, which asks
 * for a link to db-ip.com; MaxMind's GeoLite2 licence asks that the
 * product say it includes GeoLite2 data created by MaxMind.  Both are
 * known by their type ("GeoLite2-City", "DBIP-City-Lite") or, for
 * ip-location-db's copies, whose type says only "country ipvAll", by their
 * file's name ("dbip-country.mmdb", "geolite2-city.mmdb").
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "tsa.h"
#include "credit.h"

static const struct {
	const char *word;	/* in the type or file name, any case */
	const char *name, *url, *licence;
} known[] = {
	{ "dbip", "DB-IP", "https://db-ip.com", "CC BY 4.0" },
	{ "db-ip", "DB-IP", "https://db-ip.com", "CC BY 4.0" },
	{ "geolite2", "MaxMind GeoLite2", "https://www.maxmind.com", NULL },
	{ "geoip2", "MaxMind GeoIP2", "https://www.maxmind.com", NULL },
};

/* The string value of key in the map at [p, end), as a C string in out. */
static void get_str(const uint8_t *p, const uint8_t *end, const char *key,
    char *out, size_t n)
{
	struct mp_obj v;

	out[0] = 0;
	if (mp_map_get1(p, (size_t)(end - p), key, &v) == 1 &&
	    v.type == MP_STR)
		snprintf(out, n, "%.*s", (int)v.len, (const char *)v.ptr);
}

static void credit_of(const char *type, const char *file, struct credit *c)
{
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcasestr(type, known[i].word) ||
		    strcasestr(file, known[i].word)) {
			snprintf(c->name, sizeof c->name, "%s", known[i].name);
			c->url = known[i].url;
			c->licence = known[i].licence;
			return;
		}
	/* Unknown: as the header names it (shown escaped, never a link). */
	snprintf(c->name, sizeof c->name, "%s", *type ? type : file);
	c->url = c->licence = NULL;
}

size_t credits_read(const uint8_t *hdr, size_t len,
    struct credit out[CREDITS_MAX])
{
	const uint8_t *p, *end = hdr + len, *el;
	struct mp_obj dbs;
	char type[64], file[64];
	size_t n = 0, j;

	if (mp_map_get1(hdr, len, "geo_databases", &dbs) != 1 ||
	    dbs.type != MP_ARRAY)
		return 0;
	p = dbs.ptr;
	for (uint32_t i = 0; i < dbs.len && n < CREDITS_MAX; i++) {
		el = p;
		if (mp_skip(&p, end) < 0)
			break;
		get_str(el, p, "type", type, sizeof type);
		get_str(el, p, "file", file, sizeof file);
		if (!*type && !*file)
			continue;
		credit_of(type, file, &out[n]);
		for (j = 0; j < n && strcmp(out[j].name, out[n].name); j++)
			;
		n += j == n;		/* (the same source twice: once) */
	}
	return n;
}
