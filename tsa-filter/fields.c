/*
 * The keys of the stream contract (docs/stream.md), declared once for
 * tsa-filter, with what each holds and the stage that adds it:
 *
 *  - the type refuses an expression like "dst_port == http" or "src_addr in
 *    10.0.0/8" when it is compiled, instead of letting it match nothing;
 *  - the stage says where tsa-filter belongs when a field's stage is not in
 *    the stream's tools (a country filter before tsa-geo);
 *  - the names answer "did you mean" for a field that is neither listed nor
 *    in any record, and tsa-filter --list-fields.
 *
 * tests/filter/fields.t holds this list against the tables of
 * docs/stream.md.  Keys not listed (added by a stage of the user's own) take
 * any value; by the contract, a key ending in addr, addrs or ips holds
 * addresses.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "util.h"

#define CAPTURE	"tsa-capture"
#define GEO	"tsa-geo"
#define P0F	"tsa-p0f"

enum {
	FOLD = 1,	/* compared without regard to ASCII case */
	ENDS = 2,	/* a key of each endpoint: src_NAME and dst_NAME */
};

static const struct field {
	const char *name;
	enum ftype type;
	unsigned flags;
	const char *stage;
} fields[] = {
	/* Packet records */
	{"timestamp", F_TIME, 0, CAPTURE},
	{"length", F_NUM, 0, CAPTURE},
	{"ip_version", F_NUM, 0, CAPTURE},
	{"addr", F_ADDR, ENDS, CAPTURE},
	{"protocol", F_ANY, 0, CAPTURE},	/* "tcp", ... or a number */
	{"ttl", F_NUM, 0, CAPTURE},
	{"fragment", F_STR, 0, CAPTURE},
	{"reassembled", F_NUM, 0, CAPTURE},
	{"port", F_NUM, ENDS, CAPTURE},
	{"tcp_flags", F_NUM, 0, CAPTURE},
	{"tcp_op", F_STR, 0, CAPTURE},
	{"icmp_type", F_NUM, 0, CAPTURE},
	{"icmp_code", F_NUM, 0, CAPTURE},
	{"application_type", F_STR, 0, CAPTURE},
	{"dns_query_resp", F_STR, 0, CAPTURE},
	{"dns_query_names", F_STR, FOLD, CAPTURE},
	{"dns_resp_ips", F_ADDR, 0, CAPTURE},
	{"dns_cnames", F_STR, FOLD, CAPTURE},
	{"dns_rcode", F_NUM, 0, CAPTURE},
	{"http_req_resp", F_STR, 0, CAPTURE},
	{"http_method", F_STR, 0, CAPTURE},
	{"http_host", F_STR, FOLD, CAPTURE},
	{"http_uri", F_STR, 0, CAPTURE},
	{"http_status", F_NUM, 0, CAPTURE},
	{"tls_sni", F_STR, FOLD, CAPTURE},
	{"truncated", F_BOOL, 0, CAPTURE},
	{"tcp_headers", F_BIN, 0, CAPTURE},
	{"http_headers", F_BIN, 0, CAPTURE},
	/* Geolocation keys */
	{"country", F_STR, ENDS | FOLD, GEO},
	{"continent", F_STR, ENDS | FOLD, GEO},
	{"lat", F_NUM, ENDS, GEO},
	{"lon", F_NUM, ENDS, GEO},
	{"city", F_STR, ENDS, GEO},
	{"asn", F_NUM, ENDS, GEO},
	{"as_org", F_STR, ENDS, GEO},
	{"scope", F_STR, ENDS, GEO},
	/* Fingerprint keys */
	{"p0f_raw_sig", F_STR, 0, P0F},
	{"p0f_match", F_STR, 0, P0F},
	{"p0f_label", F_STR, 0, P0F},
	{"p0f_class", F_STR, 0, P0F},
	{"p0f_name", F_STR, 0, P0F},
	{"p0f_flavor", F_STR, 0, P0F},
	{"p0f_dist", F_NUM, 0, P0F},
	{"p0f_mtu", F_NUM, 0, P0F},
	{"p0f_link", F_STR, 0, P0F},
	{"p0f_uptime_min", F_NUM, 0, P0F},
	{"p0f_uptime_mod_days", F_NUM, 0, P0F},
	{"p0f_uptime_hz", F_NUM, 0, P0F},
	{"p0f_http_raw_sig", F_STR, 0, P0F},
	{"p0f_http_match", F_STR, 0, P0F},
	{"p0f_http_label", F_STR, 0, P0F},
	{"p0f_http_dishonest", F_BOOL, 0, P0F},
	{"p0f_lang", F_STR, 0, P0F},
	{"os", F_STR, ENDS, P0F},
	{"os_class", F_STR, ENDS, P0F},
	/* Host records' keys, each endpoint's at the packet (hostfacts.h) */
	{"os_name", F_STR, ENDS, P0F},
	{"os_flavor", F_STR, ENDS, P0F},
	{"link", F_STR, ENDS, P0F},
	{"mtu", F_NUM, ENDS, P0F},
	{"dist", F_NUM, ENDS, P0F},
	{"uptime_min", F_NUM, ENDS, P0F},
	{"uptime_hz", F_NUM, ENDS, P0F},
	{"uptime_time", F_TIME, ENDS, P0F},
	{"app", F_STR, ENDS, P0F},
	{"app_name", F_STR, ENDS, P0F},
	{"lang", F_STR, ENDS, P0F},
	{"nat", F_BOOL, ENDS, P0F},
	{"os_change", F_BOOL, ENDS, P0F},
	{"bad_sw", F_NUM, ENDS, P0F},
	{"first_fp", F_TIME, ENDS, P0F},
	{"last_fp", F_TIME, ENDS, P0F},
};

#define NFIELDS (sizeof fields / sizeof *fields)

static bool name_is(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && memcmp(name, s, len) == 0;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static struct field_info info(const struct field *f)
{
	return (struct field_info){f->type, f->flags & FOLD, f->stage};
}

struct field_info field_lookup(const char *name, size_t len)
{
	bool side = len > 4 && (memcmp(name, "src_", 4) == 0 ||
	    memcmp(name, "dst_", 4) == 0);
	for (size_t k = 0; k < NFIELDS; k++) {
		const struct field *f = &fields[k];
		if (f->flags & ENDS ? side && name_is(f->name, name + 4, len - 4) :
		    name_is(f->name, name, len))
			return info(f);
	}
	struct field_info fi = {F_ANY, false, NULL};
	if (ends_with(name, len, "addr") || ends_with(name, len, "addrs") ||
	    ends_with(name, len, "ips"))
		fi.type = F_ADDR;
	return fi;
}

/* The documented keys in order, src_ and dst_ forms apart. */
static bool field_at(size_t i, char name[FIELD_NAME_MAX], struct field_info *fi)
{
	for (size_t k = 0; k < NFIELDS; k++) {
		const struct field *f = &fields[k];
		size_t forms = f->flags & ENDS ? 2 : 1;
		if (i >= forms) {
			i -= forms;
			continue;
		}
		snprintf(name, FIELD_NAME_MAX, "%s%s", f->flags & ENDS ?
		    (i == 0 ? "src_" : "dst_") : "", f->name);
		*fi = info(f);
		return true;
	}
	return false;
}

void field_nearest(const char *name, char *out, size_t n)
{
	char cand[FIELD_NAME_MAX], best[FIELD_NAME_MAX] = "";
	char ends[2][FIELD_NAME_MAX];
	size_t len = strlen(name), nends = 0, bd = SIZE_MAX;
	struct field_info fi;

	/* A misspelling: one edit, two in a name of 8 bytes or more. */
	for (size_t i = 0; field_at(i, cand, &fi); i++) {
		size_t d = tsa_edit_distance(name, cand);
		if (d < bd) {
			bd = d;
			snprintf(best, sizeof best, "%s", cand);
		}
	}
	if (bd <= (len >= 8 ? 2u : 1u)) {
		snprintf(out, n, "%s", best);
		return;
	}
	/* The end of a name: port (src_port, dst_port), sni (tls_sni). */
	for (size_t i = 0; field_at(i, cand, &fi); i++) {
		size_t cl = strlen(cand);
		if (cl > len && cand[cl - len - 1] == '_' &&
		    strcasecmp(cand + cl - len, name) == 0) {
			if (nends < 2)
				snprintf(ends[nends], FIELD_NAME_MAX, "%s", cand);
			nends++;
		}
	}
	if (nends == 1)
		snprintf(out, n, "%s", ends[0]);
	else if (nends == 2)
		snprintf(out, n, "%s or %s", ends[0], ends[1]);
	else if (n > 0)
		*out = '\0';
}

const char *ftype_name(enum ftype t)
{
	switch (t) {
	case F_NUM: return "numbers";
	case F_STR: return "text";
	case F_ADDR: return "addresses";
	case F_TIME: return "times";
	case F_BOOL: return "true or false";
	case F_BIN: return "raw bytes";
	case F_ANY: break;
	}
	return "any value";
}

void filter_list_fields(FILE *out)
{
	char name[FIELD_NAME_MAX];
	struct field_info fi;
	for (size_t i = 0; field_at(i, name, &fi); i++)
		fprintf(out, "%s\t%s%s\t%s\n", name, fi.type == F_ANY ?
		    "text or numbers" : ftype_name(fi.type),
		    fi.fold ? ", any case" : "", fi.stage);
}
