/*
 * DNS: resolvers answer with the site's records, a CNAME chain when the
 * site is on a CDN (so the aggregate stage can map the connection's
 * address to the name the user asked for), NODATA with the zone's SOA when
 * there is no AAAA, NXDOMAIN with the SOA of the parent zone.
 * NTP: RFC 5905 client/server mode packets with consistent timestamps.
 * QUIC: RFC 9000 long-header Initial packets padded to 1200 bytes, then
 * short-header packets; payloads are random (they are encrypted anyway).
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "dns_msg.h"
#include "packet.h"
#include "tcp_session.h"
#include "world.h"
#include "udp_flows.h"

static void
udp_send(struct gen *g, struct host *src, struct host *dst, uint16_t sport,
    uint16_t dport, const uint8_t *pay, size_t len)
{
	struct ip_hdr ip = { src, dst, 0, 0, 0, 0 };

	/* Linux and most stacks set DF on UDP only for PMTU probing; IDs
	 * still advance. */
	ip.id = src->af == 4 ? host_next_id(src) : 0;
	gen_emit(g, pkt_udp(g->frame, &ip, sport, dport, pay, len));
}

static uint32_t
far_rtt(struct gen *g, const struct host *a, const struct host *b, int slow)
{
	if (a->local && b->local)	/* the router answers from cache or
					 * after recursion */
		return slow ? (uint32_t)rng_range(&g->rng, 2, 90) * MSEC :
		    (uint32_t)rng_range(&g->rng, 300, 1500) * USEC;
	return (uint32_t)rng_range(&g->rng, 8, 120) * MSEC;
}

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
	d->rtt_ns = far_rtt(g, cli, res, rng_chance(&g->rng, 0.3));
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
		udp_send(g, d->cli, d->res, d->sport, 53, buf, len);
		*next = g->now + (k + 1 < d->nq ? rng_range(&g->rng, 20, 200) *
		    USEC : d->rtt_ns);
	} else {
		k -= d->nq;
		len = dns_answer(g, d, d->qtype[k], buf, sizeof buf);
		if (len == 0)
			tsa_die("internal error: DNS answer too large");
		udp_send(g, d->res, d->cli, 53, d->sport, buf, len);
		*next = g->now + rng_range(&g->rng, 10, 400) * USEC;
	}
	return ++d->step < 2 * d->nq;
}

/* NTP timestamps: seconds since 1900 and a 32-bit binary fraction. */
static void
ntp_time(uint8_t *p, uint64_t t)
{
	uint64_t sec = t / NSEC + 2208988800u;
	uint64_t frac = ((t % NSEC) << 32) / NSEC;

	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(sec >> (24 - 8 * i));
	for (int i = 0; i < 4; i++)
		p[4 + i] = (uint8_t)(frac >> (24 - 8 * i));
}

void
ntp_init(struct gen *g, struct ntp_x *n, struct host *cli, struct host *srv)
{
	memset(n, 0, sizeof *n);
	n->cli = cli;
	n->srv = srv;
	n->rtt_ns = far_rtt(g, cli, srv, 0);
	/* ntpd talks from port 123; SNTP clients from an ephemeral port. */
	n->sport = rng_chance(&g->rng, 0.5) ? 123 :
	    host_ephemeral_port(&g->rng, cli);
	n->polls = (uint8_t)rng_range(&g->rng, 1, 4);
}

int
ntp_step(struct gen *g, struct ntp_x *n, uint64_t *next)
{
	uint8_t p[48];

	memset(p, 0, sizeof p);
	if (n->step % 2 == 0) {
		p[0] = 0x23;		/* LI 0, version 4, mode 3 (client) */
		p[2] = 6;		/* poll 64 s */
		p[3] = 0xe9;		/* precision 2^-23 */
		n->xmit = g->now;
		ntp_time(p + 40, n->xmit);
		udp_send(g, n->cli, n->srv, n->sport, 123, p, sizeof p);
		*next = g->now + n->rtt_ns;
	} else {
		uint64_t recv = g->now - n->rtt_ns / 2;
		p[0] = 0x24;		/* mode 4 (server) */
		p[1] = 2;		/* stratum 2 */
		p[2] = 6;
		p[3] = 0xe8;
		p[5] = 0x01;		/* root delay, dispersion: a few ms */
		p[9] = 0x02;
		memcpy(p + 12, n->srv->addr, 4);	/* reference id: upstream */
		p[12] ^= 0x5a;
		ntp_time(p + 16, g->now - 300 * NSEC);
		ntp_time(p + 24, n->xmit);
		ntp_time(p + 32, recv);
		ntp_time(p + 40, recv + 20 * USEC);
		udp_send(g, n->srv, n->cli, 123, n->sport, p, sizeof p);
		*next = g->now + rng_range(&g->rng, 1, 8) * NSEC;
	}
	return ++n->step < 2 * n->polls;
}

void
quic_init(struct gen *g, struct quic_x *q, struct host *cli,
    struct host *srv)
{
	memset(q, 0, sizeof *q);
	q->cli = cli;
	q->srv = srv;
	q->rtt_ns = far_rtt(g, cli, srv, 0);
	q->sport = host_ephemeral_port(&g->rng, cli);
	rng_fill(&g->rng, q->dcid, 8);
	rng_fill(&g->rng, q->scid, 8);
	q->left = (uint16_t)rng_range(&g->rng, 4, 40);
}

/* A long-header packet of the given type, padded to len bytes. */
static size_t
quic_long(struct gen *g, uint8_t *b, size_t len, unsigned type,
    const uint8_t *dcid, const uint8_t *scid, uint32_t pn)
{
	size_t n = 0, rest;

	b[n++] = (uint8_t)(0xc0 | (type << 4) | 0x03);	/* 4-byte PN */
	b[n++] = 0; b[n++] = 0; b[n++] = 0; b[n++] = 1;	/* version 1 */
	b[n++] = 8; memcpy(b + n, dcid, 8); n += 8;
	b[n++] = 8; memcpy(b + n, scid, 8); n += 8;
	if (type == 0)
		b[n++] = 0;	/* Initial: no token */
	rest = len - n - 2;	/* length field covers PN and payload */
	b[n++] = (uint8_t)(0x40 | (rest >> 8));
	b[n++] = (uint8_t)rest;
	b[n++] = (uint8_t)(pn >> 24); b[n++] = (uint8_t)(pn >> 16);
	b[n++] = (uint8_t)(pn >> 8); b[n++] = (uint8_t)pn;
	rng_fill(&g->rng, b + n, len - n);
	return len;
}

int
quic_step(struct gen *g, struct quic_x *q, uint64_t *next)
{
	uint8_t b[1400];
	size_t n;

	switch (q->step) {
	case 0:		/* client Initial */
		n = quic_long(g, b, 1200, 0, q->dcid, q->scid, q->pn_c++);
		udp_send(g, q->cli, q->srv, q->sport, 443, b, n);
		*next = g->now + q->rtt_ns;
		break;
	case 1:		/* server Initial + Handshake, coalesced */
		n = quic_long(g, b, 1200, 0, q->scid, q->dcid, q->pn_s++);
		udp_send(g, q->srv, q->cli, 443, q->sport, b, n);
		*next = g->now + rng_range(&g->rng, 50, 500) * USEC;
		break;
	default: {	/* 1-RTT short-header packets both ways */
		int from_srv = q->step % 3 != 2;
		n = from_srv ? rng_range(&g->rng, 200, 1350) :
		    rng_range(&g->rng, 40, 300);
		b[0] = 0x40 | 0x03 | (uint8_t)(rng_below(&g->rng, 4) << 3);
		memcpy(b + 1, from_srv ? q->scid : q->dcid, 8);
		rng_fill(&g->rng, b + 9, n - 9);
		if (from_srv)
			udp_send(g, q->srv, q->cli, 443, q->sport, b, n);
		else
			udp_send(g, q->cli, q->srv, q->sport, 443, b, n);
		*next = g->now + (from_srv ? rng_range(&g->rng, 100, 3000) *
		    USEC : q->rtt_ns);
		if (q->left-- == 0)
			return 0;
	}
	}
	q->step++;
	return 1;
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
	while (m.len + 60 < 1400 && !m.over) {
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
