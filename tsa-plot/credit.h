/*
 * Whom the map and the page credit for the geolocation: the databases
 * tsa-geo names in the stream's header ("geo_databases", docs/stream.md),
 * each known by its type or file name, or else named as the header says.
 */
#ifndef TSA_PLOT_CREDIT_H
#define TSA_PLOT_CREDIT_H

#include <stddef.h>
#include <stdint.h>

#define CREDITS_MAX 2		/* a location database and an ASN one */

struct credit {
	char name[64];		/* "DB-IP", "MaxMind GeoLite2", or as given */
	const char *url;	/* NULL: no link */
	const char *licence;	/* "CC BY 4.0"; NULL: none to state */
};

/* The credits of a stream's header (its raw map); how many, distinct. */
size_t credits_read(const uint8_t *hdr, size_t len,
    struct credit out[CREDITS_MAX]);

#endif
