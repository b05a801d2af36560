/* An NTP client polling a server. */
#ifndef GEN_NTP_FLOW_H
#define GEN_NTP_FLOW_H

#include <stdint.h>

#include "gen.h"

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

#endif
