/*
 * One pass over a packet record's keys.  mp_map_get compares every key
 * against every wanted name; here the key's length picks the few candidates,
 * which keeps the per-record cost at one walk of the map.
 */
#include "agg.h"

#define IS(k, s) ((k).len == sizeof(s) - 1 && memcmp((k).ptr, s, sizeof(s) - 1) == 0)

static bool get_str(const uint8_t *vs, const uint8_t *ve, struct mp_obj *o)
{
	return mp_next(&vs, ve, o) == 0 && o->type == MP_STR;
}

/* Arrays: keep the header and point ptr at the first element. */
static bool get_array(const uint8_t *vs, const uint8_t *ve, struct mp_obj *o)
{
	if (mp_next(&vs, ve, o) < 0 || o->type != MP_ARRAY)
		return false;
	o->ptr = vs;
	return true;
}

static bool get_uint(const uint8_t *vs, const uint8_t *ve, uint64_t *v)
{
	struct mp_obj o;

	if (mp_next(&vs, ve, &o) < 0 || o.type != MP_UINT)
		return false;
	*v = o.u;
	return true;
}

static bool get_addr(const uint8_t *vs, const uint8_t *ve, const uint8_t **a,
    uint8_t *alen)
{
	struct mp_obj o;

	if (mp_next(&vs, ve, &o) < 0 || o.type != MP_BIN ||
	    (o.len != 4 && o.len != 16))
		return false;
	*a = o.ptr;
	*alen = (uint8_t)o.len;
	return true;
}

static const uint8_t *get_cc(const uint8_t *vs, const uint8_t *ve)
{
	struct mp_obj o;

	if (!get_str(vs, ve, &o) || o.len != 2)
		return NULL;
	return o.ptr;
}

/* src_ and dst_ keys of tsa-geo and tsa-p0f; k is past the prefix. */
static void endpoint_key(struct pkt *p, int side, const uint8_t *k, uint32_t n,
    const uint8_t *vs, const uint8_t *ve)
{
	uint64_t v;

	switch (n) {
	case 2:
		if (memcmp(k, "os", 2) == 0)
			p->has_os[side] = get_str(vs, ve, &p->os[side]);
		break;
	case 3:
		if (memcmp(k, "app", 3) == 0)
			p->has_app[side] = get_str(vs, ve, &p->app[side]);
		break;
	case 4:
		if (memcmp(k, "dist", 4) == 0 && get_uint(vs, ve, &v) && v < 255)
			p->dist[side] = (int)v;
		break;
	case 7:
		if (memcmp(k, "country", 7) == 0)
			p->country[side] = get_cc(vs, ve);
		break;
	case 8:
		if (memcmp(k, "os_class", 8) == 0)
			p->has_os_class[side] = get_str(vs, ve, &p->os_class[side]);
		break;
	}
}

enum rec_kind record_parse(const uint8_t *rec, size_t len, struct pkt *p)
{
	struct mp_map_iter it;
	struct mp_obj k, o;
	const uint8_t *vs, *ve;
	uint64_t v;
	int64_t sec;
	uint32_t nsec;
	bool have_ts = false;
	int rc;

	memset(p, 0, sizeof *p);
	p->tcp_flags = -1;
	p->dist[0] = p->dist[1] = -1;
	p->end = rec + len;
	if (mp_map_begin(&it, rec, len) < 0)
		return REC_BAD;
	while ((rc = mp_map_step(&it, &k, &vs, &ve)) > 0) {
		if (k.len > 4 && memcmp(k.ptr, "src_", 4) == 0) {
			if (IS(k, "src_addr"))
				get_addr(vs, ve, &p->src, &p->slen);
			else
				endpoint_key(p, 0, k.ptr + 4, k.len - 4, vs, ve);
			continue;
		}
		if (k.len > 4 && memcmp(k.ptr, "dst_", 4) == 0) {
			if (IS(k, "dst_addr"))
				get_addr(vs, ve, &p->dst, &p->dlen);
			else if (IS(k, "dst_port")) {
				if (get_uint(vs, ve, &v) && v <= 65535) {
					p->dport = (uint16_t)v;
					p->has_dst_port = true;
				}
			} else
				endpoint_key(p, 1, k.ptr + 4, k.len - 4, vs, ve);
			continue;
		}
		switch (k.len) {
		case 4:
			if (IS(k, "type"))
				return REC_OTHER;
			break;
		case 6:
			if (IS(k, "length") && get_uint(vs, ve, &v))
				p->len = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			break;
		case 7:
			if (IS(k, "tls_sni"))
				p->has_sni = get_str(vs, ve, &p->sni);
			break;
		case 9:
			if (IS(k, "timestamp")) {
				if (mp_next(&vs, ve, &o) == 0 &&
				    mp_obj_time(&o, &sec, &nsec) &&
				    sec > -INT64_MAX / NS && sec < INT64_MAX / NS - 1) {
					p->ts = sec * NS + nsec;
					have_ts = true;
				}
			} else if (IS(k, "tcp_flags")) {
				if (get_uint(vs, ve, &v) && v <= 255)
					p->tcp_flags = (int)v;
			} else if (IS(k, "http_host"))
				p->has_http_host = get_str(vs, ve, &p->http_host);
			break;
		case 10:
			if (IS(k, "dns_cnames"))
				p->has_cnames = get_array(vs, ve, &p->cnames);
			break;
		case 12:
			if (IS(k, "dns_resp_ips"))
				p->has_ips = get_array(vs, ve, &p->ips);
			break;
		case 14:
			if (IS(k, "dns_query_resp") && get_str(vs, ve, &o)) {
				if (mp_str_eq(&o, "query", 5))
					p->dns = DNS_QUERY;
				else if (mp_str_eq(&o, "response", 8))
					p->dns = DNS_RESPONSE;
			}
			break;
		case 15:
			if (IS(k, "dns_query_names"))
				p->has_qnames = get_array(vs, ve, &p->qnames);
			break;
		}
	}
	if (rc < 0)
		return REC_BAD;
	/* A packet record without addresses or time cannot be placed. */
	if (!have_ts || !p->src || !p->dst)
		return REC_BAD;
	return REC_PACKET;
}
