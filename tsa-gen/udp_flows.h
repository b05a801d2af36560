/*
 * Request/response exchanges over UDP: DNS lookups (which may lead into a
 * TCP connection to the answered address), NTP, and QUIC-looking traffic
 * on 443/udp.  One packet per step, like tcp_session.
 */
#ifndef GEN_UDP_FLOWS_H
#define GEN_UDP_FLOWS_H

#include <stdint.h>

#include "gen.h"
#include "names.h"

struct site;

struct dns_lookup {
	struct host *cli, *res;
	const struct site *site;	/* answered from this site, or NULL */
	char qname[NAME_MAX_LEN];
	uint32_t rtt_ns;
	uint16_t sport, id;
	uint8_t step, nq;		/* queries: A, then maybe AAAA */
	uint8_t edns, nx;		/* EDNS0; the name does not exist */
	uint16_t qtype[2];
};

/* Look up a site (A, and AAAA if both ends have IPv6) or, site NULL, a
 * name that does not exist. */
void dns_lookup_init(struct gen *g, struct dns_lookup *d, struct host *cli,
    struct host *res, const struct site *site, int want_aaaa);
int dns_lookup_step(struct gen *g, struct dns_lookup *d, uint64_t *next);

struct ntp_x {
	struct host *cli, *srv;
	uint32_t rtt_ns;
	uint16_t sport;
	uint8_t step, polls;
	uint64_t xmit;			/* client transmit time, for origin */
};

void ntp_init(struct gen *g, struct ntp_x *n, struct host *cli,
    struct host *srv);
int ntp_step(struct gen *g, struct ntp_x *n, uint64_t *next);

struct quic_x {
	struct host *cli, *srv;
	uint32_t rtt_ns;
	uint16_t sport;
	uint16_t left;			/* 1-RTT packets still to send */
	uint8_t step;
	uint8_t dcid[8], scid[8];
	uint32_t pn_c, pn_s;
};

void quic_init(struct gen *g, struct quic_x *q, struct host *cli,
    struct host *srv);
int quic_step(struct gen *g, struct quic_x *q, uint64_t *next);

/* Build a reflected DNS answer (large, ANY) into the frame; returns the
 * frame length.  Used by the reflection attack. */
size_t dns_reflected_answer(struct gen *g, struct host *reflector,
    struct host *victim, uint16_t dport, const char *zone);

#endif
