/*
 * Host facts from tsa-p0f's host records: a host's application,
 * distance, link, language, uptime and NAT suspicion are those of its
 * latest host record at its latest packet, as they were when every packet
 * carried src_app, src_dist, src_link and the rest.  The records
 * are kept in a lib/hostfacts table; a host looks its record up again only
 * when a host record has come since it last did (the table's serial), and
 * reads it only when its own record is newer.
 */
#include "agg.h"

void facts_put(struct agg *a, const struct pkt *p)
{
	tsa_hostfacts_put(a->facts, p->rec, (size_t)(p->end - p->rec));
	a->facts_serial = tsa_hostfacts_serial(a->facts);
}

void facts_sync(struct agg *a, struct host *h)
{
	static const char *const keys[] = { "app", "dist", "link", "lang",
	    "uptime_min", "nat" };
	const struct tsa_host *f = tsa_hostfacts_find(a->facts, h->addr, h->alen);
	struct mp_obj v[6];
	uint64_t since = h->facts_seen;
	int64_t found;

	h->facts_seen = a->facts_serial;
	if (!f || f->serial <= since)
		return;
	if ((found = mp_map_get(f->rec, f->len, keys, 6, v)) < 0)
		return;
	/* As the per-packet keys were: an absent fact leaves the host's. */
	if ((found & 1) && v[0].type == MP_STR)
		labels_keep(&a->labels, &h->app, &v[0]);
	if ((found & 2) && v[1].type == MP_UINT && v[1].u < 255)
		h->dist = (uint8_t)v[1].u;
	if ((found & 4) && v[2].type == MP_STR)
		labels_keep(&a->labels, &h->link, &v[2]);
	if ((found & 8) && v[3].type == MP_STR)
		labels_keep(&a->labels, &h->lang, &v[3]);
	if ((found & 16) && v[4].type == MP_UINT && v[4].u <= UINT32_MAX) {
		h->uptime_min = (uint32_t)v[4].u;
		h->facts |= HF_UPTIME;
	}
	if ((found & 32) && v[5].type == MP_BOOL && v[5].b)
		h->facts |= HF_NAT;
}
