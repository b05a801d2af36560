/*
 * What the stream contract (docs/stream.md) says each documented key holds,
 * so an expression like "dst_port == http" or "src_addr in 10.0.0/8" is
 * refused when it is compiled instead of silently matching nothing.  Keys
 * not listed (added by a stage of the user's own) accept any value; by the
 * contract, a key ending in addr, addrs or ips holds addresses.
 */
#include <string.h>

#include "expr.h"

struct field {
	const char *name;
	enum ftype type;
	bool fold;
};

/* Keys that exist in src_ and dst_ forms are listed without the prefix. */
static const struct field fields[] = {
	{"timestamp", F_TIME, false},
	{"length", F_NUM, false},
	{"ip_version", F_NUM, false},
	{"protocol", F_ANY, false},	/* "tcp", ... or a protocol number */
	{"ttl", F_NUM, false},
	{"fragment", F_STR, false},
	{"reassembled", F_NUM, false},
	{"tcp_flags", F_NUM, false},
	{"tcp_op", F_STR, false},
	{"icmp_type", F_NUM, false},
	{"icmp_code", F_NUM, false},
	{"application_type", F_STR, false},
	{"dns_query_resp", F_STR, false},
	{"dns_query_names", F_STR, true},
	{"dns_cnames", F_STR, true},
	{"dns_rcode", F_NUM, false},
	{"http_req_resp", F_STR, false},
	{"http_method", F_STR, false},
	{"http_host", F_STR, true},
	{"http_uri", F_STR, false},
	{"http_status", F_NUM, false},
	{"tls_sni", F_STR, true},
	{"truncated", F_BOOL, false},
	{"tcp_headers", F_BIN, false},
	{"http_headers", F_BIN, false},
	{"p0f_raw_sig", F_STR, false},
	{"p0f_label", F_STR, false},
	{"p0f_class", F_STR, false},
	{"p0f_name", F_STR, false},
	{"p0f_flavor", F_STR, false},
	{"p0f_match", F_STR, false},
	{"p0f_dist", F_NUM, false},
	{"p0f_mtu", F_NUM, false},
	{"p0f_link", F_STR, false},
	{"p0f_uptime_min", F_NUM, false},
	{"p0f_uptime_mod_days", F_NUM, false},
	{"p0f_uptime_hz", F_NUM, false},
};

static const struct field endpoint_fields[] = {
	{"port", F_NUM, false},
	{"country", F_STR, false},
	{"continent", F_STR, false},
	{"lat", F_NUM, false},
	{"lon", F_NUM, false},
	{"city", F_STR, false},
	{"asn", F_NUM, false},
	{"as_org", F_STR, false},
	{"scope", F_STR, false},
	{"os", F_STR, false},
	{"os_class", F_STR, false},
	{"os_name", F_STR, false},
	{"dist", F_NUM, false},
	{"link", F_STR, false},
	{"uptime_min", F_NUM, false},
	{"app", F_STR, false},
	{"lang", F_STR, false},
};

static bool name_is(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && memcmp(name, s, len) == 0;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

struct field_info field_lookup(const char *name, size_t len)
{
	struct field_info fi = {F_ANY, false};
	for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
		if (name_is(fields[k].name, name, len))
			return (struct field_info){fields[k].type, fields[k].fold};
	if (len > 4 && (memcmp(name, "src_", 4) == 0 ||
	    memcmp(name, "dst_", 4) == 0))
		for (size_t k = 0; k < sizeof endpoint_fields /
		    sizeof *endpoint_fields; k++)
			if (name_is(endpoint_fields[k].name, name + 4, len - 4))
				return (struct field_info){
				    endpoint_fields[k].type,
				    endpoint_fields[k].fold};
	if (ends_with(name, len, "addr") || ends_with(name, len, "addrs") ||
	    ends_with(name, len, "ips"))
		fi.type = F_ADDR;
	return fi;
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
