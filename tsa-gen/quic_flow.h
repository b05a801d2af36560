/* QUIC-looking traffic on 443/udp. */
#ifndef GEN_QUIC_FLOW_H
#define GEN_QUIC_FLOW_H

#include <stdint.h>

#include "gen.h"

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

#endif
