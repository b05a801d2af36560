/*
 * Host facts per packet.  tsa-p0f writes what it knows of a host once, in
 * a host record, before the first packet record that depends on it; a
 * field such as src_dist is then no key of the packet record, but the
 * dist of the latest host record of its src_addr (lib/hostfacts.h).  A
 * packet record that has the key itself (a stream from before host
 * records, or a stage of the user's own) is taken at its word.
 */
#include <string.h>

#include "expr.h"
#include "tsa.h"

void filter_set_hosts(struct filter *f, struct tsa_hostfacts *t)
{
	f->hosts = t;
}

static bool is_side_key(const char *k, size_t n)
{
	return n > 4 && (memcmp(k, "src_", 4) == 0 ||
	    memcmp(k, "dst_", 4) == 0) && strcmp(k + 4, "addr") != 0;
}

/* The index of key, added if absent and there is room; -1 if none. */
static int need(struct filter *f, int (*add)(struct filter *, char *),
    const char *key)
{
	for (int k = 1; k < f->nkeys; k++)
		if (strcmp(f->keys[k], key) == 0)
			return k;
	if (f->nkeys == FILTER_MAX_KEYS)
		return -1;
	return add(f, tsa_strdup(key));
}

void hosts_prepare(struct filter *f, int (*add)(struct filter *, char *))
{
	uint64_t m = 0;

	for (int k = 1; k < f->nkeys; k++)
		if (is_side_key(f->keys[k], f->klen[k]))
			m |= 1ull << k;
	f->host_keys = 0;
	if (!m)
		return;
	f->k_src = need(f, add, "src_addr");
	f->k_dst = need(f, add, "dst_addr");
	f->k_ts = need(f, add, "timestamp");
	/* Without room for the addresses, fields are what records hold. */
	if (f->k_src >= 0 && f->k_dst >= 0 && f->k_ts >= 0)
		f->host_keys = m;
}

static const struct tsa_host *host_of(const struct filter *f,
    const struct val *vals, uint64_t found, int k)
{
	const struct mp_obj *a = &vals[k].o;

	if (!(found >> k & 1) || a->type != MP_BIN)
		return NULL;
	return tsa_hostfacts_find(f->hosts, a->ptr, a->len);
}

void hosts_fill(const struct filter *f, uint64_t mask, struct val *vals,
    uint64_t *found)
{
	const struct tsa_host *h[2];
	uint64_t got = *found;
	int64_t sec;
	uint32_t nsec;

	h[0] = host_of(f, vals, got, f->k_src);
	h[1] = host_of(f, vals, got, f->k_dst);
	if (!h[0] && !h[1])
		return;
	for (int k = 1; k < f->nkeys; k++) {
		const struct tsa_host *hk;
		const char *key = f->keys[k] + 4;
		size_t n = f->klen[k] - 4;
		struct val *v = &vals[k];
		uint64_t up;

		if (!(mask >> k & 1) || !(hk = h[f->keys[k][0] == 'd']))
			continue;
		if (n == 10 && memcmp(key, "uptime_min", 10) == 0) {
			/* The uptime at the packet's time. */
			if (!(got >> f->k_ts & 1) ||
			    !mp_obj_time(&vals[f->k_ts].o, &sec, &nsec))
				sec = 0, nsec = 0;
			if (!tsa_host_uptime(hk, sec, nsec, &up))
				continue;
			v->o.type = MP_UINT;
			v->o.u = up;
			v->elems = v->end = NULL;
		} else {
			if (!tsa_host_get(hk, key, n, &v->o))
				continue;
			/* for arrays: the elements, up to the record's end */
			v->elems = v->o.ptr;
			v->end = hk->rec + hk->len;
		}
		*found |= 1ull << k;
	}
}
