/*
 * The geolocation and ASN databases: open a MaxMind DB file, recognise
 * which layout its records use, and read one record's answers.
 */
#ifndef TSA_GEO_DB_H
#define TSA_GEO_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <maxminddb.h>

#include "mp.h"

/* What a database is opened for: countries (and cities), or networks. */
enum geo_role { GEO_ROLE_LOCATION, GEO_ROLE_ASN };

enum geo_layout {
	GEO_LAYOUT_GEOIP2,	/* country.iso_code, continent.code, city.names.en */
	GEO_LAYOUT_FLAT,	/* ip-location-db: country_code, city, latitude */
	GEO_LAYOUT_ASN,		/* autonomous_system_number/_organization */
};

/* The annotation fields, in the order they are written. */
enum geo_field {
	GEO_COUNTRY, GEO_CONTINENT, GEO_LAT, GEO_LON, GEO_CITY,
	GEO_ASN, GEO_AS_ORG,
	GEO_NFIELDS
};

struct geo_db {
	MMDB_s mmdb;
	bool open;
	enum geo_role role;
	enum geo_layout layout;
	char path[4096];
};

/*
 * Open path for role and recognise its layout.  On failure returns false
 * with a one-line message ("path: what is wrong") in err and db untouched.
 */
bool geo_db_open(struct geo_db *db, const char *path, enum geo_role role,
    char *err, size_t errlen);
void geo_db_close(struct geo_db *db);

/* Text for messages: "GeoIP2", "ip-location-db", "ASN". */
const char *geo_layout_name(enum geo_layout l);

/*
 * Look up a 4- or 16-byte address.  Returns 1 and sets *entry when the
 * database has a record for it, 0 when it has none, -1 on a lookup error
 * (an IPv6 address in an IPv4-only database counts as none).
 */
int geo_db_lookup(const struct geo_db *db, const uint8_t *a, size_t len,
    MMDB_entry_s *entry);

/*
 * Pack the values of one record's fields into out, each as one msgpack
 * object, and set bit f of the returned mask for each field present;
 * off[f] and len[f] locate its bytes in out.  Values of an unexpected type
 * are left out.
 */
unsigned geo_db_answer(const struct geo_db *db, MMDB_entry_s *entry,
    struct mp_buf *out, uint32_t off[GEO_NFIELDS], uint32_t len[GEO_NFIELDS]);

#endif
