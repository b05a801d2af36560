/*
 * Opening a MaxMind DB and recognising its layout.  Two families of files
 * are in use: MaxMind's own (GeoLite2/GeoIP2, and DB-IP's files in the same
 * form) nest answers in maps, country.iso_code; ip-location-db's are flat,
 * country_code.  The metadata's database_type is free text, so the layout
 * is found by probing a few records of the file itself; the type decides
 * only for a file with no records.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continents.h"
#include "db.h"
#include "dbfile.h"
#include "trust.h"

/* Paths of each field, per layout; NULL where a layout has no such field. */
static const char *const p_country[] = { "country", "iso_code", NULL };
static const char *const p_reg_country[] = { "registered_country", "iso_code", NULL };
static const char *const p_continent[] = { "continent", "code", NULL };
static const char *const p_lat[] = { "location", "latitude", NULL };
static const char *const p_lon[] = { "location", "longitude", NULL };
static const char *const p_city[] = { "city", "names", "en", NULL };
static const char *const p_flat_country[] = { "country_code", NULL };
static const char *const p_flat_lat[] = { "latitude", NULL };
static const char *const p_flat_lon[] = { "longitude", NULL };
static const char *const p_flat_city[] = { "city", NULL };
static const char *const p_asn[] = { "autonomous_system_number", NULL };
static const char *const p_as_org[] = { "autonomous_system_organization", NULL };

static const char *const *const paths[][GEO_NFIELDS] = {
	[GEO_LAYOUT_GEOIP2] = {
		[GEO_COUNTRY] = p_country, [GEO_CONTINENT] = p_continent,
		[GEO_LAT] = p_lat, [GEO_LON] = p_lon, [GEO_CITY] = p_city,
	},
	[GEO_LAYOUT_FLAT] = {
		[GEO_COUNTRY] = p_flat_country, [GEO_LAT] = p_flat_lat,
		[GEO_LON] = p_flat_lon, [GEO_CITY] = p_flat_city,
	},
	[GEO_LAYOUT_ASN] = { [GEO_ASN] = p_asn, [GEO_AS_ORG] = p_as_org },
};

/* Longest string value kept; longer ones are not names or codes. */
#define MAX_STR 1024
/* Records sampled when probing, and search-tree nodes visited at most. */
#define PROBE_SAMPLES 32
#define PROBE_NODES 100000

const char *geo_layout_name(enum geo_layout l)
{
	switch (l) {
	case GEO_LAYOUT_GEOIP2: return "GeoIP2";
	case GEO_LAYOUT_FLAT: return "ip-location-db";
	case GEO_LAYOUT_ASN: return "ASN";
	}
	return "?";
}

static bool has_path(MMDB_entry_s *e, const char *const *path, uint32_t type)
{
	MMDB_entry_data_s d;
	return MMDB_aget_value(e, &d, path) == MMDB_SUCCESS && d.has_data &&
	    d.type == type;
}

/*
 * Collect up to max distinct data records by walking the search tree
 * depth-first from the left.  Bounded by PROBE_NODES, so a crafted tree
 * with loops cannot hang it.
 */
static int probe_samples(MMDB_s *m, MMDB_entry_s *out, int max)
{
	uint32_t stack[512];
	int sp = 0, n = 0, visits = 0;

	if (m->metadata.node_count == 0)
		return 0;
	stack[sp++] = 0;
	while (sp > 0 && n < max && visits++ < PROBE_NODES) {
		MMDB_search_node_s node;
		if (MMDB_read_node(m, stack[--sp], &node) != MMDB_SUCCESS)
			continue;
		/* Right pushed first so that the left side is explored first. */
		uint64_t rec[2] = { node.right_record, node.left_record };
		uint8_t type[2] = { node.right_record_type, node.left_record_type };
		MMDB_entry_s ent[2] = { node.right_record_entry, node.left_record_entry };
		for (int i = 0; i < 2; i++) {
			if (type[i] == MMDB_RECORD_TYPE_SEARCH_NODE) {
				if (sp < (int)(sizeof stack / sizeof stack[0]))
					stack[sp++] = (uint32_t)rec[i];
			} else if (type[i] == MMDB_RECORD_TYPE_DATA && n < max) {
				int dup = 0;
				for (int j = 0; j < n; j++)
					dup |= out[j].offset == ent[i].offset;
				if (!dup)
					out[n++] = ent[i];
			}
		}
	}
	return n;
}

/*
 * The top-level keys of the sampled records, comma-separated, for the
 * message that says why a file was refused.
 */
static void sample_keys(MMDB_entry_s *s, int n, char *out, size_t outlen)
{
	size_t used = 0;

	out[0] = 0;
	for (int i = 0; i < n; i++) {
		MMDB_entry_data_list_s *list = NULL;
		if (MMDB_get_entry_data_list(&s[i], &list) != MMDB_SUCCESS) {
			MMDB_free_entry_data_list(list);
			continue;
		}
		MMDB_entry_data_list_s *e = list;
		if (e && e->entry_data.type == MMDB_DATA_TYPE_MAP) {
			uint32_t pairs = e->entry_data.data_size;
			e = e->next;
			/*
			 * A map's entries are flattened depth-first: a key,
			 * then its value and everything inside the value.
			 * Walk to the next key by counting what is left of
			 * the containers passed over.
			 */
			for (uint32_t k = 0; k < pairs && e; k++) {
				if (e->entry_data.type == MMDB_DATA_TYPE_UTF8_STRING) {
					const char *key = e->entry_data.utf8_string;
					int klen = (int)e->entry_data.data_size;
					char pat[300];
					snprintf(pat, sizeof pat, "%.*s", klen, key);
					/* Skip keys already listed. */
					bool seen = false;
					for (const char *p = out; (p = strstr(p, pat)); p++)
						if ((p == out || p[-1] == ' ') &&
						    (p[klen] == ',' || p[klen] == 0))
							seen = true;
					if (!seen && used + klen + 3 < outlen)
						used += snprintf(out + used, outlen - used,
						    "%s%s", used ? ", " : "", pat);
				}
				e = e->next;	/* the value */
				uint64_t todo = 1;
				while (e && todo > 0) {
					todo--;
					if (e->entry_data.type == MMDB_DATA_TYPE_MAP)
						todo += 2 * (uint64_t)e->entry_data.data_size;
					else if (e->entry_data.type == MMDB_DATA_TYPE_ARRAY)
						todo += e->entry_data.data_size;
					e = e->next;
				}
			}
		}
		MMDB_free_entry_data_list(list);
	}
	if (!out[0])
		snprintf(out, outlen, "none");
}

static bool detect(struct geo_db *db, char *err, size_t errlen)
{
	MMDB_entry_s s[PROBE_SAMPLES];
	int n = probe_samples(&db->mmdb, s, PROBE_SAMPLES);
	char keys[1024];

	if (n == 0) {
		/* Nothing to probe: an empty file answers nothing anyway. */
		const char *t = db->mmdb.metadata.database_type;
		if (db->role == GEO_ROLE_ASN)
			db->layout = GEO_LAYOUT_ASN;
		else if (t && (!strncmp(t, "GeoIP2", 6) ||
		    !strncmp(t, "GeoLite2", 8) || !strncmp(t, "DBIP", 4)))
			db->layout = GEO_LAYOUT_GEOIP2;
		else
			db->layout = GEO_LAYOUT_FLAT;
		return true;
	}
	for (int i = 0; i < n; i++) {
		if (db->role == GEO_ROLE_ASN) {
			if (has_path(&s[i], p_asn, MMDB_DATA_TYPE_UINT32) ||
			    has_path(&s[i], p_asn, MMDB_DATA_TYPE_UINT16) ||
			    has_path(&s[i], p_asn, MMDB_DATA_TYPE_UINT64)) {
				db->layout = GEO_LAYOUT_ASN;
				return true;
			}
			continue;
		}
		if (has_path(&s[i], p_country, MMDB_DATA_TYPE_UTF8_STRING) ||
		    has_path(&s[i], p_reg_country, MMDB_DATA_TYPE_UTF8_STRING)) {
			db->layout = GEO_LAYOUT_GEOIP2;
			return true;
		}
		if (has_path(&s[i], p_flat_country, MMDB_DATA_TYPE_UTF8_STRING)) {
			db->layout = GEO_LAYOUT_FLAT;
			return true;
		}
	}
	sample_keys(s, n, keys, sizeof keys);
	if (db->role == GEO_ROLE_ASN)
		snprintf(err, errlen, "%s: no autonomous_system_number in its "
		    "records (keys found: %s)", db->path, keys);
	else
		snprintf(err, errlen, "%s: no country field (country.iso_code, "
		    "registered_country.iso_code or country_code) in its records "
		    "(keys found: %s)", db->path, keys);
	return false;
}

bool geo_db_open(struct geo_db *out, const char *path, enum geo_role role,
    char *err, size_t errlen)
{
	struct geo_db db = { .role = role };
	char copy[64], why[1200];
	int fd, rc;

	if (strlen(path) >= sizeof db.path) {
		snprintf(err, errlen, "%.64s...: path too long", path);
		return false;
	}
	strcpy(db.path, path);
	/* As root, a database another user could have planted is refused:
	 * libmaxminddb would parse it as root. */
	if (!tsa_path_trusted(path, why, sizeof why)) {
		snprintf(err, errlen, "%s: %s", path, why);
		return false;
	}
	/* Our own copy, which no one can truncate under the mapping. */
	if ((fd = geo_file_copy(path, err, errlen)) < 0)
		return false;
	snprintf(copy, sizeof copy, "/proc/self/fd/%d", fd);
	errno = 0;
	rc = MMDB_open(copy, MMDB_MODE_MMAP, &db.mmdb);
	/* The mapping holds the copy; the descriptor is not needed. */
	close(fd);
	if (rc == MMDB_FILE_OPEN_ERROR) {
		snprintf(err, errlen, "%s: cannot open its copy in memory as %s: "
		    "%s (is /proc mounted?)", path, copy,
		    errno ? strerror(errno) : MMDB_strerror(rc));
		return false;
	}
	if (rc == MMDB_IO_ERROR) {
		snprintf(err, errlen, "%s: %s", path, errno ? strerror(errno) :
		    MMDB_strerror(rc));
		return false;
	}
	if (rc != MMDB_SUCCESS) {
		snprintf(err, errlen, "%s: not a MaxMind DB file (%s)", path,
		    MMDB_strerror(rc));
		return false;
	}
	if (!detect(&db, err, errlen)) {
		MMDB_close(&db.mmdb);
		return false;
	}
	db.open = true;
	*out = db;
	return true;
}

void geo_db_close(struct geo_db *db)
{
	if (db->open)
		MMDB_close(&db->mmdb);
	db->open = false;
}

int geo_db_lookup(const struct geo_db *db, const uint8_t *a, size_t len,
    MMDB_entry_s *entry)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s r;
	int err = MMDB_SUCCESS;

	if (len == 4) {
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, a, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof sin6);
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, a, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	r = MMDB_lookup_sockaddr(&db->mmdb, sa, &err);
	if (err == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
		return 0;
	if (err != MMDB_SUCCESS)
		return -1;
	if (!r.found_entry)
		return 0;
	*entry = r.entry;
	return 1;
}

/* A number stored as a string ("52.52"), as some converted files do. */
static bool str_to_double(const MMDB_entry_data_s *d, double *v)
{
	char buf[64], *end;

	if (d->data_size == 0 || d->data_size >= sizeof buf)
		return false;
	memcpy(buf, d->utf8_string, d->data_size);
	buf[d->data_size] = 0;
	*v = strtod(buf, &end);
	return *end == 0;
}

/*
 * libmaxminddb hands strings over as they are in the file; a damaged file
 * must not put text that is not UTF-8 into msgpack str values downstream.
 */
static bool utf8_ok(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t more;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3, cp = c & 0x07;
		else
			return false;
		if (n - i <= more)
			return false;
		for (size_t k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += more + 1;
	}
	return true;
}

/* ISO 3166-1 alpha-2 and continent codes: two capital letters. */
static bool code_ok(const MMDB_entry_data_s *d)
{
	const char *s = d->utf8_string;

	return d->data_size == 2 && s[0] >= 'A' && s[0] <= 'Z' &&
	    s[1] >= 'A' && s[1] <= 'Z';
}

static bool put_value(enum geo_field f, const MMDB_entry_data_s *d,
    struct mp_buf *out)
{
	double v;

	switch (f) {
	case GEO_COUNTRY:
	case GEO_CONTINENT:
		if (d->type != MMDB_DATA_TYPE_UTF8_STRING || !code_ok(d))
			return false;
		mp_put_str(out, d->utf8_string, 2);
		return true;
	case GEO_CITY:
	case GEO_AS_ORG:
		if (d->type != MMDB_DATA_TYPE_UTF8_STRING || d->data_size == 0 ||
		    d->data_size > MAX_STR ||
		    !utf8_ok((const uint8_t *)d->utf8_string, d->data_size))
			return false;
		mp_put_str(out, d->utf8_string, d->data_size);
		return true;
	case GEO_LAT:
	case GEO_LON:
		if (d->type == MMDB_DATA_TYPE_DOUBLE)
			v = d->double_value;
		else if (d->type == MMDB_DATA_TYPE_FLOAT)
			v = d->float_value;
		else if (d->type != MMDB_DATA_TYPE_UTF8_STRING || !str_to_double(d, &v))
			return false;
		if (!isfinite(v) || fabs(v) > 180)
			return false;
		mp_put_double(out, v);
		return true;
	case GEO_ASN:
		if (d->type == MMDB_DATA_TYPE_UINT32)
			mp_put_uint(out, d->uint32);
		else if (d->type == MMDB_DATA_TYPE_UINT16)
			mp_put_uint(out, d->uint16);
		else if (d->type == MMDB_DATA_TYPE_UINT64)
			mp_put_uint(out, d->uint64);
		else if (d->type == MMDB_DATA_TYPE_INT32 && d->int32 >= 0)
			mp_put_uint(out, (uint64_t)d->int32);
		else
			return false;
		return true;
	case GEO_NFIELDS:
		break;
	}
	return false;
}

unsigned geo_db_answer(const struct geo_db *db, MMDB_entry_s *entry,
    struct mp_buf *out, uint32_t off[GEO_NFIELDS], uint32_t len[GEO_NFIELDS])
{
	unsigned mask = 0;

	for (int f = 0; f < GEO_NFIELDS; f++) {
		const char *const *path = paths[db->layout][f];
		MMDB_entry_data_s d;
		if (!path)
			continue;
		int rc = MMDB_aget_value(entry, &d, path);
		/* GeoIP2: an anycast or satellite network may have only the
		 * country it is registered to. */
		if (f == GEO_COUNTRY && db->layout == GEO_LAYOUT_GEOIP2 &&
		    (rc != MMDB_SUCCESS || !d.has_data))
			rc = MMDB_aget_value(entry, &d, p_reg_country);
		if (rc != MMDB_SUCCESS || !d.has_data)
			continue;
		size_t start = out->len;
		if (put_value((enum geo_field)f, &d, out)) {
			off[f] = (uint32_t)start;
			len[f] = (uint32_t)(out->len - start);
			mask |= 1u << f;
		}
	}
	/*
	 * ip-location-db files have no continent: take it from the country,
	 * as MaxMind's data assigns it (continents.c).
	 */
	if (db->layout == GEO_LAYOUT_FLAT && (mask & (1u << GEO_COUNTRY))) {
		/* The country was packed as a 2-byte fixstr. */
		char cc[2] = { (char)out->p[off[GEO_COUNTRY] + 1],
		    (char)out->p[off[GEO_COUNTRY] + 2] };
		const char *cont = geo_continent(cc);
		if (cont) {
			off[GEO_CONTINENT] = (uint32_t)out->len;
			mp_put_str(out, cont, 2);
			len[GEO_CONTINENT] = 3;
			mask |= 1u << GEO_CONTINENT;
		}
	}
	return mask;
}
