/*
 * One pass over a packet record's keys.  mp_map_get compares every key
 * against every wanted name; here the key's length picks the few candidates,
 * and the walk skips the common value encodings inline (mp_skip for the
 * rest), so the per-record cost is one cheap walk of the map.  Only the
 * values of wanted keys are decoded.
 */
#include <stddef.h>

#include "agg.h"

static inline uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

/*
 * Step *pp past one object; -1 if it does not fit before end.  Scalars,
 * strings, bins and timestamps inline; containers and rare encodings by
 * mp_skip.
 */
static inline int skip(const uint8_t **pp, const uint8_t *end)
{
	const uint8_t *p = *pp;
	size_t n, avail = (size_t)(end - p);
	uint8_t c;

	if (avail < 1)
		return -1;
	c = p[0];
	if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3)
		n = 1;
	else if (c >= 0xa0 && c <= 0xbf)
		n = 1 + (size_t)(c & 0x1f);
	else if ((c == 0xd9 || c == 0xc4) && avail >= 2)
		n = 2 + (size_t)p[1];
	else if ((c == 0xda || c == 0xc5) && avail >= 3)
		n = 3 + (size_t)be16(p + 1);
	else if (c == 0xcc || c == 0xd0)
		n = 2;
	else if (c == 0xcd || c == 0xd1)
		n = 3;
	else if (c == 0xce || c == 0xd2 || c == 0xca || c == 0xd6)
		n = 5 + (c == 0xd6);
	else if (c == 0xcf || c == 0xd3 || c == 0xcb)
		n = 9;
	else if (c == 0xd7)
		n = 10;
	else
		return mp_skip(pp, end) < 0 ? -1 : 0;
	if (n > avail)
		return -1;
	*pp = p + n;
	return 0;
}

/* A key: fixstr or str8 inline, else mp_next. */
static inline int key(const uint8_t **pp, const uint8_t *end, struct mp_obj *k)
{
	const uint8_t *p = *pp;
	size_t avail = (size_t)(end - p);

	if (avail >= 1 && p[0] >= 0xa0 && p[0] <= 0xbf && avail >= 1 + (size_t)(p[0] & 0x1f)) {
		k->type = MP_STR;
		k->len = p[0] & 0x1f;
		k->ptr = p + 1;
		*pp = p + 1 + k->len;
		return 0;
	}
	return mp_next(pp, end, k);
}

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

	memset(p, 0, offsetof(struct pkt, qnames));
	p->tcp_flags = -1;
	p->dist[0] = p->dist[1] = -1;
	p->end = rec + len;
	it.p = rec;
	it.end = rec + len;
	if (mp_next(&it.p, it.end, &o) < 0 || o.type != MP_MAP)
		return REC_BAD;
	for (it.left = o.len; it.left > 0; it.left--) {
		if (key(&it.p, it.end, &k) < 0 || k.type != MP_STR)
			return REC_BAD;
		vs = it.p;
		if (skip(&it.p, it.end) < 0)
			return REC_BAD;
		ve = it.p;
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
				    sec > -INT64_MAX / 2 / NS && sec < INT64_MAX / 2 / NS) {
					/* up to year 2116: sums with a window stay in range */
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
	/* A packet record without addresses or time cannot be placed. */
	if (!have_ts || !p->src || !p->dst)
		return REC_BAD;
	return REC_PACKET;
}
