/*
 * A packet record's keys, found by the reader in the walk that frames the
 * record (tsa_read_find): the values of other keys are skipped, and only
 * the wanted values are decoded.  Of a repeated key the first counts; the
 * stages replace keys rather than repeat them.  src_app and src_dist are
 * in host records (facts.c) since tsa-p0f writes them; they are still
 * read from a packet record that has them (a stream saved before).
 */
#include <stddef.h>

#include "agg.h"

enum {
	K_TYPE, K_TIMESTAMP, K_LENGTH, K_SRC_ADDR, K_DST_ADDR, K_DST_PORT,
	K_TCP_FLAGS, K_TLS_SNI, K_HTTP_HOST, K_DNS_QR, K_DNS_QNAMES,
	K_DNS_IPS, K_DNS_CNAMES, K_SRC_PORT, K_PROTOCOL, K_APP_TYPE,
	/* a host record's (HK_), its address first */
	K_ADDR, K_HOST,
	/* the endpoint keys (EK_), the src_ ones, then the dst_ ones */
	K_EP = K_HOST + NHK, NKEYS = K_EP + 2 * NEK
};

static const char *const names[NKEYS] = {
	[K_TYPE] = "type", [K_TIMESTAMP] = "timestamp", [K_LENGTH] = "length",
	[K_SRC_ADDR] = "src_addr", [K_DST_ADDR] = "dst_addr",
	[K_DST_PORT] = "dst_port", [K_TCP_FLAGS] = "tcp_flags",
	[K_TLS_SNI] = "tls_sni", [K_HTTP_HOST] = "http_host",
	[K_DNS_QR] = "dns_query_resp", [K_DNS_QNAMES] = "dns_query_names",
	[K_DNS_IPS] = "dns_resp_ips", [K_DNS_CNAMES] = "dns_cnames",
	[K_SRC_PORT] = "src_port", [K_PROTOCOL] = "protocol",
	[K_APP_TYPE] = "application_type",
	[K_ADDR] = "addr", [K_HOST + HK_APP] = "app", [K_HOST + HK_DIST] = "dist",
	[K_EP + EK_COUNTRY] = "src_country", [K_EP + NEK + EK_COUNTRY] = "dst_country",
	[K_EP + EK_OS] = "src_os", [K_EP + NEK + EK_OS] = "dst_os",
	[K_EP + EK_OS_CLASS] = "src_os_class", [K_EP + NEK + EK_OS_CLASS] = "dst_os_class",
	[K_EP + EK_APP] = "src_app", [K_EP + NEK + EK_APP] = "dst_app",
	[K_EP + EK_DIST] = "src_dist", [K_EP + NEK + EK_DIST] = "dst_dist",
	[K_EP + EK_LINK] = "src_link", [K_EP + NEK + EK_LINK] = "dst_link",
	[K_EP + EK_LANG] = "src_lang", [K_EP + NEK + EK_LANG] = "dst_lang",
	[K_EP + EK_UPTIME] = "src_uptime_min",
	[K_EP + NEK + EK_UPTIME] = "dst_uptime_min",
	[K_EP + EK_NAT] = "src_nat", [K_EP + NEK + EK_NAT] = "dst_nat",
	[K_EP + EK_LAT] = "src_lat", [K_EP + NEK + EK_LAT] = "dst_lat",
	[K_EP + EK_LON] = "src_lon", [K_EP + NEK + EK_LON] = "dst_lon",
	[K_EP + EK_CITY] = "src_city", [K_EP + NEK + EK_CITY] = "dst_city",
	[K_EP + EK_ASN] = "src_asn", [K_EP + NEK + EK_ASN] = "dst_asn",
	[K_EP + EK_ORG] = "src_as_org", [K_EP + NEK + EK_ORG] = "dst_as_org",
};

static struct mp_keys keys;

static bool is_str(const struct mp_obj *o)
{
	return o->type == MP_STR;
}

static bool is_addr(const struct mp_obj *o)
{
	return o->type == MP_BIN && (o->len == 4 || o->len == 16);
}

/* An unsigned integer below lim. */
static bool is_uint(const struct mp_obj *o, uint64_t lim)
{
	return o->type == MP_UINT && o->u < lim;
}

/* The record just read, with its keys in v. */
static enum rec_kind parse(uint64_t found, const struct mp_obj *v, struct pkt *p)
{
	int64_t sec;
	uint32_t nsec;

#define HAS(k) (found & (1LL << (k)))
	if (HAS(K_TYPE)) {
		if (!tsa_hostfacts_type(&v[K_TYPE]))
			return REC_OTHER;
		if (!HAS(K_ADDR) || !is_addr(&v[K_ADDR]))
			return REC_OTHER;	/* no host's: passed on */
		p->src = v[K_ADDR].ptr;
		p->slen = (uint8_t)v[K_ADDR].len;
		p->ev = &v[K_HOST];
		p->ek = (uint32_t)(found >> K_HOST) & ((1u << NHK) - 1);
		return REC_HOST;
	}

	/* A packet record without addresses or time cannot be placed. */
	if (!HAS(K_TIMESTAMP) || !mp_obj_time(&v[K_TIMESTAMP], &sec, &nsec) ||
	    !HAS(K_SRC_ADDR) || !is_addr(&v[K_SRC_ADDR]) ||
	    !HAS(K_DST_ADDR) || !is_addr(&v[K_DST_ADDR]))
		return REC_BAD;
	/* up to year 2116: sums with a window stay in range */
	if (sec <= -INT64_MAX / 2 / NS || sec >= INT64_MAX / 2 / NS)
		return REC_BAD;

	memset(p, 0, offsetof(struct pkt, ts));
	p->ts = sec * NS + nsec;
	p->src = v[K_SRC_ADDR].ptr;
	p->slen = (uint8_t)v[K_SRC_ADDR].len;
	p->dst = v[K_DST_ADDR].ptr;
	p->dlen = (uint8_t)v[K_DST_ADDR].len;
	if (HAS(K_LENGTH) && v[K_LENGTH].type == MP_UINT)
		p->len = v[K_LENGTH].u > UINT32_MAX ? UINT32_MAX : (uint32_t)v[K_LENGTH].u;
	if (HAS(K_DST_PORT) && is_uint(&v[K_DST_PORT], 65536)) {
		p->dport = (uint16_t)v[K_DST_PORT].u;
		p->has_dst_port = true;
	}
	if (HAS(K_SRC_PORT) && is_uint(&v[K_SRC_PORT], 65536)) {
		p->sport = (uint16_t)v[K_SRC_PORT].u;
		p->has_src_port = true;
	}
	p->tcp_flags = HAS(K_TCP_FLAGS) && is_uint(&v[K_TCP_FLAGS], 256) ?
	    (int)v[K_TCP_FLAGS].u : -1;
	/* "tcp", "udp", "icmp", "icmpv6" (a number for the others), and
	 * "dns", "http", "tls", "none": told apart by length and first
	 * letter, which is all they need (per packet: no memcmp). */
	if (HAS(K_PROTOCOL) && v[K_PROTOCOL].type == MP_STR) {
		const struct mp_obj *o = &v[K_PROTOCOL];
		char c0 = o->len ? ((const char *)o->ptr)[0] : 0;
		if (o->len == 3 && c0 == 't')
			p->proto = PROTO_TCP;
		else if (o->len == 3 && c0 == 'u')
			p->proto = PROTO_UDP;
		else if ((o->len == 4 || o->len == 6) && c0 == 'i')
			p->proto = PROTO_ICMP;
	}
	if (HAS(K_APP_TYPE) && v[K_APP_TYPE].type == MP_STR) {
		const struct mp_obj *o = &v[K_APP_TYPE];
		char c0 = o->len ? ((const char *)o->ptr)[0] : 0;
		if (o->len == 3 && c0 == 'd')
			p->app_type = APPTYPE_DNS;
		else if (o->len == 4 && c0 == 'h')
			p->app_type = APPTYPE_HTTP;
		else if (o->len == 3 && c0 == 't')
			p->app_type = APPTYPE_TLS;
	}
	if (HAS(K_DNS_QR)) {
		if (mp_str_eq(&v[K_DNS_QR], "query", 5))
			p->dns = DNS_QUERY;
		else if (mp_str_eq(&v[K_DNS_QR], "response", 8))
			p->dns = DNS_RESPONSE;
	}
	/* Names and arrays are rarer: one test for all of them. */
	if (found & (1LL << K_TLS_SNI | 1LL << K_HTTP_HOST | 1LL << K_DNS_QNAMES |
	    1LL << K_DNS_IPS | 1LL << K_DNS_CNAMES)) {
		if (HAS(K_TLS_SNI) && (p->has_sni = is_str(&v[K_TLS_SNI])))
			p->sni = v[K_TLS_SNI];
		if (HAS(K_HTTP_HOST) && (p->has_http_host = is_str(&v[K_HTTP_HOST])))
			p->http_host = v[K_HTTP_HOST];
		/* (for arrays the walk leaves ptr at the first element) */
		if (HAS(K_DNS_QNAMES) && (p->has_qnames = v[K_DNS_QNAMES].type == MP_ARRAY))
			p->qnames = v[K_DNS_QNAMES];
		if (HAS(K_DNS_IPS) && (p->has_ips = v[K_DNS_IPS].type == MP_ARRAY))
			p->ips = v[K_DNS_IPS];
		if (HAS(K_DNS_CNAMES) && (p->has_cnames = v[K_DNS_CNAMES].type == MP_ARRAY))
			p->cnames = v[K_DNS_CNAMES];
	}
	p->ev = &v[K_EP];
	p->ek = (uint32_t)(found >> K_EP);
	return REC_PACKET;
}

void record_init(void)
{
	mp_keys_init(&keys, names, NKEYS);
}

int record_read(struct tsa_reader *r, struct pkt *p)
{
	/* static: the packet's label strings point into it */
	static struct mp_obj v[NKEYS];
	uint64_t found;
	size_t len;
	int rc;

	if ((rc = tsa_read_find(r, &keys, &p->rec, &len, v, &found)) > 0) {
		p->end = p->rec + len;
		p->kind = parse(found, v, p);
	}
	return rc;
}
