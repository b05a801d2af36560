/*
 * ICMP and ICMPv6: echo request/reply series (ping) and a UDP probe to a
 * closed port answered by destination unreachable.
 */
#ifndef GEN_ICMP_FLOWS_H
#define GEN_ICMP_FLOWS_H

#include <stdint.h>

#include "gen.h"

struct ping_x {
	struct host *src, *dst;
	uint32_t rtt_ns;
	uint16_t id, seq;
	uint8_t await, count;	/* a reply is due; requests to send */
	uint8_t lost;		/* this many final requests go unanswered */
	uint64_t sent;		/* when the current request left */
};

void ping_init(struct gen *g, struct ping_x *p, struct host *src,
    struct host *dst);
int ping_step(struct gen *g, struct ping_x *p, uint64_t *next);

struct unreach_x {
	struct host *src, *dst;
	uint32_t rtt_ns;
	uint16_t sport, dport;
	uint8_t step, probes;
};

void unreach_init(struct gen *g, struct unreach_x *u, struct host *src,
    struct host *dst);
int unreach_step(struct gen *g, struct unreach_x *u, uint64_t *next);

#endif
