/*
 * A DNS lookup over UDP, which may lead into a TCP connection to the
 * answered address; one packet per step, like tcp_session.
 */
#ifndef GEN_DNS_FLOW_H
#define GEN_DNS_FLOW_H

#include <stddef.h>
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

/* Build a reflected DNS answer (large, ANY) into the frame; returns the
 * frame length.  Used by the reflection attack. */
size_t dns_reflected_answer(struct gen *g, struct host *reflector,
    struct host *victim, uint16_t dport, const char *zone);

#endif
