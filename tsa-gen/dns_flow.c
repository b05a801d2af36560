/*
 * DNS lookups: resolvers answer with the site's records, a CNAME chain
 * when the site is on a CDN (so the aggregate stage can map the
 * connection's address to the name the user asked for), NODATA with the
 * zone's SOA when there is no AAAA, NXDOMAIN with the SOA of the parent
 * zone.  Also the large ANY answers of the reflection attack.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "dns_msg.h"
#include "packet.h"
#include "tcp_session.h"
#include "world.h"
#include "dns_flow.h"

void
dns_lookup_init(struct gen *g, struct dns_lookup *d, struct host *cli,
    struct host *res, const struct site *site, int want_aaaa)
{
	memset(d, 0, sizeof *d);
	d->cli = cli;
	d->res = res;
	d->site = site;
	d->sport = host_ephemeral_port(&g->rng, cli);
	d->id = (uint16_t)rng_next(&g->rng);
	d->edns = rng_chance(&g->rng, 0.6);
	d->rtt_ns = gen_udp_rtt(g, cli, res, rng_chance(&g->rng, 0.3));
	d->qtype[d->nq++] = DNS_A;
	if (site) {
		strcpy(d->qname, site->name);
		if (want_aaaa)
			d->qtype[d->nq++] = DNS_AAAA;
	} else {
		const struct site *s = world_pick_site(g->world, &g->rng);
		name_nx(&g->rng, s->name, d->qname);
		d->nx = 1;
		if (want_aaaa)
			d->qtype[d->nq++] = DNS_AAAA;
	}
}

/* The zone whose SOA answers a negative query: the name minus its first
 * label. */
static const char *
parent_zone(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? dot + 1 : name;
}

static size_t
dns_answer(struct gen *g, struct dns_lookup *d, uint16_t qtype, uint8_t *buf,
    size_t cap)
{
	struct dns_msg m;
	const struct site *s = d->site;
	const char *owner = d->qname;
	uint32_t ttl = rng_range(&g->rng, 20, 3600);

	dns_begin(&m, buf, cap, (uint16_t)(d->id + (qtype == DNS_AAAA)), 1,
	    d->nx ? DNS_NXDOMAIN : 0, d->qname, qtype);
	if (d->nx) {
		dns_rr_soa(&m, parent_zone(d->qname),
		    2024010100 + rng_below(&g->rng, 99));
	} else {
		if (s->cname[0]) {
			dns_rr_name(&m, owner, DNS_CNAME, ttl, s->cname);
			owner = s->cname;
			ttl = rng_range(&g->rng, 20, 300);
		}
		if (qtype == DNS_A)
			dns_rr_addr(&m, owner, DNS_A, ttl, s->h4->addr);
		else if (s->h6)
			dns_rr_addr(&m, owner, DNS_AAAA, ttl, s->h6->addr);
		else		/* NODATA */
			dns_rr_soa(&m, parent_zone(owner), 2024010100 +
			    rng_below(&g->rng, 99));
	}
	if (d->edns)
		dns_edns(&m, 1232);
	return dns_end(&m);
}

int
dns_lookup_step(struct gen *g, struct dns_lookup *d, uint64_t *next)
{
	uint8_t buf[512];
	struct dns_msg m;
	size_t len;
	unsigned k = d->step;

	if (k < d->nq) {	/* the queries go out together */
		dns_begin(&m, buf, sizeof buf, (uint16_t)(d->id + k), 0, 0,
		    d->qname, d->qtype[k]);
		if (d->edns)
			dns_edns(&m, 4096);
		len = dns_end(&m);
		if (len == 0)
			tsa_die("internal error: DNS query for '%s'", d->qname);
		gen_udp(g, d->cli, d->res, d->sport, 53, buf, len);
		*next = g->now + (k + 1 < d->nq ? rng_range(&g->rng, 20, 200) *
		    USEC : d->rtt_ns);
	} else {
		k -= d->nq;
		len = dns_answer(g, d, d->qtype[k], buf, sizeof buf);
		if (len == 0)
			tsa_die("internal error: DNS answer too large");
		gen_udp(g, d->res, d->cli, 53, d->sport, buf, len);
		*next = g->now + rng_range(&g->rng, 10, 400) * USEC;
	}
	return ++d->step < 2 * d->nq;
}

size_t
dns_reflected_answer(struct gen *g, struct host *reflector,
    struct host *victim, uint16_t dport, const char *zone)
{
	static const char *const txt[] = {
		"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 include:_spf.%s "
		"include:mail.protection.outlook.com -all",
		"google-site-verification=Qm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0",
		"MS=ms48271537 apple-domain-verification=Zm9vYmFy facebook-"
		"domain-verification=7a2b9c1d0e4f docusign=8f0e1d2c-3b4a",
	};
	uint8_t buf[1472];
	struct dns_msg m;
	uint8_t a[16];
	char text[256];
	size_t len;

	dns_begin(&m, buf, sizeof buf, (uint16_t)rng_next(&g->rng), 1, 0, zone,
	    DNS_ANY);
	for (int i = 0; i < 3; i++) {
		snprintf(text, sizeof text, txt[i], zone);
		dns_rr_txt(&m, zone, 3600, text);
	}
	for (int i = 0; i < 4; i++) {
		char ns[NAME_MAX_LEN + 8];
		snprintf(ns, sizeof ns, "ns%d.%s", i + 1, zone);
		dns_rr_name(&m, zone, DNS_NS, 86400, ns);
	}
	/* Pad with address records up to a full-size datagram. */
	memset(a, 0, sizeof a);
	while (m.w.len + 60 < 1400 && !m.w.over) {
		rng_fill(&g->rng, a, 16);
		if (rng_chance(&g->rng, 0.5))
			dns_rr_addr(&m, zone, DNS_A, 300, a);
		else
			dns_rr_addr(&m, zone, DNS_AAAA, 300, a);
	}
	dns_edns(&m, 4096);
	len = dns_end(&m);
	if (len == 0)
		tsa_die("internal error: reflected answer too large");
	struct ip_hdr ip = { reflector, victim, 0, 0, host_next_id(reflector), 0 };
	return pkt_udp(g->frame, &ip, 53, dport, buf, len);
}
