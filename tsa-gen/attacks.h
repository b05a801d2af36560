/*
 * Attack bursts, each big enough to cross the detection thresholds of the
 * original app's [security] settings (more than 1000 in a minute, more
 * than five times the matching replies): SYN flood, SYN-ACK backscatter,
 * DNS reflection, SYN port scan.
 */
#ifndef GEN_ATTACKS_H
#define GEN_ATTACKS_H

#include <stdint.h>

#include "gen.h"
#include "names.h"

enum burst_kind {
	BURST_SYNFLOOD, BURST_REFLECTION, BURST_BACKSCATTER, BURST_SCAN,
	BURST_KINDS
};

struct burst {
	uint8_t kind;
	uint8_t answer;		/* the next packet is the target's answer */
	uint8_t open;		/* scan: the probed port is open */
	uint32_t left;		/* packets still to send */
	uint64_t gap_ns;	/* mean spacing */
	uint32_t probe;		/* scan: probes sent */
	uint16_t sport, dport;
	uint32_t seq;
	struct host peer;	/* backscatter: this packet's destination */
	char zone[NAME_MAX_LEN];
};

void burst_init(struct gen *g, struct burst *b, int kind, uint32_t packets,
    uint64_t duration_ns);
int burst_step(struct gen *g, struct burst *b, uint64_t *next);

#endif
