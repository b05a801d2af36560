/*
 * Host facts from tsa-p0f's host records: a host's application,
 * distance, link and MTU, language, uptime and NAT suspicion are those of its
 * latest host record at its latest packet, as they were when every packet
 * carried src_app, src_dist, src_link and the rest.  The records are kept
 * in a lib/hostfacts table, each with application and distance decoded
 * when it comes (struct fact, in its user word); a host looks its record
 * up again only when a host record has come since it last did (the
 * table's serial), and copies the facts only when its own record is newer.
 */
#include "agg.h"

/* What a host record says, in a tsa_host's user word. */
union fact {
	uint64_t word;
	struct {
		uint16_t app;		/* label id */
		uint8_t dist;
		bool has_app, has_dist;
	} f;
};

void facts_put(struct agg *a, const struct pkt *p)
{
	struct tsa_host *h = tsa_hostfacts_set(a->facts, p->src, p->slen,
	    p->rec, (size_t)(p->end - p->rec));
	const struct mp_obj *app = &p->ev[HK_APP], *dist = &p->ev[HK_DIST];
	union fact u = { 0 };

	a->facts_serial = tsa_hostfacts_serial(a->facts);
	if (!h)
		return;
	/* As the per-packet keys were read (endpoint(), window.c). */
	if ((p->ek >> HK_APP & 1) && app->type == MP_STR) {
		u.f.has_app = true;
		u.f.app = labels_id(&a->labels, app->ptr, app->len);
	}
	if ((p->ek >> HK_DIST & 1) && dist->type == MP_UINT && dist->u < 255) {
		u.f.has_dist = true;
		u.f.dist = (uint8_t)dist->u;
	}
	h->user = u.word;
}

void facts_sync(struct agg *a, struct host *h)
{
	static const char *const keys[] = { "link", "lang", "uptime_min", "nat",
		"mtu" };
	const struct tsa_host *f = tsa_hostfacts_find(a->facts, h->addr, h->alen);
	uint64_t since = h->facts_seen;
	struct mp_obj v[5];
	int64_t found;
	union fact u;

	h->facts_seen = a->facts_serial;
	if (!f || f->serial <= since)
		return;
	/* An absent fact leaves the host's, as an absent key did. */
	u.word = f->user;
	if (u.f.has_app)
		h->app = u.f.app;
	if (u.f.has_dist)
		h->dist = u.f.dist;
	/* The security table's facts, rarer: read from the record itself,
	   once per new record of this host, not per packet. */
	if ((found = mp_map_get(f->rec, f->len, keys, 5, v)) < 0)
		return;
	if ((found & 1) && v[0].type == MP_STR)
		labels_keep(&a->labels, &h->link, &v[0]);
	if ((found & 2) && v[1].type == MP_STR)
		labels_keep(&a->labels, &h->lang, &v[1]);
	if ((found & 4) && v[2].type == MP_UINT && v[2].u <= UINT32_MAX) {
		h->uptime_min = (uint32_t)v[2].u;
		h->facts |= HF_UPTIME;
	}
	if ((found & 8) && v[3].type == MP_BOOL && v[3].b)
		h->facts |= HF_NAT;
	if ((found & 16) && v[4].type == MP_UINT && v[4].u > 0 &&
	    v[4].u <= UINT16_MAX)
		h->mtu = (uint16_t)v[4].u;
}
